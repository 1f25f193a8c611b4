namespace Edge.Actors.Abstractions;

/// <summary>The device was silent for longer than its offline window.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-went-offline.v1")]
public sealed record DeviceWentOffline(
    [property: Id(0)] DateTimeOffset LastSeen,
    [property: Id(1)] DateTimeOffset At) : IDomainEvent;
