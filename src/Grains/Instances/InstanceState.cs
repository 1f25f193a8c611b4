using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Instances;

/// <summary>A VM's flavor, placement and life-cycle state.</summary>
[GenerateSerializer]
public sealed class InstanceState : AggregateState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public string Site { get; set; } = string.Empty;

    [Id(2)]
    public string Name { get; set; } = string.Empty;

    [Id(3)]
    public Flavor Flavor { get; set; } = new(string.Empty, 0, 0, 0);

    [Id(4)]
    public string Image { get; set; } = string.Empty;

    [Id(5)]
    public ServerGroup? Group { get; set; }

    [Id(6)]
    public string Host { get; set; } = string.Empty;

    [Id(7)]
    public InstanceStatus State { get; set; }

    [Id(8)]
    public string? Reason { get; set; }

    public bool IsLive => Exists && State != InstanceStatus.Deleted;

    public InstanceView ToView(int version) => new(Site, Name, Flavor, Image, Group, Host, State, Reason, version);

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case RequestAccepted e: Apply(e); break;
            case InstanceCreated e: Apply(e); break;
            case InstanceActivated: State = InstanceStatus.Active; Reason = null; break;
            case InstanceStopped e: State = InstanceStatus.Stopped; Reason = e.Reason; break;
            case InstanceStarted: State = InstanceStatus.Active; Reason = null; break;
            case InstanceMigrationStarted: State = InstanceStatus.Migrating; break;
            case InstanceMigrated e: Host = e.ToHost; State = State == InstanceStatus.Migrating ? InstanceStatus.Active : State; break;
            case InstanceFailed e: State = InstanceStatus.Error; Reason = e.Reason; break;
            case InstanceEvacuated e: Host = e.ToHost; State = State == InstanceStatus.Stopped ? InstanceStatus.Stopped : InstanceStatus.Active; Reason = null; break;
            case InstanceDeleted: State = InstanceStatus.Deleted; break;
        }
    }

    private void Apply(InstanceCreated e)
    {
        if (e.RequestId is { } requestId)
        {
            Remember(requestId);
        }

        Exists = true;
        Site = e.Site;
        Name = e.Name;
        Flavor = e.Flavor;
        Image = e.Image;
        Group = e.Group is null ? null : new ServerGroup(e.Group, e.GroupPolicy);
        Host = e.Host;
        State = InstanceStatus.Active;
        Reason = null;
    }
}
