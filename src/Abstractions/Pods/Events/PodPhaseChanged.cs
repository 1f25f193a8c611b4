namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pod-phase-changed.v1")]
public sealed record PodPhaseChanged(
    [property: Id(0)] PodPhase Phase,
    [property: Id(1)] string Reason) : IDomainEvent;
