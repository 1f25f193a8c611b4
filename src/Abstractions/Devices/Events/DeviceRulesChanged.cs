namespace Edge.Actors.Abstractions;

/// <summary>The device's threshold rules were replaced.</summary>
[GenerateSerializer, Immutable, Alias("edge.device-rules-changed.v1")]
public sealed record DeviceRulesChanged(
    [property: Id(0)] IReadOnlyList<ThresholdRule> Rules) : IDomainEvent;
