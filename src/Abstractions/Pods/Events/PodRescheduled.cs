namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pod-rescheduled.v1")]
public sealed record PodRescheduled(
    [property: Id(0)] string FromNode,
    [property: Id(1)] string ToNode) : IDomainEvent;
