namespace Edge.Actors.Abstractions;

/// <summary>Every workload of a failed host was rebuilt elsewhere or, with no room, marked failed.</summary>
[GenerateSerializer, Immutable, Alias("edge.host-evacuated.v1")]
public sealed record HostEvacuated(
    [property: Id(0)] int Rebuilt,
    [property: Id(1)] int Failed) : IDomainEvent;
