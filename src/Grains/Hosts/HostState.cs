using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Hosts;

/// <summary>A host's states and capacity, and the lock in progress if any.</summary>
[GenerateSerializer]
public sealed class HostState : AggregateState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public bool Deleted { get; set; }

    [Id(2)]
    public string Site { get; set; } = string.Empty;

    [Id(3)]
    public string Name { get; set; } = string.Empty;

    [Id(4)]
    public HostPersonality Personality { get; set; }

    [Id(5)]
    public Resources Capacity { get; set; } = Resources.None;

    [Id(6)]
    public AdministrativeState Administrative { get; set; }

    [Id(7)]
    public OperationalState Operational { get; set; }

    [Id(8)]
    public HostAvailability Availability { get; set; }

    /// <summary>The host failed and its workloads are not all evacuated yet.</summary>
    [Id(9)]
    public bool EvacuationPending { get; set; }

    public bool IsLive => Exists && !Deleted;

    /// <summary>Takes workloads: unlocked, enabled and available.</summary>
    public bool Schedulable => IsLive && Administrative == AdministrativeState.Unlocked && Operational == OperationalState.Enabled && Availability == HostAvailability.Available;

    /// <summary>Its storage serves replicas: unlocked and available or degraded.</summary>
    public bool Up => IsLive && Administrative == AdministrativeState.Unlocked && Availability is HostAvailability.Available or HostAvailability.Degraded;

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case RequestAccepted e: Apply(e); break;
            case HostAdded e: Apply(e); break;
            case HostLocked: Administrative = AdministrativeState.Locked; break;
            case HostUnlocked: Administrative = AdministrativeState.Unlocked; break;
            case HostAvailabilityChanged e: Availability = e.Availability; break;
            case HostOperationalStateChanged e: Operational = e.State; break;
            case HostFailed: Availability = HostAvailability.Failed; Operational = OperationalState.Disabled; EvacuationPending = true; break;
            case HostEvacuated: EvacuationPending = false; break;
            case HostDeleted: Deleted = true; break;
        }
    }

    private void Apply(HostAdded e)
    {
        Exists = true;
        Deleted = false;
        Site = e.Site;
        Name = e.Name;
        Personality = e.Personality;
        Capacity = e.Capacity;
        Administrative = AdministrativeState.Locked;
        Operational = OperationalState.Disabled;
        Availability = HostAvailability.Online;
    }
}
