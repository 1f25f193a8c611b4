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
    public Dictionary<string, SiteHost> Hosts { get; set; } = new(StringComparer.Ordinal);

    [Id(7)]
    public Dictionary<string, Allocation> Allocations { get; set; } = new(StringComparer.Ordinal);

    [Id(8)]
    public SortedSet<string> Pools { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The plan each drained host was emptied by, so that a repeated drain (a retried lock) gets the same answer.</summary>
    [Id(9)]
    public Dictionary<string, DrainPlan> Drains { get; set; } = new(StringComparer.Ordinal);

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
            case HostRemoved e: Hosts.Remove(e.Host); Drains.Remove(e.Host); break;
            case WorkloadPlaced e: Apply(e); break;
            case WorkloadMoved e: Move(e.Workload, e.ToHost); break;
            case WorkloadReleased e: Release(e.Workload); break;
            case HostDrained e: Apply(e); break;
            case PoolRegistered e: Pools.Add(e.Pool); break;
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

    private void Apply(HostEnrolled e) => Hosts[e.Host] = new SiteHost(e.Personality, e.Capacity, Resources.None, Schedulable: false, Up: false);

    private void Apply(HostSchedulingChanged e)
    {
        if (Hosts.TryGetValue(e.Host, out var host))
        {
            Hosts[e.Host] = host with { Schedulable = e.Schedulable, Up = e.Up };
            if (e.Schedulable)
            {
                Drains.Remove(e.Host);
            }
        }
    }

    private void Apply(WorkloadPlaced e)
    {
        Allocations[e.Workload] = new Allocation(e.Kind, e.Host, e.Resources, e.Group, e.GroupPolicy, e.Owned);
        AdjustHost(e.Host, e.Resources, add: true);
    }

    private void Apply(HostDrained e)
    {
        if (Hosts.TryGetValue(e.Host, out var host))
        {
            Hosts[e.Host] = host with { Schedulable = false };
        }

        foreach (var move in e.Moves)
        {
            Move(move.Workload, move.ToHost);
        }

        foreach (var evicted in e.Evicted)
        {
            Release(evicted);
        }

        Drains[e.Host] = new DrainPlan(e.Moves, e.Stopped, e.Evicted);
    }

    private void Move(string workload, string toHost)
    {
        if (Allocations.TryGetValue(workload, out var allocation))
        {
            AdjustHost(allocation.Host, allocation.Resources, add: false);
            Allocations[workload] = allocation with { Host = toHost };
            AdjustHost(toHost, allocation.Resources, add: true);
        }
    }

    private void Release(string workload)
    {
        if (Allocations.Remove(workload, out var allocation))
        {
            AdjustHost(allocation.Host, allocation.Resources, add: false);
        }
    }

    private void AdjustHost(string name, Resources resources, bool add)
    {
        if (Hosts.TryGetValue(name, out var host))
        {
            Hosts[name] = host with { Allocated = add ? host.Allocated.Add(resources) : host.Allocated.Subtract(resources) };
        }
    }
}
