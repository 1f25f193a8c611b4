namespace Edge.Actors.Abstractions;

/// <summary>A customer log was recorded: an event log entry only, never an active alarm.</summary>
[GenerateSerializer, Immutable, Alias("edge.customer-log-recorded.v1")]
public sealed record CustomerLogRecorded(
    [property: Id(0)] string LogId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason,
    [property: Id(4)] DateTimeOffset LoggedAt) : IDomainEvent;
