namespace Edge.Actors.Abstractions;

/// <summary>One host of a site, keyed <c>site/host</c>: personality, administrative, operational and availability states and capacity.</summary>
public interface IHostGrain : IGrainWithStringKey
{
    /// <summary>Adds the host to its site, locked; it takes workloads once unlocked.</summary>
    Task<HostView> AddAsync(AddHost command, CancellationToken cancellationToken = default);

    /// <summary>Moves the host's VMs and pods elsewhere, then locks it; refused when they cannot all move.</summary>
    Task<HostView> LockAsync(LockHost command, CancellationToken cancellationToken = default);

    /// <summary>Unlocks the host; it passes through in-test to available.</summary>
    Task<HostView> UnlockAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a locked host that holds no workloads.</summary>
    Task<HostView> DeleteAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>The host's state.</summary>
    Task<HostView> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Its pulses are being missed: degraded, and it takes no new workloads (failure detection; idempotent).</summary>
    Task DegradeAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>It stopped answering: failed, alarmed, and its workloads evacuated (failure detection; idempotent).</summary>
    Task FailAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>Its pulses returned: through in-test back to available, alarms cleared (failure detection; idempotent).</summary>
    Task RecoverAsync(CancellationToken cancellationToken = default);

    /// <summary>Finishes an evacuation a dead silo left half-done; does nothing otherwise.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable, Alias("edge.add-host")]
public sealed record AddHost(
    [property: Id(0)] string RequestId,
    [property: Id(1)] HostPersonality Personality,
    [property: Id(2)] int VCpus,
    [property: Id(3)] long MemoryMiB,
    [property: Id(4)] long DiskGiB);

[GenerateSerializer, Immutable, Alias("edge.lock-host")]
public sealed record LockHost([property: Id(0)] string RequestId, [property: Id(1)] bool Force = false);

[GenerateSerializer, Immutable, Alias("edge.host-view")]
public sealed record HostView(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] HostPersonality Personality,
    [property: Id(3)] AdministrativeState Administrative,
    [property: Id(4)] OperationalState Operational,
    [property: Id(5)] HostAvailability Availability,
    [property: Id(6)] Resources Capacity,
    [property: Id(7)] bool Deleted,
    [property: Id(8)] long Version);
