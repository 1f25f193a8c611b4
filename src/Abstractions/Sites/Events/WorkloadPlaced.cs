namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-workload-placed.v1")]
public sealed record WorkloadPlaced(
    [property: Id(0)] string Workload,
    [property: Id(1)] WorkloadKind Kind,
    [property: Id(2)] string Host,
    [property: Id(3)] Resources Resources,
    [property: Id(4)] string? Group,
    [property: Id(5)] ServerGroupPolicy GroupPolicy,
    [property: Id(6)] bool Owned) : IDomainEvent;
