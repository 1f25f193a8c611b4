namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-created.v1")]
public sealed record PoolCreated(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] int Size,
    [property: Id(3)] int MinSize) : IDomainEvent;
