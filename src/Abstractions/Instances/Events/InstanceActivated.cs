namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-activated.v1")]
public sealed record InstanceActivated : IDomainEvent;
