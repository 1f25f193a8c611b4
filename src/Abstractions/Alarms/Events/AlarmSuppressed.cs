namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.alarm-suppressed.v1")]
public sealed record AlarmSuppressed(
    [property: Id(0)] string AlarmId) : IDomainEvent;
