namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-volume-attached.v1")]
public sealed record VolumeAttached(
    [property: Id(0)] string Volume,
    [property: Id(1)] string Instance) : IDomainEvent;
