using System.CommandLine;
using Edge.Actors.Gateway.Protos;
using Grpc.Core;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl vm list|show|create|delete|stop|start|migrate [--to HOST]</c>.</summary>
internal static class VmCommands
{
    /// <summary>The usual flavors by name: vCPUs, memory MiB, disk GiB. Any other name needs --vcpus, --memory-mib and --disk-gib.</summary>
    public static readonly IReadOnlyDictionary<string, (int VCpus, int MemoryMib, int DiskGib)> Flavors = new Dictionary<string, (int, int, int)>(StringComparer.Ordinal)
    {
        ["m1.tiny"] = (1, 512, 1),
        ["m1.small"] = (1, 2048, 20),
        ["m1.medium"] = (2, 4096, 40),
        ["m1.large"] = (4, 8192, 80),
        ["m1.xlarge"] = (8, 16384, 160),
    };

    public static Command Create(GlobalOptions globals) => new("vm", "VMs: placed by the site's scheduler on unlocked hosts with room, moved away when their host is locked")
    {
        List(globals),
        Show(globals),
        CreateVm(globals),
        Change(globals, "delete", "Delete a VM, releasing its host's capacity", (c, r, o) => c.DeleteInstanceAsync(r, o)),
        Change(globals, "stop", "Stop a VM", (c, r, o) => c.StopInstanceAsync(r, o)),
        Change(globals, "start", "Start a stopped VM", (c, r, o) => c.StartInstanceAsync(r, o)),
        Migrate(globals),
    };

    private static InstanceService.InstanceServiceClient Client(Session session) => new(session.Channel);

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var host = CommandKit.Optional<string>("--host", "Only VMs on this host");
        var state = CommandKit.Optional<string>("--state", "Only VMs in this state").AcceptOnlyFromAmong(Names.All<InstanceState>());
        var command = new Command("list", "List a site's VMs") { site, host, state };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var vms = await CommandKit.AllPagesAsync(
                page => Client(session).ListInstancesAsync(new ListInstancesRequest
                {
                    SiteId = parse.GetValue(site),
                    Page = page,
                    Host = parse.GetValue(host) ?? string.Empty,
                    State = Names.Parse<InstanceState>(parse.GetValue(state)),
                }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Instances,
                r => r.NextPageToken);
            session.Output.Show(vms, () => Tables.Instances(vms.Instances));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("vm", "The VM's name");
        var command = new Command("show", "Show one VM") { site, name };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var vm = await Client(session).GetInstanceAsync(new GetInstanceRequest { SiteId = parse.GetValue(site), Name = parse.GetValue(name) }, session.Unary(cancellationToken));
            session.Output.Show(vm, () => Tables.Instances([vm]));
        });
        return command;
    }

    private static Command CreateVm(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("vm", "The new VM's name");
        var image = CommandKit.Required<string>("--image", "The image to boot");
        var flavor = new Option<string>("--flavor")
        {
            Description = $"The flavor: {string.Join(", ", Flavors.Select(f => $"{f.Key} ({f.Value.VCpus} vCPU, {f.Value.MemoryMib} MiB, {f.Value.DiskGib} GiB)"))}, or any name with --vcpus, --memory-mib and --disk-gib",
            DefaultValueFactory = _ => "m1.small",
        };
        var vcpus = CommandKit.Optional<int>("--vcpus", "vCPUs, instead of the flavor's");
        var memory = CommandKit.Optional<int>("--memory-mib", "Memory in MiB, instead of the flavor's");
        var disk = CommandKit.Optional<int>("--disk-gib", "Disk in GiB, instead of the flavor's");
        var group = CommandKit.Optional<string>("--group", "A server group to place the VM with");
        var policy = new Option<string>("--group-policy") { Description = "How the group's VMs are placed", DefaultValueFactory = _ => Names.Of(ServerGroupPolicy.AntiAffinity) }
            .AcceptOnlyFromAmong(Names.All<ServerGroupPolicy>());
        var requestId = CommandKit.RequestId();
        var command = new Command("create", "Create a VM; the scheduler picks its host") { site, name, image, flavor, vcpus, memory, disk, group, policy, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var flavorName = parse.GetValue(flavor) ?? "m1.small";
            var known = Flavors.TryGetValue(flavorName, out var sizes) ? sizes : default;
            // An unknown flavor without sizes goes out with zeros: the gateway names the missing field.
            int Pick(Option<int> option, int fromFlavor) => parse.GetResult(option) is not null ? parse.GetValue(option) : fromFlavor;
            var request = new CreateInstanceRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(name),
                Image = parse.GetValue(image),
                Flavor = new Flavor { Name = flavorName, Vcpus = Pick(vcpus, known.VCpus), MemoryMib = Pick(memory, known.MemoryMib), DiskGib = Pick(disk, known.DiskGib) },
            };
            if (parse.GetValue(group) is { Length: > 0 } groupName)
            {
                request.Group = new ServerGroup { Name = groupName, Policy = Names.Parse<ServerGroupPolicy>(parse.GetValue(policy)) };
            }

            var vm = await Client(session).CreateInstanceAsync(request, session.Unary(cancellationToken));
            session.Output.Show(vm, () => Tables.Instances([vm]));
        });
        return command;
    }

    private static Command Change(GlobalOptions globals, string verb, string description, Func<InstanceService.InstanceServiceClient, InstanceCommandRequest, CallOptions, AsyncUnaryCall<Instance>> call)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("vm", "The VM's name");
        var requestId = CommandKit.RequestId();
        var command = new Command(verb, description) { site, name, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var vm = await call(Client(session), new InstanceCommandRequest { RequestId = parse.RequestIdOf(requestId), SiteId = parse.GetValue(site), Name = parse.GetValue(name) }, session.Unary(cancellationToken));
            session.Output.Show(vm, () => Tables.Instances([vm]));
        });
        return command;
    }

    private static Command Migrate(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var name = CommandKit.Name("vm", "The VM's name");
        var to = CommandKit.Optional<string>("--to", "The host to move to; default: the scheduler's best host");
        var requestId = CommandKit.RequestId();
        var command = new Command("migrate", "Live-migrate an active VM (cold-migrate a stopped one)") { site, name, to, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var vm = await Client(session).MigrateInstanceAsync(new MigrateInstanceRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Name = parse.GetValue(name),
                ToHost = parse.GetValue(to) ?? string.Empty,
            }, session.Unary(cancellationToken));
            session.Output.Show(vm, () => Tables.Instances([vm]));
        });
        return command;
    }
}
