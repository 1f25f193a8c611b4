using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Alarms;

/// <summary>An alarm as it stands: what its latest raise said.</summary>
[GenerateSerializer, Immutable]
public sealed record ActiveAlarm(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason,
    [property: Id(4)] string ProposedRepairAction,
    [property: Id(5)] bool ServiceAffecting,
    [property: Id(6)] DateTimeOffset RaisedAt);

/// <summary>
/// A site's active alarms and suppressed alarm ids. The event log itself is not held here: it is the alarm stream,
/// read page by page from the event store, so the state stays the size of what is active however long the log grows.
/// </summary>
[GenerateSerializer]
public sealed class AlarmState : AggregateState
{
    /// <summary>Active alarms by <see cref="KeyOf"/>: alarm id, a space, entity.</summary>
    [Id(0)]
    public Dictionary<string, ActiveAlarm> Active { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public SortedSet<string> Suppressed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An alarm id has no space and a fixed length, so this key orders by alarm id, then entity.</summary>
    public static string KeyOf(string alarmId, string entityInstanceId) => $"{alarmId} {entityInstanceId}";

    public override void Apply(IDomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case AlarmRaised e:
                Active[KeyOf(e.AlarmId, e.EntityInstanceId)] = new ActiveAlarm(e.AlarmId, e.EntityInstanceId, e.Severity, e.Reason, e.ProposedRepairAction, e.ServiceAffecting, e.RaisedAt);
                break;
            case AlarmCleared e: Active.Remove(KeyOf(e.AlarmId, e.EntityInstanceId)); break;
            case AlarmSuppressed e: Suppressed.Add(e.AlarmId); break;
            case AlarmUnsuppressed e: Suppressed.Remove(e.AlarmId); break;
        }
    }
}
