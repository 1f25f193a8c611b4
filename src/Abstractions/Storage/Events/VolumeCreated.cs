namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-volume-created.v1")]
public sealed record VolumeCreated(
    [property: Id(0)] string Volume,
    [property: Id(1)] int SizeGiB) : IDomainEvent;
