namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-osd-host-state-changed.v1")]
public sealed record OsdHostStateChanged(
    [property: Id(0)] string Host,
    [property: Id(1)] bool Up) : IDomainEvent;
