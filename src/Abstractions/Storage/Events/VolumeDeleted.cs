namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-volume-deleted.v1")]
public sealed record VolumeDeleted(
    [property: Id(0)] string Volume) : IDomainEvent;
