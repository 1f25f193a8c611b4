namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-stopped.v1")]
public sealed record InstanceStopped(
    [property: Id(0)] string Reason) : IDomainEvent;
