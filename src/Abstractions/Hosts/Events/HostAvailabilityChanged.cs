namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.host-availability-changed.v1")]
public sealed record HostAvailabilityChanged(
    [property: Id(0)] HostAvailability Availability) : IDomainEvent;
