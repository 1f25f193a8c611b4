namespace Edge.Actors.Abstractions;

/// <summary>One pod, keyed <c>site/namespace/name</c>.</summary>
public interface IPodGrain : IGrainWithStringKey
{
    /// <summary>Creates the pod on a worker the site's scheduler chooses.</summary>
    Task<PodView> CreateAsync(CreatePod command, CancellationToken cancellationToken = default);

    /// <summary>Deletes the pod and frees its resources.</summary>
    Task<PodView> DeleteAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Follows a move the site's scheduler decided (its node was locked); idempotent.</summary>
    Task RescheduleAsync(string toNode, CancellationToken cancellationToken = default);

    /// <summary>Fails the pod because its node went away and nothing owns it; idempotent.</summary>
    Task EvictAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>The pod's state.</summary>
    Task<PodView> GetAsync(CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable, Alias("edge.create-pod")]
public sealed record CreatePod(
    [property: Id(0)] string RequestId,
    [property: Id(1)] long MilliCpu,
    [property: Id(2)] long MemoryMiB,
    [property: Id(3)] string? Owner = null);

[GenerateSerializer, Immutable, Alias("edge.pod-view")]
public sealed record PodView(
    [property: Id(0)] string Site,
    [property: Id(1)] string Namespace,
    [property: Id(2)] string Name,
    [property: Id(3)] Resources Requests,
    [property: Id(4)] string? Owner,
    [property: Id(5)] string Node,
    [property: Id(6)] PodPhase Phase,
    [property: Id(7)] string? Reason,
    [property: Id(8)] bool Deleted,
    [property: Id(9)] long Version);
