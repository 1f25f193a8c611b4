namespace Edge.Actors.Abstractions;

/// <summary>An alarm was set, or an active one replaced with a new severity or text.</summary>
[GenerateSerializer, Immutable, Alias("edge.alarm-raised.v1")]
public sealed record AlarmRaised(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason,
    [property: Id(4)] string ProposedRepairAction,
    [property: Id(5)] bool ServiceAffecting,
    [property: Id(6)] DateTimeOffset RaisedAt) : IDomainEvent;
