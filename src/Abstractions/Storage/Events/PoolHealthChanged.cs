namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-health-changed.v1")]
public sealed record PoolHealthChanged(
    [property: Id(0)] PoolHealth Health) : IDomainEvent;
