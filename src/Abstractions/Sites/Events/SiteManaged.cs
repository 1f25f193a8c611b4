namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-managed.v1")]
public sealed record SiteManaged : IDomainEvent;
