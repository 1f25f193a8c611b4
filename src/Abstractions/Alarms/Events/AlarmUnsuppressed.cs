namespace Edge.Actors.Abstractions;

[GenerateSerializer, Immutable, Alias("edge.alarm-unsuppressed.v1")]
public sealed record AlarmUnsuppressed(
    [property: Id(0)] string AlarmId) : IDomainEvent;
