namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-workload-released.v1")]
public sealed record WorkloadReleased(
    [property: Id(0)] string Workload) : IDomainEvent;
