namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-created.v1")]
public sealed record SiteCreated(
    [property: Id(0)] string SiteId,
    [property: Id(1)] string Description,
    [property: Id(2)] string Location) : IDomainEvent;
