namespace Edge.Actors.Abstractions;

/// <summary>An active alarm was cleared; carries its last severity and reason so the event log reads on its own.</summary>
[GenerateSerializer, Immutable, Alias("edge.alarm-cleared.v1")]
public sealed record AlarmCleared(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason,
    [property: Id(4)] DateTimeOffset ClearedAt) : IDomainEvent;
