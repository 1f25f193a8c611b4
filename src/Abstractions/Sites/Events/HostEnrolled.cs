namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.site-host-enrolled.v1")]
public sealed record HostEnrolled(
    [property: Id(0)] string Host,
    [property: Id(1)] HostPersonality Personality,
    [property: Id(2)] Resources Capacity) : IDomainEvent;
