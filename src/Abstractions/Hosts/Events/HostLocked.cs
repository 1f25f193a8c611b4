namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-locked.v1")]
public sealed record HostLocked(
    [property: Id(0)] bool Force) : IDomainEvent;
