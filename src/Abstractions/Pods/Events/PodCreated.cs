namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pod-created.v1")]
public sealed record PodCreated(
    [property: Id(0)] string Site,
    [property: Id(1)] string Namespace,
    [property: Id(2)] string Name,
    [property: Id(3)] Resources Requests,
    [property: Id(4)] string? Owner,
    [property: Id(5)] string Node) : IDomainEvent;
