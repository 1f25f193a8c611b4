namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.pulse-settings-changed.v1")]
public sealed record PulseSettingsChanged([property: Id(0)] PulseSettings Settings) : IDomainEvent;
