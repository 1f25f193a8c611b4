namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-lock-abandoned.v1")]
public sealed record HostLockAbandoned(
    [property: Id(0)] string Reason) : IDomainEvent;
