using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Alarms;

/// <summary>
/// The fault management rules as pure functions. Raise and clear carry no request id: they are idempotent by their
/// key (alarm id, entity), so the platform's failure detection may repeat them as often as it notices a fault.
/// </summary>
internal static class AlarmDecisions
{
    public static Refusal? CheckRaise(RaiseAlarm command) =>
        AlarmRules.CheckId(command.AlarmId)
        ?? AlarmRules.CheckEntity(command.EntityInstanceId)
        ?? AlarmRules.CheckSeverity(command.Severity)
        ?? AlarmRules.CheckText(command.Reason, "reason", AlarmRules.MaxReasonLength, required: true)
        ?? AlarmRules.CheckText(command.ProposedRepairAction, "proposed_repair_action", AlarmRules.MaxRepairActionLength, required: false);

    /// <summary>Sets the alarm; an active one with the same content records nothing, a changed one is replaced (with a new time).</summary>
    public static Decision Raise(AlarmState state, RaiseAlarm command, DateTimeOffset now)
    {
        if (CheckRaise(command) is { } bad)
        {
            return bad;
        }

        var repair = command.ProposedRepairAction ?? string.Empty;
        if (state.Active.TryGetValue(AlarmState.KeyOf(command.AlarmId, command.EntityInstanceId), out var active)
            && active.Severity == command.Severity && active.Reason == command.Reason && active.ProposedRepairAction == repair && active.ServiceAffecting == command.ServiceAffecting)
        {
            return Decision.Nothing;
        }

        return Decision.Accept(new AlarmRaised(command.AlarmId, command.EntityInstanceId, command.Severity, command.Reason, repair, command.ServiceAffecting, now));
    }

    /// <summary>Clears the alarm if it is active; clearing one that is not records nothing and is no error.</summary>
    public static Decision Clear(AlarmState state, string alarmId, string entityInstanceId, DateTimeOffset now)
    {
        if ((AlarmRules.CheckId(alarmId) ?? AlarmRules.CheckEntity(entityInstanceId)) is { } bad)
        {
            return bad;
        }

        return state.Active.TryGetValue(AlarmState.KeyOf(alarmId, entityInstanceId), out var active)
            ? Decision.Accept(new AlarmCleared(alarmId, entityInstanceId, active.Severity, active.Reason, now))
            : Decision.Nothing;
    }

    public static Refusal? CheckLog(CustomerLog log) =>
        AlarmRules.CheckId(log.LogId, "log_id")
        ?? AlarmRules.CheckEntity(log.EntityInstanceId)
        ?? AlarmRules.CheckSeverity(log.Severity)
        ?? AlarmRules.CheckText(log.Reason, "reason", AlarmRules.MaxReasonLength, required: true);

    /// <summary>A customer log is recorded every time: each one is a separate fact, not a standing condition.</summary>
    public static Decision Log(CustomerLog log, DateTimeOffset now) =>
        CheckLog(log) is { } bad ? bad : Decision.Accept(new CustomerLogRecorded(log.LogId, log.EntityInstanceId, log.Severity, log.Reason, now));

    public static Decision Suppress(AlarmState state, string alarmId) =>
        AlarmRules.CheckId(alarmId) is { } bad ? bad
        : state.Suppressed.Contains(alarmId) ? Decision.Nothing
        : Decision.Accept(new AlarmSuppressed(alarmId));

    public static Decision Unsuppress(AlarmState state, string alarmId) =>
        AlarmRules.CheckId(alarmId) is { } bad ? bad
        : state.Suppressed.Contains(alarmId) ? Decision.Accept(new AlarmUnsuppressed(alarmId))
        : Decision.Nothing;

    public static Refusal? CheckFilter(AlarmFilter filter) =>
        (filter.Severity is { } severity ? AlarmRules.CheckSeverity(severity) : null)
        ?? AlarmRules.CheckText(filter.EntityPrefix, "entity_instance_id", AlarmRules.MaxEntityLength, required: false);

    /// <summary>The active alarms the filter wants, by alarm id then entity; suppressed ones only when asked for, and flagged.</summary>
    public static IReadOnlyList<Alarm> List(AlarmState state, string siteId, AlarmFilter filter) =>
    [
        .. state.Active
            .Where(a => filter.IncludeSuppressed || !state.Suppressed.Contains(a.Value.AlarmId))
            .Where(a => filter.Severity is null || a.Value.Severity == filter.Severity)
            .Where(a => string.IsNullOrEmpty(filter.EntityPrefix) || a.Value.EntityInstanceId.StartsWith(filter.EntityPrefix, StringComparison.Ordinal))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => View(state, siteId, a.Value)),
    ];

    public static Alarm? Find(AlarmState state, string siteId, string alarmId, string entityInstanceId) =>
        state.Active.TryGetValue(AlarmState.KeyOf(alarmId, entityInstanceId), out var active) ? View(state, siteId, active) : null;

    /// <summary>Counts by severity of the unsuppressed active alarms; suppressed ones are counted apart, whatever their severity.</summary>
    public static AlarmSummary Summarize(AlarmState state, string siteId)
    {
        var counts = new int[Enum.GetValues<AlarmSeverity>().Length];
        var suppressed = 0;
        foreach (var alarm in state.Active.Values)
        {
            if (state.Suppressed.Contains(alarm.AlarmId))
            {
                suppressed++;
            }
            else
            {
                counts[(int)alarm.Severity]++;
            }
        }

        return new AlarmSummary(siteId, counts[(int)AlarmSeverity.Critical], counts[(int)AlarmSeverity.Major], counts[(int)AlarmSeverity.Minor], counts[(int)AlarmSeverity.Warning], suppressed, [.. state.Suppressed]);
    }

    private static Alarm View(AlarmState state, string siteId, ActiveAlarm a) =>
        new(a.AlarmId, a.EntityInstanceId, a.Severity, a.Reason, a.ProposedRepairAction, a.ServiceAffecting, a.RaisedAt, siteId, state.Suppressed.Contains(a.AlarmId));
}
