using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Devices;

/// <summary>
/// A device's recorded state: what it is, its rules, whether it is online, and the rules its values are past. Its last
/// readings are not here: they change with every event and live in the grain's memory only.
/// </summary>
[GenerateSerializer]
public sealed class DeviceState : AggregateState
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
    public string Service { get; set; } = string.Empty;

    [Id(5)]
    public string Profile { get; set; } = string.Empty;

    [Id(6)]
    public List<ThresholdRule> Rules { get; set; } = [];

    [Id(7)]
    public int OfflineWindowSeconds { get; set; } = DeviceRules.DefaultOfflineWindowSeconds;

    /// <summary>Heard within its offline window; false until it is first heard.</summary>
    [Id(8)]
    public bool Online { get; set; }

    /// <summary>The rules its values are past, in the order they were crossed.</summary>
    [Id(9)]
    public List<ThresholdCrossing> Crossings { get; set; } = [];

    public bool IsLive => Exists && !Deleted;

    public TimeSpan OfflineWindow => TimeSpan.FromSeconds(OfflineWindowSeconds);

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case RequestAccepted e: Apply(e); break;
            case DeviceProvisioned e: Apply(e); break;
            case DeviceRulesChanged e: Rules = [.. e.Rules]; break;
            case DeviceWentOnline: Online = true; break;
            case DeviceWentOffline: Online = false; break;
            case ThresholdCrossed e:
                Crossings.RemoveAll(c => c.Resource == e.Resource && c.Direction == e.Direction);
                Crossings.Add(new ThresholdCrossing(e.Resource, e.Direction, e.Value, e.At));
                break;
            case ThresholdCleared e: Crossings.RemoveAll(c => c.Resource == e.Resource && c.Direction == e.Direction); break;
            case DeviceDeleted: Deleted = true; Online = false; Crossings.Clear(); break;
        }
    }

    private void Apply(DeviceProvisioned e)
    {
        Exists = true;
        Deleted = false;
        Site = e.Site;
        Name = e.Name;
        Service = e.Service;
        Profile = e.Profile;
        Rules = [.. e.Rules];
        OfflineWindowSeconds = e.OfflineWindowSeconds;
        Online = false;
        Crossings = [];
    }
}
