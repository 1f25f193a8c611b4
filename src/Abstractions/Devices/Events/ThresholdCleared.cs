namespace Edge.Actors.Abstractions;

/// <summary>A crossed rule's value came back past the limit by its hysteresis, or the rule was removed (the value is then the last one known).</summary>
[GenerateSerializer, Immutable, Alias("edge.threshold-cleared.v1")]
public sealed record ThresholdCleared(
    [property: Id(0)] string Resource,
    [property: Id(1)] ThresholdDirection Direction,
    [property: Id(2)] double Value,
    [property: Id(3)] DateTimeOffset At) : IDomainEvent;
