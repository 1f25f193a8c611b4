using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Sites;

/// <summary>The site's rules: pure functions from its state and a command to the events to record, or a refusal.</summary>
internal static class SiteDecisions
{
    private static readonly IReadOnlySet<string> NoHosts = new HashSet<string>();

    public static Decision Create(SiteState state, string siteId, CreateSite command)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return Decision.Nothing;
        }

        if (ResourceNames.CheckName(siteId, "site_id") is { } badName)
        {
            return badName;
        }

        if (state.Exists)
        {
            return Decision.Refuse(EdgeErrorCode.AlreadyExists, $"site {siteId} already exists", "site_id");
        }

        return Commands.Accepted(command.RequestId, new SiteCreated(siteId, command.Description ?? string.Empty, command.Location ?? string.Empty));
    }

    public static Decision SetManagement(SiteState state, string requestId, SiteManagement management)
    {
        if (Commands.CheckRequestId(requestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        if (NotFound(state) is { } missing)
        {
            return missing;
        }

        if (state.Management == management)
        {
            return Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"site {state.SiteId} is already {management.ToString().ToLowerInvariant()}");
        }

        return Commands.Accepted(requestId, management == SiteManagement.Managed ? new SiteManaged() : new SiteUnmanaged());
    }

    public static Decision EnrollHost(SiteState state, string host, HostPersonality personality, Resources capacity)
    {
        if (NotFound(state) is { } missing)
        {
            return missing;
        }

        if (state.Hosts.TryGetValue(host, out var known))
        {
            return known.Personality == personality && known.Capacity == capacity
                ? Decision.Nothing
                : Decision.Refuse(EdgeErrorCode.AlreadyExists, $"host {host} is already in site {state.SiteId} as a {known.Personality.ToString().ToLowerInvariant()}", "name");
        }

        return Decision.Accept(new HostEnrolled(host, personality, capacity));
    }

    public static Decision UpdateHost(SiteState state, string host, bool schedulable, bool up)
    {
        if (!state.Hosts.TryGetValue(host, out var known))
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"host {host} is not in site {state.SiteId}", "host");
        }

        return known.Schedulable == schedulable && known.Up == up
            ? Decision.Nothing
            : Decision.Accept(new HostSchedulingChanged(host, schedulable, up));
    }

    public static Decision RemoveHost(SiteState state, string host)
    {
        if (!state.Hosts.ContainsKey(host))
        {
            return Decision.Nothing;
        }

        var workloads = WorkloadsOn(state, host).ToList();
        return workloads.Count > 0
            ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"host {host} still holds {string.Join(", ", workloads)}; delete or migrate them first")
            : Decision.Accept(new HostRemoved(host));
    }

    public static Decision Place(SiteState state, PlacementRequest request)
    {
        if (NotFound(state) is { } missing)
        {
            return missing;
        }

        if (state.Allocations.ContainsKey(request.Workload))
        {
            return Decision.Nothing;
        }

        if (request.Resources.IsEmptyOrNegative)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "a workload needs some CPU, memory or disk and none negative", "resources");
        }

        if (CheckGroup(state, request.Group) is { } badGroup)
        {
            return badGroup;
        }

        var host = Placement.Choose(state.Hosts, request.Resources, request.Group, GroupHosts(state, request.Group, request.Workload), excludeHost: null);
        if (host is null)
        {
            return Decision.Refuse(EdgeErrorCode.FailedPrecondition, NoRoom(state, request.Resources, request.Group));
        }

        return Decision.Accept(new WorkloadPlaced(
            request.Workload, request.Kind, host, request.Resources, request.Group?.Name, request.Group?.Policy ?? ServerGroupPolicy.None, request.Owned));
    }

    public static Decision Move(SiteState state, string workload, string? toHost)
    {
        if (!state.Allocations.TryGetValue(workload, out var allocation))
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"{workload} has no allocation in site {state.SiteId}", "workload");
        }

        var group = allocation.Group is null ? null : new ServerGroup(allocation.Group, allocation.GroupPolicy);
        var groupHosts = GroupHosts(state, group, workload);
        if (toHost is not null)
        {
            if (toHost == allocation.Host)
            {
                return Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"{workload} is already on {toHost}", "to_host");
            }

            if (!state.Hosts.ContainsKey(toHost))
            {
                return Decision.Refuse(EdgeErrorCode.NotFound, $"host {toHost} is not in site {state.SiteId}", "to_host");
            }

            return Placement.Unfit(state.Hosts, toHost, allocation.Resources, group, groupHosts) is { } why
                ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"cannot move {workload} to {toHost}: {why}", "to_host")
                : Decision.Accept(new WorkloadMoved(workload, allocation.Host, toHost));
        }

        var chosen = Placement.Choose(state.Hosts, allocation.Resources, group, groupHosts, excludeHost: allocation.Host);
        return chosen is null
            ? Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"cannot move {workload}: {NoRoom(state, allocation.Resources, group, allocation.Host)}")
            : Decision.Accept(new WorkloadMoved(workload, allocation.Host, chosen));
    }

    public static Decision Release(SiteState state, string workload) =>
        state.Allocations.ContainsKey(workload) ? Decision.Accept(new WorkloadReleased(workload)) : Decision.Nothing;

    /// <summary>
    /// Plans, on a copy of the ledger, where every workload of <paramref name="host"/> goes; each move counts against
    /// the hosts for the next, so the plan never overfills a host. VMs and owned pods that cannot move refuse the drain,
    /// unless forced: then such VMs stop in place and such pods are evicted. Pods nothing owns cannot be re-created
    /// elsewhere, so they too refuse an unforced drain.
    /// </summary>
    public static Decision Drain(SiteState state, string host, bool force)
    {
        if (!state.Hosts.TryGetValue(host, out var drained))
        {
            return Decision.Refuse(EdgeErrorCode.NotFound, $"host {host} is not in site {state.SiteId}", "host");
        }

        if (state.Drains.ContainsKey(host))
        {
            return Decision.Nothing;
        }

        var hosts = state.Hosts.SetItem(host, drained with { Schedulable = false });
        var placedHost = state.Allocations.ToDictionary(a => a.Key, a => a.Value.Host, StringComparer.Ordinal);
        var moves = new List<WorkloadMove>();
        var stopped = new List<string>();
        var evicted = new List<string>();
        foreach (var (workload, allocation) in state.Allocations.Where(a => a.Value.Host == host).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var group = allocation.Group is null ? null : new ServerGroup(allocation.Group, allocation.GroupPolicy);
            var groupHosts = group is null
                ? NoHosts
                : state.Allocations.Where(a => a.Key != workload && a.Value.Group == group.Name).Select(a => placedHost[a.Key]).ToHashSet(StringComparer.Ordinal);
            var target = allocation.Kind == WorkloadKind.Pod && !allocation.Owned
                ? null
                : Placement.Choose(hosts, allocation.Resources, group, groupHosts, excludeHost: host);
            if (target is not null)
            {
                moves.Add(new WorkloadMove(workload, allocation.Kind, target));
                placedHost[workload] = target;
                hosts = hosts.SetItem(target, hosts[target] with { Allocated = hosts[target].Allocated.Add(allocation.Resources) });
                continue;
            }

            if (!force)
            {
                var why = allocation.Kind == WorkloadKind.Pod && !allocation.Owned
                    ? "nothing owns it, so it cannot be re-created elsewhere"
                    : NoRoom(state, allocation.Resources, group, host);
                return Decision.Refuse(EdgeErrorCode.FailedPrecondition, $"cannot lock {host}: {workload} cannot move ({why}); force-lock stops what cannot move");
            }

            (allocation.Kind == WorkloadKind.Instance ? stopped : evicted).Add(workload);
        }

        return Decision.Accept(new HostDrained(host, moves, stopped, evicted));
    }

    public static Decision RegisterPool(SiteState state, string pool)
    {
        if (NotFound(state) is { } missing)
        {
            return missing;
        }

        return state.Pools.Contains(pool) ? Decision.Nothing : Decision.Accept(new PoolRegistered(pool));
    }

    public static IEnumerable<string> WorkloadsOn(SiteState state, string host) =>
        state.Allocations.Where(a => a.Value.Host == host).Select(a => a.Key).Order(StringComparer.Ordinal);

    private static Refusal? NotFound(SiteState state) =>
        state.Exists ? null : new Refusal(EdgeErrorCode.NotFound, "site does not exist", "site_id");

    private static Refusal? CheckGroup(SiteState state, ServerGroup? group)
    {
        if (group is null)
        {
            return null;
        }

        if (ResourceNames.CheckName(group.Name, "group.name") is { } badName)
        {
            return badName;
        }

        if (group.Policy == ServerGroupPolicy.None)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, "a server group needs a policy: affinity or anti-affinity", "group.policy");
        }

        var existing = state.Allocations.Values.FirstOrDefault(a => a.Group == group.Name);
        return existing is not null && existing.GroupPolicy != group.Policy
            ? new Refusal(EdgeErrorCode.InvalidArgument, $"server group {group.Name} has policy {existing.GroupPolicy}, not {group.Policy}", "group.policy")
            : null;
    }

    private static IReadOnlySet<string> GroupHosts(SiteState state, ServerGroup? group, string exceptWorkload) =>
        group is null
            ? NoHosts
            : state.Allocations.Where(a => a.Key != exceptWorkload && a.Value.Group == group.Name).Select(a => a.Value.Host).ToHashSet(StringComparer.Ordinal);

    private static string NoRoom(SiteState state, Resources resources, ServerGroup? group, string? excluding = null)
    {
        var candidates = state.Hosts.Where(h => h.Key != excluding && h.Value.Schedulable && Placement.IsEligible(state.Hosts, h.Value)).ToList();
        if (candidates.Count == 0)
        {
            return "no other host is unlocked, enabled and available";
        }

        var policy = group is null ? string.Empty : $" within server group {group.Name} ({group.Policy})";
        return $"no host has room for {Placement.Describe(resources)}{policy}";
    }
}
