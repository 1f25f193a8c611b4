namespace Edge.Actors.Abstractions;

/// <summary>Schedulable: unlocked, enabled and available. Up: available or degraded, for storage replicas.</summary>
[GenerateSerializer, Immutable, Alias("edge.site-host-scheduling-changed.v1")]
public sealed record HostSchedulingChanged(
    [property: Id(0)] string Host,
    [property: Id(1)] bool Schedulable,
    [property: Id(2)] bool Up) : IDomainEvent;
