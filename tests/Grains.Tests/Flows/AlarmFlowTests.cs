using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Tests.Flows;

/// <summary>A site's alarms through the real alarm grain in the two-silo cluster, its log read back from the event store.</summary>
[Collection(ClusterGroup.Name)]
public sealed class AlarmFlowTests(ClusterFixture fixture)
{
    private static readonly RaiseAlarm HostFailed = new("200.004", "host=worker-3", AlarmSeverity.Critical, "worker-3 experienced a service-affecting failure", "lock and unlock the host", ServiceAffecting: true);

    private async Task<(SiteBuilder Site, IAlarmGrain Alarms)> NewSiteAsync()
    {
        var site = await new SiteBuilder(fixture.Grains).CreateAsync();
        return (site, fixture.Grains.GetGrain<IAlarmGrain>(site.Site));
    }

    private static async Task<List<EventLogEntry>> WholeLogAsync(IAlarmGrain alarms, int pageSize)
    {
        var entries = new List<EventLogEntry>();
        long? from = 0;
        while (from is { } version)
        {
            var page = await alarms.ReadLogAsync(version, pageSize);
            Assert.True(page.Entries.Count <= pageSize, $"a page of {pageSize} held {page.Entries.Count} entries");
            entries.AddRange(page.Entries);
            from = page.NextFromVersion;
        }

        return entries;
    }

    [Fact]
    public async Task Alarm_RaisedRepeatedlyReplacedSuppressedAndCleared_ShowsEachStepAndLogsOnlyTheChanges()
    {
        var (site, alarms) = await NewSiteAsync();
        var t1 = new DateTimeOffset(2030, 3, 1, 8, 0, 0, TimeSpan.Zero);
        fixture.Clock.Set(t1);

        var raised = await alarms.RaiseAsync(HostFailed);
        fixture.Clock.Set(t1.AddMinutes(1));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => alarms.RaiseAsync(HostFailed)));

        Assert.Equal(new Alarm("200.004", "host=worker-3", AlarmSeverity.Critical, HostFailed.Reason, "lock and unlock the host", true, t1, site.Site), raised);
        Assert.Equal(t1, (await alarms.GetAsync("200.004", "host=worker-3")).RaisedAt);

        var t2 = t1.AddMinutes(2);
        fixture.Clock.Set(t2);
        var degraded = await alarms.RaiseAsync(HostFailed with { Severity = AlarmSeverity.Major, Reason = "worker-3 is degraded" });
        await alarms.RaiseAsync(new RaiseAlarm("100.101", "host=controller-0", AlarmSeverity.Minor, "CPU threshold exceeded"));
        Assert.Equal((AlarmSeverity.Major, t2), (degraded.Severity, degraded.RaisedAt));
        Assert.Equal((0, 1, 1, 0, 0), Counts(await alarms.SummaryAsync()));

        await alarms.SuppressAsync("100.101");
        Assert.Equal(["200.004"], (await alarms.ListAsync(new AlarmFilter())).Select(a => a.AlarmId));
        Assert.True((await alarms.ListAsync(new AlarmFilter(IncludeSuppressed: true))).Single(a => a.AlarmId == "100.101").Suppressed);
        Assert.Equal((0, 1, 0, 0, 1), Counts(await alarms.SummaryAsync()));

        Assert.True(await alarms.ClearAsync("200.004", "host=worker-3"));
        Assert.False(await alarms.ClearAsync("200.004", "host=worker-3"));
        var missing = await Assert.ThrowsAsync<EdgeException>(() => alarms.GetAsync("200.004", "host=worker-3"));
        Assert.Equal(EdgeErrorCode.NotFound, missing.Code);
        await alarms.LogAsync(new CustomerLog("401.001", "service_domain=controller", AlarmSeverity.Warning, "service group state change"));

        var log = await WholeLogAsync(alarms, pageSize: 2);
        Assert.Equal(
            [(EventLogKind.Set, "200.004", AlarmSeverity.Critical), (EventLogKind.Set, "200.004", AlarmSeverity.Major), (EventLogKind.Set, "100.101", AlarmSeverity.Minor), (EventLogKind.Clear, "200.004", AlarmSeverity.Major), (EventLogKind.Log, "401.001", AlarmSeverity.Warning)],
            log.Select(e => (e.Kind, e.Id, e.Severity)));
        Assert.Equal(t1, log[0].Time);
    }

    [Fact]
    public async Task Raise_InASiteThatDoesNotExist_IsNotFoundAndRecordsNothing()
    {
        var alarms = fixture.Grains.GetGrain<IAlarmGrain>("no-such-site");

        var refused = await Assert.ThrowsAsync<EdgeException>(() => alarms.RaiseAsync(HostFailed));

        Assert.Equal((EdgeErrorCode.NotFound, "site_id"), (refused.Code, refused.Field));
        Assert.Empty((await alarms.ReadLogAsync(0, 10)).Entries);
    }

    [Fact]
    public async Task Raise_WithABadAlarmId_IsRefusedNamingTheField()
    {
        var (_, alarms) = await NewSiteAsync();

        var refused = await Assert.ThrowsAsync<EdgeException>(() => alarms.RaiseAsync(HostFailed with { AlarmId = "200-004" }));

        Assert.Equal((EdgeErrorCode.InvalidArgument, "alarm_id"), (refused.Code, refused.Field));
        Assert.Empty(await alarms.ListAsync(new AlarmFilter(IncludeSuppressed: true)));
    }

    [Fact]
    public async Task Log_LongerThanTheSnapshotInterval_PagesWholeAndInOrder()
    {
        var (_, alarms) = await NewSiteAsync();
        const int Flaps = 80;
        for (var i = 0; i < Flaps; i++)
        {
            await alarms.RaiseAsync(HostFailed);
            await alarms.ClearAsync(HostFailed.AlarmId, HostFailed.EntityInstanceId);
        }

        var log = await WholeLogAsync(alarms, pageSize: 50);

        Assert.Equal(2 * Flaps, log.Count);
        Assert.All(log.Chunk(2), pair => Assert.Equal([EventLogKind.Set, EventLogKind.Clear], pair.Select(e => e.Kind)));
        Assert.Equal(log.Select(e => e.Version).Order(), log.Select(e => e.Version));
        Assert.Empty(await alarms.ListAsync(new AlarmFilter()));
    }

    private static (int Critical, int Major, int Minor, int Warning, int Suppressed) Counts(AlarmSummary s) => (s.Critical, s.Major, s.Minor, s.Warning, s.Suppressed);
}
