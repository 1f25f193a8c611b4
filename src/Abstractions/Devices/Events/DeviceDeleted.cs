namespace Edge.Actors.Abstractions;

/// <summary>The device was deleted; events from it are no longer taken.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-deleted.v1")]
public sealed record DeviceDeleted : IDomainEvent;
