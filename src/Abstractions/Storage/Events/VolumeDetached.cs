namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-volume-detached.v1")]
public sealed record VolumeDetached(
    [property: Id(0)] string Volume) : IDomainEvent;
