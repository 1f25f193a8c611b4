using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Alarms;

namespace Edge.Actors.Grains.Tests.Domain;

public sealed class AlarmDecisionsTests
{
    private const string Site = "s-042";
    private const string Worker3 = "host=s-042/worker-3";
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly RaiseAlarm HostFailed = new("200.004", Worker3, AlarmSeverity.Critical, "worker-3 experienced a service-affecting failure", "lock and unlock the host", ServiceAffecting: true);

    private static AlarmState Raised(params RaiseAlarm[] alarms)
    {
        var state = new AlarmState();
        foreach (var alarm in alarms)
        {
            state.Then(AlarmDecisions.Raise(state, alarm, T0));
        }

        return state;
    }

    [Fact]
    public void Raise_NewAlarm_IsActiveWithItsTimeAndSite()
    {
        var state = Raised(HostFailed);

        var alarm = AlarmDecisions.Find(state, Site, "200.004", Worker3);

        Assert.Equal(new Alarm("200.004", Worker3, AlarmSeverity.Critical, HostFailed.Reason, "lock and unlock the host", true, T0, Site), alarm);
    }

    [Fact]
    public void Raise_SameAlarmAgain_RecordsNothing()
    {
        var state = Raised(HostFailed);

        Assert.Empty(AlarmDecisions.Raise(state, HostFailed, T0.AddMinutes(5)).Events);
        Assert.Equal(T0, AlarmDecisions.Find(state, Site, "200.004", Worker3)!.RaisedAt);
    }

    [Theory]
    [InlineData(AlarmSeverity.Major, "worker-3 experienced a service-affecting failure")]
    [InlineData(AlarmSeverity.Critical, "worker-3 is degraded")]
    public void Raise_WithChangedSeverityOrReason_ReplacesTheActiveAlarm(AlarmSeverity severity, string reason)
    {
        var state = Raised(HostFailed);

        var decision = AlarmDecisions.Raise(state, HostFailed with { Severity = severity, Reason = reason }, T0.AddMinutes(1));
        state.Then(decision);

        Assert.IsType<AlarmRaised>(Assert.Single(decision.Events));
        var alarm = Assert.Single(AlarmDecisions.List(state, Site, new AlarmFilter()));
        Assert.Equal((severity, reason, T0.AddMinutes(1)), (alarm.Severity, alarm.Reason, alarm.RaisedAt));
    }

    [Fact]
    public void Raise_SameIdOnAnotherEntity_IsASecondAlarm()
    {
        var state = Raised(HostFailed, HostFailed with { EntityInstanceId = "host=s-042/worker-4" });

        Assert.Equal(["host=s-042/worker-3", "host=s-042/worker-4"], AlarmDecisions.List(state, Site, new AlarmFilter()).Select(a => a.EntityInstanceId));
    }

    public static TheoryData<RaiseAlarm, string> BadRaises() => new()
    {
        { HostFailed with { AlarmId = "" }, "alarm_id" },
        { HostFailed with { AlarmId = "200.4" }, "alarm_id" },
        { HostFailed with { AlarmId = "200.004 " }, "alarm_id" },
        { HostFailed with { AlarmId = "abc.def" }, "alarm_id" },
        { HostFailed with { EntityInstanceId = "" }, "entity_instance_id" },
        { HostFailed with { EntityInstanceId = "   " }, "entity_instance_id" },
        { HostFailed with { EntityInstanceId = new string('e', AlarmRules.MaxEntityLength + 1) }, "entity_instance_id" },
        { HostFailed with { EntityInstanceId = "host=a\nb" }, "entity_instance_id" },
        { HostFailed with { Severity = (AlarmSeverity)42 }, "severity" },
        { HostFailed with { Reason = "" }, "reason" },
        { HostFailed with { Reason = new string('r', AlarmRules.MaxReasonLength + 1) }, "reason" },
        { HostFailed with { ProposedRepairAction = new string('p', AlarmRules.MaxRepairActionLength + 1) }, "proposed_repair_action" },
    };

    [Theory]
    [MemberData(nameof(BadRaises))]
    public void Raise_BadInput_IsRefusedNamingTheField(RaiseAlarm command, string field)
    {
        var refusal = AlarmDecisions.Raise(new AlarmState(), command, T0).Refused(EdgeErrorCode.InvalidArgument);

        Assert.Equal(field, refusal.Field);
    }

    [Fact]
    public void Clear_ActiveAlarm_RemovesItAndRecordsItsLastSeverityAndReason()
    {
        var state = Raised(HostFailed);

        var decision = AlarmDecisions.Clear(state, "200.004", Worker3, T0.AddMinutes(2));
        state.Then(decision);

        Assert.Equal(new AlarmCleared("200.004", Worker3, AlarmSeverity.Critical, HostFailed.Reason, T0.AddMinutes(2)), Assert.Single(decision.Events));
        Assert.Null(AlarmDecisions.Find(state, Site, "200.004", Worker3));
    }

    [Fact]
    public void Clear_AlarmThatIsNotActive_RecordsNothingAndIsNoError()
    {
        var state = Raised(HostFailed);

        var decision = AlarmDecisions.Clear(state, "200.004", "host=s-042/worker-9", T0);

        Assert.Null(decision.Refusal);
        Assert.Empty(decision.Events);
    }

    [Theory]
    [InlineData("2000.04", Worker3, "alarm_id")]
    [InlineData("200.004", "", "entity_instance_id")]
    public void Clear_BadInput_IsRefusedNamingTheField(string alarmId, string entity, string field)
    {
        Assert.Equal(field, AlarmDecisions.Clear(new AlarmState(), alarmId, entity, T0).Refused(EdgeErrorCode.InvalidArgument).Field);
    }

    [Fact]
    public void Suppress_HidesActiveAndLaterAlarmsOfThatIdButKeepsThemFlagged()
    {
        var state = Raised(HostFailed, new RaiseAlarm("100.101", "host=s-042/controller-0", AlarmSeverity.Major, "CPU threshold exceeded"));

        state.Then(AlarmDecisions.Suppress(state, "200.004"));
        state.Then(AlarmDecisions.Raise(state, HostFailed with { EntityInstanceId = "host=s-042/worker-4" }, T0));

        Assert.Equal(["100.101"], AlarmDecisions.List(state, Site, new AlarmFilter()).Select(a => a.AlarmId));
        var all = AlarmDecisions.List(state, Site, new AlarmFilter(IncludeSuppressed: true));
        Assert.Equal([("100.101", false), ("200.004", true), ("200.004", true)], all.Select(a => (a.AlarmId, a.Suppressed)));
        Assert.True(AlarmDecisions.Find(state, Site, "200.004", Worker3)!.Suppressed);
    }

    [Fact]
    public void SuppressAndUnsuppress_Repeated_RecordOnlyTheChange()
    {
        var state = new AlarmState();

        state.Then(AlarmDecisions.Suppress(state, "200.004"));
        Assert.Empty(AlarmDecisions.Suppress(state, "200.004").Events);
        state.Then(AlarmDecisions.Unsuppress(state, "200.004"));
        Assert.Empty(AlarmDecisions.Unsuppress(state, "200.004").Events);

        Assert.Empty(state.Suppressed);
        Assert.Equal("alarm_id", AlarmDecisions.Suppress(state, "x").Refused(EdgeErrorCode.InvalidArgument).Field);
    }

    [Fact]
    public void Unsuppress_ShowsTheAlarmsAgain()
    {
        var state = Raised(HostFailed);
        state.Then(AlarmDecisions.Suppress(state, "200.004"));

        state.Then(AlarmDecisions.Unsuppress(state, "200.004"));

        Assert.False(Assert.Single(AlarmDecisions.List(state, Site, new AlarmFilter())).Suppressed);
    }

    [Fact]
    public void List_BySeverityAndEntityPrefix_ShowsOnlyThoseAlarms()
    {
        var state = Raised(
            HostFailed,
            HostFailed with { EntityInstanceId = "host=s-042/worker-4", Severity = AlarmSeverity.Major },
            new RaiseAlarm("100.101", "host=s-042/controller-0", AlarmSeverity.Major, "CPU threshold exceeded"));

        Assert.Equal(["host=s-042/worker-4", "host=s-042/controller-0"], AlarmDecisions.List(state, Site, new AlarmFilter(AlarmSeverity.Major)).Select(a => a.EntityInstanceId).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(2, AlarmDecisions.List(state, Site, new AlarmFilter(EntityPrefix: "host=s-042/worker")).Count);
        Assert.Equal("host=s-042/worker-4", Assert.Single(AlarmDecisions.List(state, Site, new AlarmFilter(AlarmSeverity.Major, "host=s-042/worker"))).EntityInstanceId);
        Assert.Equal("entity_instance_id", AlarmDecisions.CheckFilter(new AlarmFilter(EntityPrefix: new string('e', 300)))?.Field);
        Assert.Equal("severity", AlarmDecisions.CheckFilter(new AlarmFilter((AlarmSeverity)9))?.Field);
    }

    [Fact]
    public void Summary_CountsUnsuppressedAlarmsBySeverityAndSuppressedApart()
    {
        var state = Raised(
            HostFailed,
            HostFailed with { EntityInstanceId = "host=s-042/worker-4" },
            new RaiseAlarm("100.101", "host=s-042/controller-0", AlarmSeverity.Major, "CPU threshold exceeded"),
            new RaiseAlarm("800.001", "cluster=s-042", AlarmSeverity.Warning, "storage alarm condition"),
            new RaiseAlarm("280.002", "subcloud=s-042", AlarmSeverity.Minor, "out of sync"));
        state.Then(AlarmDecisions.Suppress(state, "800.001"));

        var summary = AlarmDecisions.Summarize(state, Site);

        Assert.Equal((Site, 2, 1, 1, 0, 1), (summary.SiteId, summary.Critical, summary.Major, summary.Minor, summary.Warning, summary.Suppressed));
        Assert.Equal(["800.001"], summary.SuppressedAlarmIds);
    }

    [Fact]
    public void Log_RecordsEveryCustomerLogAndRaisesNoAlarm()
    {
        var log = new CustomerLog("401.001", "service_domain=controller", AlarmSeverity.Minor, "service group state change");
        var state = new AlarmState();

        state.Then(AlarmDecisions.Log(log, T0)).Then(AlarmDecisions.Log(log, T0));

        Assert.Empty(state.Active);
        Assert.Equal("log_id", AlarmDecisions.Log(log with { LogId = "401" }, T0).Refused(EdgeErrorCode.InvalidArgument).Field);
        Assert.Equal("reason", AlarmDecisions.Log(log with { Reason = " " }, T0).Refused(EdgeErrorCode.InvalidArgument).Field);
    }
}

public sealed class AlarmLogTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A stream of sets, clears and logs, with a suppression in the middle that the log leaves out.</summary>
    private static List<(long Version, IDomainEvent Event)> Stream()
    {
        IDomainEvent[] events =
        [
            new AlarmRaised("200.004", "host=w1", AlarmSeverity.Critical, "failed", "", true, T0),
            new AlarmSuppressed("200.004"),
            new CustomerLogRecorded("401.001", "service=x", AlarmSeverity.Minor, "state change", T0.AddSeconds(1)),
            new AlarmCleared("200.004", "host=w1", AlarmSeverity.Critical, "failed", T0.AddSeconds(2)),
            new AlarmUnsuppressed("200.004"),
            new AlarmRaised("100.101", "host=c0", AlarmSeverity.Major, "cpu", "", false, T0.AddSeconds(3)),
        ];
        return [.. events.Select((e, i) => ((long)i + 1, e))];
    }

    private static async Task<EventLogPage> PageAsync(long fromVersion, int pageSize) =>
        await AlarmLog.PageAsync(Stream().Where(e => e.Version > fromVersion).ToAsyncEnumerable(), pageSize);

    [Fact]
    public async Task Page_FollowedToTheEnd_ReadsEverySetClearAndLogOnceInOrder()
    {
        var seen = new List<EventLogEntry>();
        long? from = 0;
        var pages = 0;
        while (from is { } version)
        {
            var page = await PageAsync(version, 2);
            seen.AddRange(page.Entries);
            from = page.NextFromVersion;
            pages++;
        }

        Assert.Equal(2, pages);
        Assert.Equal(
            [(EventLogKind.Set, "200.004", T0), (EventLogKind.Log, "401.001", T0.AddSeconds(1)), (EventLogKind.Clear, "200.004", T0.AddSeconds(2)), (EventLogKind.Set, "100.101", T0.AddSeconds(3))],
            seen.Select(e => (e.Kind, e.Id, e.Time)));
        Assert.Equal([1L, 3, 4, 6], seen.Select(e => e.Version));
    }

    [Fact]
    public async Task Page_ThatEndsTheLogExactly_HasNoNextPage()
    {
        var page = await PageAsync(0, 4);

        Assert.Equal(4, page.Entries.Count);
        Assert.Null(page.NextFromVersion);
    }

    [Fact]
    public async Task Page_OfFewerEntriesThanAsked_IsTheLast()
    {
        var page = await PageAsync(4, 10);

        Assert.Equal("100.101", Assert.Single(page.Entries).Id);
        Assert.Null(page.NextFromVersion);
    }

    [Theory]
    [InlineData(-1, 10, "page_token")]
    [InlineData(0, 0, "page_size")]
    [InlineData(0, AlarmLog.MaxPageSize + 1, "page_size")]
    public void Page_BadBounds_AreRefusedNamingTheField(long fromVersion, int pageSize, string field)
    {
        Assert.Equal(field, AlarmLog.CheckPage(fromVersion, pageSize)?.Field);
    }
}
