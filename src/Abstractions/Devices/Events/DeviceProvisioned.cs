namespace Edge.Actors.Abstractions;

/// <summary>A device was provisioned with its service, profile, rules and offline window; it is not online until it is heard.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-provisioned.v1")]
public sealed record DeviceProvisioned(
    [property: Id(0)] string Site,
    [property: Id(1)] string Name,
    [property: Id(2)] string Service,
    [property: Id(3)] string Profile,
    [property: Id(4)] IReadOnlyList<ThresholdRule> Rules,
    [property: Id(5)] int OfflineWindowSeconds) : IDomainEvent;
