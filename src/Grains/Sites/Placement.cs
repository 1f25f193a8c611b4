using System.Collections.Immutable;
using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Sites;

/// <summary>
/// The scheduler's pure choice of a host: filter (schedulable, the right personality, room, server-group policy),
/// then weigh to spread (the most free CPU after placement, then memory, then the name, so the choice is repeatable).
/// </summary>
internal static class Placement
{
    /// <summary>Hosts that may run a workload: workers, or controllers in a site without workers (an all-in-one server).</summary>
    public static bool IsEligible(IReadOnlyDictionary<string, SiteHost> hosts, SiteHost host) =>
        host.Personality == HostPersonality.Worker
        || (host.Personality == HostPersonality.Controller && !hosts.Values.Any(h => h.Personality == HostPersonality.Worker));

    /// <summary>Why <paramref name="hostName"/> cannot take the workload, or null when it can.</summary>
    public static string? Unfit(
        IReadOnlyDictionary<string, SiteHost> hosts,
        string hostName,
        Resources resources,
        ServerGroup? group,
        IReadOnlySet<string> groupHosts)
    {
        if (!hosts.TryGetValue(hostName, out var host))
        {
            return $"host {hostName} is not in the site";
        }

        if (!host.Schedulable)
        {
            return $"host {hostName} is not unlocked, enabled and available";
        }

        if (!IsEligible(hosts, host))
        {
            return $"host {hostName} is a {host.Personality.ToString().ToLowerInvariant()} and does not run workloads";
        }

        if (!host.Free.Covers(resources))
        {
            return $"host {hostName} has no room (free {Describe(host.Free)}, needed {Describe(resources)})";
        }

        if (!BreaksGroup(group, groupHosts, hostName))
        {
            return null;
        }

        return group!.Policy == ServerGroupPolicy.Affinity
            ? $"server group {group.Name} (affinity) runs on {string.Join(", ", groupHosts)}"
            : $"server group {group.Name} (anti-affinity) already has a member on {hostName}";
    }

    /// <summary>Whether placing on <paramref name="hostName"/> breaks the server group's policy, given where its members run.</summary>
    private static bool BreaksGroup(ServerGroup? group, IReadOnlySet<string> groupHosts, string hostName) => group?.Policy switch
    {
        ServerGroupPolicy.Affinity => groupHosts.Count > 0 && !groupHosts.Contains(hostName),
        ServerGroupPolicy.AntiAffinity => groupHosts.Contains(hostName),
        _ => false,
    };

    public static string? Choose(
        ImmutableDictionary<string, SiteHost> hosts,
        Resources resources,
        ServerGroup? group,
        IReadOnlySet<string> groupHosts,
        string? excludeHost)
    {
        // Hot path (every placement scans the site's hosts): one pass, plain arithmetic, no allocation per host.
        // Controllers only run workloads in a site without workers, so the best of each is kept and the pass decides.
        var worker = new Best();
        var controller = new Best();
        var hasWorkers = false;
        // The ledger's own struct enumerator: through the interface it would be boxed on every placement.
        foreach (var (name, host) in hosts)
        {
            Consider(name, host, resources, group, groupHosts, excludeHost, ref worker, ref controller, ref hasWorkers);
        }

        return hasWorkers ? worker.Name : controller.Name;
    }

    private static void Consider(
        string name,
        SiteHost host,
        Resources resources,
        ServerGroup? group,
        IReadOnlySet<string> groupHosts,
        string? excludeHost,
        ref Best worker,
        ref Best controller,
        ref bool hasWorkers)
    {
        hasWorkers |= host.Personality == HostPersonality.Worker;
        if (!host.Schedulable || host.Personality is not (HostPersonality.Worker or HostPersonality.Controller) || name == excludeHost)
        {
            return;
        }

        var freeCpu = host.Capacity.MilliCpu - host.Allocated.MilliCpu - resources.MilliCpu;
        var freeMemory = host.Capacity.MemoryMiB - host.Allocated.MemoryMiB - resources.MemoryMiB;
        var freeDisk = host.Capacity.DiskGiB - host.Allocated.DiskGiB - resources.DiskGiB;
        if (freeCpu < 0 || freeMemory < 0 || freeDisk < 0)
        {
            return;
        }

        if (BreaksGroup(group, groupHosts, name))
        {
            return;
        }

        var cpu = host.Capacity.MilliCpu == 0 ? 0 : (double)freeCpu / host.Capacity.MilliCpu;
        var memory = host.Capacity.MemoryMiB == 0 ? 0 : (double)freeMemory / host.Capacity.MemoryMiB;
        ref var best = ref host.Personality == HostPersonality.Worker ? ref worker : ref controller;
        if (cpu > best.Cpu || (cpu == best.Cpu && (memory > best.Memory || (memory == best.Memory && string.CompareOrdinal(name, best.Name) < 0))))
        {
            best = new Best { Name = name, Cpu = cpu, Memory = memory };
        }
    }

    /// <summary>The best host of one personality so far.</summary>
    private struct Best()
    {
        public string? Name;
        public double Cpu = -1;
        public double Memory = -1;
    }

    public static string Describe(Resources r) => $"{r.MilliCpu / 1000.0:0.###} vCPU, {r.MemoryMiB} MiB, {r.DiskGiB} GiB";
}
