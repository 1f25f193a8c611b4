namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-operational-state-changed.v1")]
public sealed record HostOperationalStateChanged(
    [property: Id(0)] OperationalState State) : IDomainEvent;
