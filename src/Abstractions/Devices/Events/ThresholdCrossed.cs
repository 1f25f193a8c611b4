namespace Edge.Actors.Abstractions;

/// <summary>A value of the device went past the limit of a rule.</summary>
[GenerateSerializer, Immutable, Alias("edge.threshold-crossed.v1")]
public sealed record ThresholdCrossed(
    [property: Id(0)] string Resource,
    [property: Id(1)] ThresholdDirection Direction,
    [property: Id(2)] double Value,
    [property: Id(3)] DateTimeOffset At) : IDomainEvent;
