namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pod-deleted.v1")]
public sealed record PodDeleted : IDomainEvent;
