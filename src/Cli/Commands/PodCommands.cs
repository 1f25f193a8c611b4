using System.CommandLine;
using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Cli.Commands;

/// <summary><c>edgectl pod list|show|create|delete</c>.</summary>
internal static class PodCommands
{
    public const string DefaultNamespace = "default";

    public static Command Create(GlobalOptions globals) => new("pod", "Pods: bound by the site's scheduler to a worker; owned pods are re-placed when their node is locked")
    {
        List(globals),
        Show(globals),
        CreatePod(globals),
        Delete(globals),
    };

    private static PodService.PodServiceClient Client(Session session) => new(session.Channel);

    private static Option<string> Namespace() => new("--namespace", "-n") { Description = "The pod's namespace", DefaultValueFactory = _ => DefaultNamespace };

    private static Command List(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var ns = CommandKit.Optional<string>("--namespace", "Only pods in this namespace");
        ns.Aliases.Add("-n");
        var node = CommandKit.Optional<string>("--node", "Only pods on this host");
        var command = new Command("list", "List a site's pods") { site, ns, node };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var pods = await CommandKit.AllPagesAsync(
                page => Client(session).ListPodsAsync(new ListPodsRequest
                {
                    SiteId = parse.GetValue(site),
                    Page = page,
                    Namespace = parse.GetValue(ns) ?? string.Empty,
                    Node = parse.GetValue(node) ?? string.Empty,
                }, session.Unary(cancellationToken)).ResponseAsync,
                r => r.Pods,
                r => r.NextPageToken);
            session.Output.Show(pods, () => Tables.Pods(pods.Pods));
        });
        return command;
    }

    private static Command Show(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var ns = Namespace();
        var name = CommandKit.Name("pod", "The pod's name");
        var command = new Command("show", "Show one pod") { site, ns, name };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var pod = await Client(session).GetPodAsync(new GetPodRequest { SiteId = parse.GetValue(site), Namespace = parse.GetValue(ns), Name = parse.GetValue(name) }, session.Unary(cancellationToken));
            session.Output.Show(pod, () => Tables.Pods([pod]));
        });
        return command;
    }

    private static Command CreatePod(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var ns = Namespace();
        var name = CommandKit.Name("pod", "The new pod's name");
        var milliCpu = CommandKit.Required<long>("--milli-cpu", "CPU it requests, in thousandths of a vCPU");
        var memory = CommandKit.Required<long>("--memory-mib", "Memory it requests, MiB");
        var owner = CommandKit.Optional<string>("--owner", "The controller that owns it (an owned pod is re-placed when its node is locked)");
        var requestId = CommandKit.RequestId();
        var command = new Command("create", "Create a pod; the scheduler binds it to a worker") { site, ns, name, milliCpu, memory, owner, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var pod = await Client(session).CreatePodAsync(new CreatePodRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Namespace = parse.GetValue(ns),
                Name = parse.GetValue(name),
                MilliCpu = parse.GetValue(milliCpu),
                MemoryMib = parse.GetValue(memory),
                Owner = parse.GetValue(owner) ?? string.Empty,
            }, session.Unary(cancellationToken));
            session.Output.Show(pod, () => Tables.Pods([pod]));
        });
        return command;
    }

    private static Command Delete(GlobalOptions globals)
    {
        var site = CommandKit.Site();
        var ns = Namespace();
        var name = CommandKit.Name("pod", "The pod's name");
        var requestId = CommandKit.RequestId();
        var command = new Command("delete", "Delete a pod") { site, ns, name, requestId };
        command.SetCall(globals, async (parse, session, cancellationToken) =>
        {
            var pod = await Client(session).DeletePodAsync(new PodCommandRequest
            {
                RequestId = parse.RequestIdOf(requestId),
                SiteId = parse.GetValue(site),
                Namespace = parse.GetValue(ns),
                Name = parse.GetValue(name),
            }, session.Unary(cancellationToken));
            session.Output.Show(pod, () => Tables.Pods([pod]));
        });
        return command;
    }
}
