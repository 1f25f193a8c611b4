namespace Edge.Actors.Abstractions;

/// <summary>A device was added to its site's list of devices.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-listed.v1")]
public sealed record DeviceListed(
    [property: Id(0)] string Device) : IDomainEvent;
