using Orleans.Concurrency;

namespace Edge.Actors.Abstractions;

/// <summary>
/// One site (subcloud): its management state, the inventory of what lives in it and the allocation ledger
/// that every placement in the site goes through, so that no host is ever allocated beyond its capacity.
/// Keyed by site id.
/// </summary>
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Creates the site, unmanaged.</summary>
    Task<SiteView> CreateAsync(CreateSite command, CancellationToken cancellationToken = default);

    /// <summary>Puts the site under central management.</summary>
    Task<SiteView> ManageAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Takes the site out of central management.</summary>
    Task<SiteView> UnmanageAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>The site's state.</summary>
    [AlwaysInterleave]
    Task<SiteView> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The names of the site's hosts, instances, pods and pools, and each host's allocations.</summary>
    [AlwaysInterleave]
    Task<SiteInventory> GetInventoryAsync(CancellationToken cancellationToken = default);

    /// <summary>What the ledger knows of one host, or null.</summary>
    [AlwaysInterleave]
    Task<SiteHostView?> DescribeHostAsync(string host, CancellationToken cancellationToken = default);

    /// <summary>Adds a host to the ledger (idempotent).</summary>
    Task EnrollHostAsync(string host, HostPersonality personality, Resources capacity, CancellationToken cancellationToken = default);

    /// <summary>Records whether a host takes workloads and is up (idempotent); pools with OSDs on it are told.</summary>
    Task UpdateHostAsync(string host, bool schedulable, bool up, CancellationToken cancellationToken = default);

    /// <summary>Removes a host that holds no workloads.</summary>
    Task RemoveHostAsync(string host, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a VM in the site: the scheduler places it and records its creation in the VM's own stream, so the
    /// VM's grain is not woken for it. A name the ledger already holds (a live VM, or a create cut short) is answered
    /// by the VM's grain, which also makes a repeated request return its first outcome.
    /// </summary>
    Task<InstanceView> CreateInstanceAsync(string name, CreateInstance command, CancellationToken cancellationToken = default);

    /// <summary>Chooses a host for a workload and reserves its resources; the same workload always gets its first answer.</summary>
    Task<string> PlaceAsync(PlacementRequest request, CancellationToken cancellationToken = default);

    /// <summary>Moves a workload to <paramref name="toHost"/>, or to the best host when null; returns the host it is on after.</summary>
    Task<string> MoveAsync(string workload, string? toHost, CancellationToken cancellationToken = default);

    /// <summary>Frees a workload's resources (idempotent).</summary>
    Task ReleaseAsync(string workload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops placing on a host and assigns every workload on it elsewhere, all or nothing; refused when they cannot
    /// all move unless <paramref name="force"/>, which stops VMs and evicts pods that cannot. A repeat returns the plan made first.
    /// </summary>
    Task<DrainPlan> DrainHostAsync(string host, bool force, CancellationToken cancellationToken = default);

    /// <summary>Adds a storage pool to the inventory (idempotent).</summary>
    Task RegisterPoolAsync(string pool, CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable, Alias("edge.create-site")]
public sealed record CreateSite([property: Id(0)] string RequestId, [property: Id(1)] string Description = "", [property: Id(2)] string Location = "");

[GenerateSerializer, Immutable, Alias("edge.placement-request")]
public sealed record PlacementRequest(
    [property: Id(0)] string Workload,
    [property: Id(1)] WorkloadKind Kind,
    [property: Id(2)] Resources Resources,
    [property: Id(3)] ServerGroup? Group = null,
    [property: Id(4)] bool Owned = true);

[GenerateSerializer, Immutable, Alias("edge.drain-plan")]
public sealed record DrainPlan(
    [property: Id(0)] IReadOnlyList<WorkloadMove> Moves,
    [property: Id(1)] IReadOnlyList<string> Stopped,
    [property: Id(2)] IReadOnlyList<string> Evicted);

[GenerateSerializer, Immutable, Alias("edge.site-view")]
public sealed record SiteView(
    [property: Id(0)] string SiteId,
    [property: Id(1)] string Description,
    [property: Id(2)] string Location,
    [property: Id(3)] SiteManagement Management,
    [property: Id(4)] SiteAvailability Availability,
    [property: Id(5)] int Hosts,
    [property: Id(6)] int Instances,
    [property: Id(7)] int Pods,
    [property: Id(8)] int Pools,
    [property: Id(9)] long Version);

[GenerateSerializer, Immutable, Alias("edge.site-host-view")]
public sealed record SiteHostView(
    [property: Id(0)] string Host,
    [property: Id(1)] HostPersonality Personality,
    [property: Id(2)] Resources Capacity,
    [property: Id(3)] Resources Allocated,
    [property: Id(4)] bool Schedulable,
    [property: Id(5)] bool Up,
    [property: Id(6)] IReadOnlyList<string> Workloads);

[GenerateSerializer, Immutable, Alias("edge.site-inventory")]
public sealed record SiteInventory(
    [property: Id(0)] IReadOnlyList<SiteHostView> Hosts,
    [property: Id(1)] IReadOnlyList<string> Instances,
    [property: Id(2)] IReadOnlyList<string> Pods,
    [property: Id(3)] IReadOnlyList<string> Pools);
