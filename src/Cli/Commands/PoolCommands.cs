using System.CommandLine;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl pool list|show|create|add-osd|volume-create|volume-delete|attach|detach</c>.</summary>
internal static class PoolCommands
{
    public static Command Create(GlobalOptions globals) => new("pool", "Replicated storage pools: OSDs on storage hosts, volumes attached to VMs")
    {
        List(globals),
        Show(globals),
        CreatePool(globals),
        AddOsd(globals),
        VolumeCreate(globals),
        VolumeDelete(globals),
        Attach(globals),
        Detach(globals),
    };

    private static StorageService.StorageServiceClient Client(Session session) => new(session.Channel);

    private static Argument<string> Pool() => CommandKit.Name("pool", "The pool's name");

    private static Argument<string> Volume() => CommandKit.Name("volume", "The volume's name");

    private static void ShowPool(Session session, Pool pool) => session.Output.Show(pool, () => Tables.PoolDetails(pool));

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var command = new Command("list", "List a site's storage pools") { site };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var pools = await CommandKit.AllPagesAsync(
                page => Client(session).ListPoolsAsync(new ListPoolsRequest { SiteId = parse.GetValue(site), Page = page }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Pools,
                r => r.NextPageToken);
            session.Output.Show(pools, () => Tables.Pools(pools.Pools));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var command = new Command("show", "Show a pool with its OSDs and volumes") { site, pool };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).GetPoolAsync(new GetPoolRequest { SiteId = parse.GetValue(site), Name = parse.GetValue(pool) }, session.Unary(cancellationToken))));
        return command;
    }

    private static Command CreatePool(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var size = CommandKit.Required<int>("--size", "Replicas of each object");
        var minSize = CommandKit.Optional<int>("--min-size", "Replicas needed to serve I/O; default the usual minimum for the size (1 for 1 and 2, 2 for 3)");
        var requestId = CommandKit.RequestId();
        var command = new Command("create", "Create a storage pool (admin)") { site, pool, size, minSize, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).CreatePoolAsync(new CreatePoolRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(pool),
                Size = parse.GetValue(size),
                MinSize = parse.GetValue(minSize),
            }, session.Unary(cancellationToken))));
        return command;
    }

    private static Command AddOsd(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var host = CommandKit.Required<string>("--host", "The storage host the OSD runs on");
        var capacity = CommandKit.Required<int>("--capacity-gib", "The OSD's capacity, GiB");
        var requestId = CommandKit.RequestId();
        var command = new Command("add-osd", "Add an OSD on a storage host to a pool (admin)") { site, pool, host, capacity, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).AddOsdAsync(new AddOsdRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(pool),
                Host = parse.GetValue(host),
                CapacityGib = parse.GetValue(capacity),
            }, session.Unary(cancellationToken))));
        return command;
    }

    private static Command VolumeCreate(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var volume = Volume();
        var size = CommandKit.Required<int>("--size-gib", "The volume's size, GiB");
        var requestId = CommandKit.RequestId();
        var command = new Command("volume-create", "Create a volume in a pool (admin)") { site, pool, volume, size, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).CreateVolumeAsync(new CreateVolumeRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(pool),
                Volume = parse.GetValue(volume),
                SizeGib = parse.GetValue(size),
            }, session.Unary(cancellationToken))));
        return command;
    }

    private static Command VolumeDelete(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var volume = Volume();
        var requestId = CommandKit.RequestId();
        var command = new Command("volume-delete", "Delete a detached volume (admin)") { site, pool, volume, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).DeleteVolumeAsync(
                new VolumeCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(pool), Volume = parse.GetValue(volume) },
                session.Unary(cancellationToken))));
        return command;
    }

    private static Command Attach(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var volume = Volume();
        var instance = CommandKit.Required<string>("--vm", "The VM to attach the volume to");
        var requestId = CommandKit.RequestId();
        var command = new Command("attach", "Attach a volume to a VM") { site, pool, volume, instance, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).AttachVolumeAsync(new AttachVolumeRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(pool),
                Volume = parse.GetValue(volume),
                Instance = parse.GetValue(instance),
            }, session.Unary(cancellationToken))));
        return command;
    }

    private static Command Detach(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var pool = Pool();
        var volume = Volume();
        var requestId = CommandKit.RequestId();
        var command = new Command("detach", "Detach a volume from its VM") { site, pool, volume, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
            ShowPool(session, await Client(session).DetachVolumeAsync(
                new VolumeCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(pool), Volume = parse.GetValue(volume) },
                session.Unary(cancellationToken))));
        return command;
    }
}
