namespace Edge.Actors.Abstractions;

/// <summary>The durable intent of a lock: its workloads are being moved away.</summary>
[GenerateSerializer, Immutable, Alias("edge.host-lock-started.v1")]
public sealed record HostLockStarted(
    [property: Id(0)] bool Force) : IDomainEvent;
