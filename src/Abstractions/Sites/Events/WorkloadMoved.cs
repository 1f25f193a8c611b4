namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-workload-moved.v1")]
public sealed record WorkloadMoved(
    [property: Id(0)] string Workload,
    [property: Id(1)] string FromHost,
    [property: Id(2)] string ToHost) : IDomainEvent;
