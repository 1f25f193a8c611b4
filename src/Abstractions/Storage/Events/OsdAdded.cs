namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pool-osd-added.v1")]
public sealed record OsdAdded(
    [property: Id(0)] string Host,
    [property: Id(1)] int CapacityGiB) : IDomainEvent;
