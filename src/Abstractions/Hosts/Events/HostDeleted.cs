namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-deleted.v1")]
public sealed record HostDeleted : IDomainEvent;
