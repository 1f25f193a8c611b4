using System.CommandLine;
using Edge.Actors.Gateway.Protos;
using Grpc.Core;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl host list|show|add|lock [--force]|unlock|delete</c>.</summary>
internal static class HostCommands
{
    public static Command Create(GlobalOptions globals) => new("host", "Hosts of a site: add them, lock them (moving their VMs and pods away first), unlock, delete")
    {
        List(globals),
        Show(globals),
        Add(globals),
        Lock(globals),
        Change(globals, "unlock", "Unlock a host: the scheduler may place workloads on it", (c, r, o) => c.UnlockHostAsync(r, o)),
        Change(globals, "delete", "Delete a locked host that holds no workloads", (c, r, o) => c.DeleteHostAsync(r, o)),
    };

    private static HostService.HostServiceClient Client(Session session) => new(session.Channel);

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var personality = CommandKit.Optional<string>("--personality", "Only hosts of this personality").AcceptOnlyFromAmong(Names.All<HostPersonality>());
        var availability = CommandKit.Optional<string>("--availability", "Only hosts of this availability").AcceptOnlyFromAmong(Names.All<Availability>());
        var command = new Command("list", "List a site's hosts") { site, personality, availability };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var hosts = await CommandKit.AllPagesAsync(
                page => Client(session).ListHostsAsync(new ListHostsRequest
                {
                    SiteId = parse.GetValue(site),
                    Page = page,
                    Personality = Names.Parse<HostPersonality>(parse.GetValue(personality)),
                    Availability = Names.Parse<Availability>(parse.GetValue(availability)),
                }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Hosts,
                r => r.NextPageToken);
            session.Output.Show(hosts, () => Tables.Hosts(hosts.Hosts));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("host", "The host's name");
        var command = new Command("show", "Show one host with the workloads placed on it") { site, name };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var host = await Client(session).GetHostAsync(new GetHostRequest { SiteId = parse.GetValue(site), Name = parse.GetValue(name) }, session.Unary(cancellationToken));
            session.Output.Show(host, () => Tables.Hosts([host], withWorkloads: true));
        });
        return command;
    }

    private static Command Add(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("host", "The new host's name");
        var personality = new Option<string>("--personality") { Description = "What the host is for", DefaultValueFactory = _ => Names.Of(HostPersonality.Worker) }
            .AcceptOnlyFromAmong(Names.All<HostPersonality>());
        var vcpus = CommandKit.Required<int>("--vcpus", "Its vCPUs");
        var memory = CommandKit.Required<long>("--memory-mib", "Its memory, MiB");
        var disk = CommandKit.Required<long>("--disk-gib", "Its disk, GiB");
        var requestId = CommandKit.RequestId();
        var command = new Command("add", "Add a host; it starts locked, so unlock it to place workloads") { site, name, personality, vcpus, memory, disk, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var host = await Client(session).AddHostAsync(new AddHostRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(name),
                Personality = Names.Parse<HostPersonality>(parse.GetValue(personality)),
                Vcpus = parse.GetValue(vcpus),
                MemoryMib = parse.GetValue(memory),
                DiskGib = parse.GetValue(disk),
            }, session.Unary(cancellationToken));
            session.Output.Show(host, () => Tables.Hosts([host], withWorkloads: true));
        });
        return command;
    }

    private static Command Lock(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("host", "The host's name");
        var force = new Option<bool>("--force") { Description = "Lock even when workloads cannot move: those VMs stop and those pods are evicted" };
        var requestId = CommandKit.RequestId();
        var command = new Command("lock", "Lock a host, moving its VMs and pods to other hosts first (refused when they cannot all move, unless --force)") { site, name, force, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var request = new HostCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(name) };
            var host = parse.GetValue(force)
                ? await Client(session).ForceLockHostAsync(request, session.Unary(cancellationToken))
                : await Client(session).LockHostAsync(request, session.Unary(cancellationToken));
            session.Output.Show(host, () => Tables.Hosts([host], withWorkloads: true));
        });
        return command;
    }

    private static Command Change(GlobalOptions globals, string verb, string description, Func<HostService.HostServiceClient, HostCommandRequest, CallOptions, AsyncUnaryCall<Host>> call)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("host", "The host's name");
        var requestId = CommandKit.RequestId();
        var command = new Command(verb, description) { site, name, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var host = await call(Client(session), new HostCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(name) }, session.Unary(cancellationToken));
            session.Output.Show(host, () => Tables.Hosts([host], withWorkloads: true));
        });
        return command;
    }
}
