namespace Edge.Actors.Abstractions;

/// <summary>The device was heard: the first time, or after it had gone offline.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-went-online.v1")]
public sealed record DeviceWentOnline(
    [property: Id(0)] DateTimeOffset At) : IDomainEvent;
