using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Storage;

[GenerateSerializer, Immutable]
public sealed record Osd([property: Id(0)] int CapacityGiB, [property: Id(1)] bool Up);

[GenerateSerializer, Immutable]
public sealed record Volume([property: Id(0)] int SizeGiB, [property: Id(1)] string? AttachedTo);

/// <summary>A replicated pool: its replication, OSDs per host, volumes and the health last recorded.</summary>
[GenerateSerializer]
public sealed class PoolState : AggregateState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public string Site { get; set; } = string.Empty;

    [Id(2)]
    public string Name { get; set; } = string.Empty;

    [Id(3)]
    public int Size { get; set; }

    [Id(4)]
    public int MinSize { get; set; }

    [Id(5)]
    public SortedDictionary<string, Osd> Osds { get; set; } = new(StringComparer.Ordinal);

    [Id(6)]
    public SortedDictionary<string, Volume> Volumes { get; set; } = new(StringComparer.Ordinal);

    [Id(7)]
    public PoolHealth Health { get; set; } = PoolHealth.Err;

    /// <summary>Usable capacity: raw OSD capacity divided by the number of replicas each byte is kept in.</summary>
    public long CapacityGiB => Size == 0 ? 0 : Osds.Values.Sum(o => (long)o.CapacityGiB) / Size;

    public long UsedGiB => Volumes.Values.Sum(v => (long)v.SizeGiB);

    /// <summary>
    /// Health from how many replicas are reachable: each OSD host that is up holds one replica (the pool's CRUSH rule
    /// spreads replicas across hosts). All replicas: OK; at least min size, so I/O continues: WARN; fewer: ERR.
    /// </summary>
    public PoolHealth ComputeHealth()
    {
        var reachable = Math.Min(Osds.Count(o => o.Value.Up), Size);
        return Osds.Count == 0 || reachable < MinSize ? PoolHealth.Err : reachable >= Size ? PoolHealth.Ok : PoolHealth.Warn;
    }

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case RequestAccepted e: Apply(e); break;
            case PoolCreated e: (Exists, Site, Name, Size, MinSize, Health) = (true, e.Site, e.Name, e.Size, e.MinSize, PoolHealth.Err); break;
            case OsdAdded e: Osds[e.Host] = new Osd(e.CapacityGiB, Up: false); break;
            case OsdHostStateChanged e when Osds.TryGetValue(e.Host, out var osd): Osds[e.Host] = osd with { Up = e.Up }; break;
            case PoolHealthChanged e: Health = e.Health; break;
            case VolumeCreated e: Volumes[e.Volume] = new Volume(e.SizeGiB, null); break;
            case VolumeDeleted e: Volumes.Remove(e.Volume); break;
            case VolumeAttached e when Volumes.TryGetValue(e.Volume, out var volume): Volumes[e.Volume] = volume with { AttachedTo = e.Instance }; break;
            case VolumeDetached e when Volumes.TryGetValue(e.Volume, out var volume): Volumes[e.Volume] = volume with { AttachedTo = null }; break;
        }
    }
}
