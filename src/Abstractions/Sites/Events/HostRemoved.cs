namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-host-removed.v1")]
public sealed record HostRemoved(
    [property: Id(0)] string Host) : IDomainEvent;
