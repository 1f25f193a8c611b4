using System.Collections.Immutable;
using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Sites;

/// <summary>A host as the site's ledger sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteHost(
    [property: Id(0)] HostPersonality Personality,
    [property: Id(1)] Resources Capacity,
    [property: Id(2)] Resources Allocated,
    [property: Id(3)] bool Schedulable,
    [property: Id(4)] bool Up)
{
    public Resources Free => Capacity.Subtract(Allocated);
}

/// <summary>One workload's reservation in the ledger.</summary>
[GenerateSerializer, Immutable]
public sealed record Allocation(
    [property: Id(0)] WorkloadKind Kind,
    [property: Id(1)] string Host,
    [property: Id(2)] Resources Resources,
    [property: Id(3)] string? Group,
    [property: Id(4)] ServerGroupPolicy GroupPolicy,
    [property: Id(5)] bool Owned);

/// <summary>A site's management state, inventory and allocation ledger.</summary>
/// <remarks>
/// The ledger is held in persistent (immutable) collections: a drain plans its moves on a copy of the hosts that
/// shares the ledger instead of duplicating thousands of entries, and each event replaces only the entries it changes.
/// </remarks>
[GenerateSerializer]
public sealed class SiteState : AggregateState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public string SiteId { get; set; } = string.Empty;

    [Id(2)]
    public string Description { get; set; } = string.Empty;

    [Id(3)]
    public string Location { get; set; } = string.Empty;

    [Id(4)]
    public SiteManagement Management { get; set; }

    [Id(5)]
    public SiteAvailability Availability { get; set; }

    [Id(6)]
    public ImmutableDictionary<string, SiteHost> Hosts { get; set; } = ImmutableDictionary<string, SiteHost>.Empty;

    [Id(7)]
    public ImmutableDictionary<string, Allocation> Allocations { get; set; } = ImmutableDictionary<string, Allocation>.Empty;

    [Id(8)]
    public ImmutableSortedSet<string> Pools { get; set; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>The plan each drained host was emptied by, so that a repeated drain (a retried lock) gets the same answer.</summary>
    [Id(9)]
    public ImmutableDictionary<string, DrainPlan> Drains { get; set; } = ImmutableDictionary<string, DrainPlan>.Empty;

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case RequestAccepted e: Apply(e); break;
            case SiteCreated e: Apply(e); break;
            case SiteManaged: Management = SiteManagement.Managed; break;
            case SiteUnmanaged: Management = SiteManagement.Unmanaged; break;
            case HostEnrolled e: Apply(e); break;
            case HostSchedulingChanged e: Apply(e); break;
            case HostRemoved e: Hosts = Hosts.Remove(e.Host); Drains = Drains.Remove(e.Host); break;
            case WorkloadPlaced e: Apply(e); break;
            case WorkloadMoved e: Move(e.Workload, e.ToHost); break;
            case WorkloadReleased e: Release(e.Workload); break;
            case HostDrained e: Apply(e); break;
            case PoolRegistered e: Pools = Pools.Add(e.Pool); break;
        }
    }

    private void Apply(SiteCreated e)
    {
        Exists = true;
        SiteId = e.SiteId;
        Description = e.Description;
        Location = e.Location;
        Management = SiteManagement.Unmanaged;
        Availability = SiteAvailability.Online;
    }

    private void Apply(HostEnrolled e) => Hosts = Hosts.SetItem(e.Host, new SiteHost(e.Personality, e.Capacity, Resources.None, Schedulable: false, Up: false));

    private void Apply(HostSchedulingChanged e)
    {
        if (Hosts.TryGetValue(e.Host, out var host))
        {
            Hosts = Hosts.SetItem(e.Host, host with { Schedulable = e.Schedulable, Up = e.Up });
            if (e.Schedulable)
            {
                Drains = Drains.Remove(e.Host);
            }
        }
    }

    private void Apply(WorkloadPlaced e)
    {
        Allocations = Allocations.SetItem(e.Workload, new Allocation(e.Kind, e.Host, e.Resources, e.Group, e.GroupPolicy, e.Owned));
        AdjustHost(e.Host, e.Resources, add: true);
    }

    private void Apply(HostDrained e)
    {
        if (Hosts.TryGetValue(e.Host, out var host))
        {
            Hosts = Hosts.SetItem(e.Host, host with { Schedulable = false });
        }

        foreach (var move in e.Moves)
        {
            Move(move.Workload, move.ToHost);
        }

        foreach (var evicted in e.Evicted)
        {
            Release(evicted);
        }

        Drains = Drains.SetItem(e.Host, new DrainPlan(e.Moves, e.Stopped, e.Evicted));
    }

    private void Move(string workload, string toHost)
    {
        if (Allocations.TryGetValue(workload, out var allocation))
        {
            AdjustHost(allocation.Host, allocation.Resources, add: false);
            Allocations = Allocations.SetItem(workload, allocation with { Host = toHost });
            AdjustHost(toHost, allocation.Resources, add: true);
        }
    }

    private void Release(string workload)
    {
        if (Allocations.TryGetValue(workload, out var allocation))
        {
            Allocations = Allocations.Remove(workload);
            AdjustHost(allocation.Host, allocation.Resources, add: false);
        }
    }

    private void AdjustHost(string name, Resources resources, bool add)
    {
        if (Hosts.TryGetValue(name, out var host))
        {
            Hosts = Hosts.SetItem(name, host with { Allocated = add ? host.Allocated.Add(resources) : host.Allocated.Subtract(resources) });
        }
    }
}
