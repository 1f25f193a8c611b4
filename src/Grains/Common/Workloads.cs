using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Common;

/// <summary>Workload ids in a site's ledger: <c>instance/vm-1</c>, <c>pod/namespace/name</c>, unique across kinds.</summary>
internal static class Workloads
{
    public static string Instance(string name) => $"instance/{name}";

    public static string Pod(string podKey) => $"pod/{podKey}";

    public static WorkloadKind KindOf(string workload) => workload.StartsWith("pod/", StringComparison.Ordinal) ? WorkloadKind.Pod : WorkloadKind.Instance;

    /// <summary>The workload's name within its site: <c>vm-1</c> or <c>namespace/name</c>.</summary>
    public static string NameOf(string workload) => workload[(workload.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
