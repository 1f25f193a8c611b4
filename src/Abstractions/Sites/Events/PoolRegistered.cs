namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-pool-registered.v1")]
public sealed record PoolRegistered(
    [property: Id(0)] string Pool) : IDomainEvent;
