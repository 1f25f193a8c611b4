namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-deleted.v1")]
public sealed record InstanceDeleted : IDomainEvent;
