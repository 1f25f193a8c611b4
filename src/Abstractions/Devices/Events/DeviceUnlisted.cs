namespace Edge.Actors.Abstractions;

/// <summary>A device was removed from its site's list of devices.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-unlisted.v1")]
public sealed record DeviceUnlisted(
    [property: Id(0)] string Device) : IDomainEvent;
