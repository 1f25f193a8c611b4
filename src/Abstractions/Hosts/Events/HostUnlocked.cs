namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-unlocked.v1")]
public sealed record HostUnlocked : IDomainEvent;
