namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.instance-created.v1")]
public sealed record InstanceCreated(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] Flavor Flavor,
    [property: Id(3)] string Image,
    [property: Id(4)] string? Group,
    [property: Id(5)] ServerGroupPolicy GroupPolicy,
    [property: Id(6)] string Host) : IDomainEvent;
