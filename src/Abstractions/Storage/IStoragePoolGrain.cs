namespace Edge.Actors.Abstractions;

/// <summary>One replicated storage pool, keyed <c>site/pool</c>: OSDs on storage hosts, volumes, and health from how many replicas are reachable.</summary>
public interface IStoragePoolGrain : IGrainWithStringKey
{
    /// <summary>Creates the pool with its replication size and minimum size.</summary>
    Task<PoolView> CreateAsync(CreatePool command, CancellationToken cancellationToken = default);

    /// <summary>Adds an OSD on a storage host (or a controller in a site with no storage hosts).</summary>
    Task<PoolView> AddOsdAsync(AddOsd command, CancellationToken cancellationToken = default);

    /// <summary>Creates a volume if the pool has room for all its replicas.</summary>
    Task<PoolView> CreateVolumeAsync(CreateVolume command, CancellationToken cancellationToken = default);

    /// <summary>Deletes a detached volume.</summary>
    Task<PoolView> DeleteVolumeAsync(string requestId, string volume, CancellationToken cancellationToken = default);

    /// <summary>Attaches a volume to a VM of the same site.</summary>
    Task<PoolView> AttachVolumeAsync(string requestId, string volume, string instance, CancellationToken cancellationToken = default);

    /// <summary>Detaches a volume.</summary>
    Task<PoolView> DetachVolumeAsync(string requestId, string volume, CancellationToken cancellationToken = default);

    /// <summary>Records that a host with OSDs went up or down and recomputes health (idempotent).</summary>
    Task HostStateChangedAsync(string host, bool up, CancellationToken cancellationToken = default);

    /// <summary>The pool's state.</summary>
    Task<PoolView> GetAsync(CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable, Alias("edge.create-pool")]
public sealed record CreatePool([property: Id(0)] string RequestId, [property: Id(1)] int Size = 2, [property: Id(2)] int? MinSize = null);

[GenerateSerializer, Immutable, Alias("edge.add-osd")]
public sealed record AddOsd([property: Id(0)] string RequestId, [property: Id(1)] string Host, [property: Id(2)] int CapacityGiB);

[GenerateSerializer, Immutable, Alias("edge.create-volume")]
public sealed record CreateVolume([property: Id(0)] string RequestId, [property: Id(1)] string Volume, [property: Id(2)] int SizeGiB);

[GenerateSerializer, Immutable, Alias("edge.osd-view")]
public sealed record OsdView([property: Id(0)] string Host, [property: Id(1)] int CapacityGiB, [property: Id(2)] bool Up);

[GenerateSerializer, Immutable, Alias("edge.volume-view")]
public sealed record VolumeView([property: Id(0)] string Name, [property: Id(1)] int SizeGiB, [property: Id(2)] string? AttachedTo);

[GenerateSerializer, Immutable, Alias("edge.pool-view")]
public sealed record PoolView(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] int Size,
    [property: Id(3)] int MinSize,
    [property: Id(4)] IReadOnlyList<OsdView> Osds,
    [property: Id(5)] IReadOnlyList<VolumeView> Volumes,
    [property: Id(6)] long CapacityGiB,
    [property: Id(7)] long UsedGiB,
    [property: Id(8)] PoolHealth Health,
    [property: Id(9)] long Version);
