namespace Edge.Actors.Abstractions;

/// <summary>
/// The fault management of one site, keyed by site id: its active alarms, idempotent on (alarm id, entity), the
/// alarm ids suppressed from its views, and its event log of every set, clear and customer log. Called by operators
/// through the gateway and by the platform itself (failure detection raises 200.004 and clears it).
/// </summary>
public interface IAlarmGrain : IGrainWithStringKey
{
    /// <summary>Raises an alarm; raising an active one with the same content records nothing, a changed one replaces it.</summary>
    Task<Alarm> RaiseAsync(RaiseAlarm command, CancellationToken cancellationToken = default);

    /// <summary>Clears an alarm; returns false, recording nothing, when it was not active.</summary>
    Task<bool> ClearAsync(string alarmId, string entityInstanceId, CancellationToken cancellationToken = default);

    /// <summary>Records a customer log in the event log: a fact worth keeping that is not a standing alarm.</summary>
    Task LogAsync(CustomerLog log, CancellationToken cancellationToken = default);

    /// <summary>The active alarms matching <paramref name="filter"/>, by alarm id then entity.</summary>
    Task<IReadOnlyList<Alarm>> ListAsync(AlarmFilter filter, CancellationToken cancellationToken = default);

    /// <summary>One active alarm (suppressed or not); NotFound when it is not active.</summary>
    Task<Alarm> GetAsync(string alarmId, string entityInstanceId, CancellationToken cancellationToken = default);

    /// <summary>Hides the active and future alarms with this id from lists and the summary, keeping them (idempotent).</summary>
    Task SuppressAsync(string alarmId, CancellationToken cancellationToken = default);

    /// <summary>Shows the alarms with this id again (idempotent).</summary>
    Task UnsuppressAsync(string alarmId, CancellationToken cancellationToken = default);

    /// <summary>How many unsuppressed active alarms there are of each severity, and how many are suppressed.</summary>
    Task<AlarmSummary> SummaryAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="pageSize"/> event log entries after stream version <paramref name="fromVersion"/>, oldest first.</summary>
    Task<EventLogPage> ReadLogAsync(long fromVersion, int pageSize, CancellationToken cancellationToken = default);
}

[GenerateSerializer, Immutable, Alias("edge.raise-alarm")]
public sealed record RaiseAlarm(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason,
    [property: Id(4)] string ProposedRepairAction = "",
    [property: Id(5)] bool ServiceAffecting = false);

[GenerateSerializer, Immutable, Alias("edge.customer-log")]
public sealed record CustomerLog(
    [property: Id(0)] string LogId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason);

/// <summary>Which active alarms to list: of one severity, of entities starting with a prefix, and whether suppressed ones are included.</summary>
[GenerateSerializer, Immutable, Alias("edge.alarm-filter")]
public sealed record AlarmFilter(
    [property: Id(0)] AlarmSeverity? Severity = null,
    [property: Id(1)] string? EntityPrefix = null,
    [property: Id(2)] bool IncludeSuppressed = false);

/// <summary>An active alarm as StarlingX shapes it; <see cref="Suppressed"/> when its id is suppressed in the site.</summary>
[GenerateSerializer, Immutable, Alias("edge.alarm")]
public sealed record Alarm(
    [property: Id(0)] string AlarmId,
    [property: Id(1)] string EntityInstanceId,
    [property: Id(2)] AlarmSeverity Severity,
    [property: Id(3)] string Reason,
    [property: Id(4)] string ProposedRepairAction,
    [property: Id(5)] bool ServiceAffecting,
    [property: Id(6)] DateTimeOffset RaisedAt,
    [property: Id(7)] string SiteId,
    [property: Id(8)] bool Suppressed = false);

[GenerateSerializer, Immutable, Alias("edge.alarm-summary")]
public sealed record AlarmSummary(
    [property: Id(0)] string SiteId,
    [property: Id(1)] int Critical,
    [property: Id(2)] int Major,
    [property: Id(3)] int Minor,
    [property: Id(4)] int Warning,
    [property: Id(5)] int Suppressed,
    [property: Id(6)] IReadOnlyList<string> SuppressedAlarmIds);

/// <summary>One entry of a site's event log; <see cref="Version"/> is its place in the site's alarm stream.</summary>
[GenerateSerializer, Immutable, Alias("edge.event-log-entry")]
public sealed record EventLogEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] EventLogKind Kind,
    [property: Id(2)] string Id,
    [property: Id(3)] string EntityInstanceId,
    [property: Id(4)] AlarmSeverity Severity,
    [property: Id(5)] string Reason,
    [property: Id(6)] DateTimeOffset Time);

/// <summary>A page of the event log and the version to read the next page from (null after the last page).</summary>
[GenerateSerializer, Immutable, Alias("edge.event-log-page")]
public sealed record EventLogPage(
    [property: Id(0)] IReadOnlyList<EventLogEntry> Entries,
    [property: Id(1)] long? NextFromVersion);
