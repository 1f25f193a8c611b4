namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-started.v1")]
public sealed record InstanceStarted : IDomainEvent;
