namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-unmanaged.v1")]
public sealed record SiteUnmanaged : IDomainEvent;
