namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-listed.v1")]
public sealed record SiteListed([property: Id(0)] string SiteId) : IDomainEvent;
