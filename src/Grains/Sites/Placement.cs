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

        return group?.Policy switch
        {
            ServerGroupPolicy.Affinity when groupHosts.Count > 0 && !groupHosts.Contains(hostName) => $"server group {group.Name} (affinity) runs on {string.Join(", ", groupHosts)}",
            ServerGroupPolicy.AntiAffinity when groupHosts.Contains(hostName) => $"server group {group.Name} (anti-affinity) already has a member on {hostName}",
            _ => null,
        };
    }

    public static string? Choose(
        IReadOnlyDictionary<string, SiteHost> hosts,
        Resources resources,
        ServerGroup? group,
        IReadOnlySet<string> groupHosts,
        string? excludeHost)
    {
        // Hot path (every placement scans the site's hosts): plain arithmetic, no allocation per host.
        var hasWorkers = hosts.Values.Any(h => h.Personality == HostPersonality.Worker);
        var eligible = hasWorkers ? HostPersonality.Worker : HostPersonality.Controller;
        string? best = null;
        double bestCpu = -1;
        double bestMemory = -1;
        foreach (var (name, host) in hosts)
        {
            if (!host.Schedulable || host.Personality != eligible || name == excludeHost)
            {
                continue;
            }

            var freeCpu = host.Capacity.MilliCpu - host.Allocated.MilliCpu - resources.MilliCpu;
            var freeMemory = host.Capacity.MemoryMiB - host.Allocated.MemoryMiB - resources.MemoryMiB;
            var freeDisk = host.Capacity.DiskGiB - host.Allocated.DiskGiB - resources.DiskGiB;
            if (freeCpu < 0 || freeMemory < 0 || freeDisk < 0)
            {
                continue;
            }

            if (group is not null && group.Policy switch
            {
                ServerGroupPolicy.Affinity => groupHosts.Count > 0 && !groupHosts.Contains(name),
                ServerGroupPolicy.AntiAffinity => groupHosts.Contains(name),
                _ => false,
            })
            {
                continue;
            }

            var cpu = host.Capacity.MilliCpu == 0 ? 0 : (double)freeCpu / host.Capacity.MilliCpu;
            var memory = host.Capacity.MemoryMiB == 0 ? 0 : (double)freeMemory / host.Capacity.MemoryMiB;
            if (cpu > bestCpu || (cpu == bestCpu && (memory > bestMemory || (memory == bestMemory && string.CompareOrdinal(name, best) < 0))))
            {
                (best, bestCpu, bestMemory) = (name, cpu, memory);
            }
        }

        return best;
    }

    public static string Describe(Resources r) => $"{r.MilliCpu / 1000.0:0.###} vCPU, {r.MemoryMiB} MiB, {r.DiskGiB} GiB";
}
