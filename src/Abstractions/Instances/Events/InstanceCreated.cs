namespace Edge.Actors.Abstractions;

/// <summary>
/// A VM was placed on <see cref="Host"/> and is running there. It carries the create's request id itself (older
/// streams recorded it in a separate <see cref="RequestAccepted"/>, then <see cref="InstanceActivated"/>): a create is
/// the hottest command, and one row per create is what the store can commit fastest.
/// </summary>
[GenerateSerializer, Immutable, Alias("edge.instance-created.v1")]
public sealed record InstanceCreated(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] Flavor Flavor,
    [property: Id(3)] string Image,
    [property: Id(4)] string? Group,
    [property: Id(5)] ServerGroupPolicy GroupPolicy,
    [property: Id(6)] string Host,
    [property: Id(7)] string? RequestId = null) : IDomainEvent;
