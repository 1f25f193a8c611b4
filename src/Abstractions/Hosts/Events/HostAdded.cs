namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-added.v1")]
public sealed record HostAdded(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] HostPersonality Personality,
    [property: Id(3)] Resources Capacity) : IDomainEvent;
