namespace Edge.Actors.Abstractions;

/// <summary>The host stopped taking workloads and its workloads were assigned elsewhere (or stopped/evicted on a force-lock).</summary>
[GenerateSerializer, Immutable, Alias("edge.site-host-drained.v1")]
public sealed record HostDrained(
    [property: Id(0)] string Host,
    [property: Id(1)] IReadOnlyList<WorkloadMove> Moves,
    [property: Id(2)] IReadOnlyList<string> Stopped,
    [property: Id(3)] IReadOnlyList<string> Evicted) : IDomainEvent;
