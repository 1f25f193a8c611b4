using Edge.Actors.Abstractions;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Grains.Tests.Flows;

/// <summary>Devices in the two-silo cluster: readings in memory only, crossings and silence as events with their alarms.</summary>
[Collection(ClusterGroup.Name)]
public sealed class DeviceFlowTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly ThresholdRule Hot = new("temperature", ThresholdDirection.Above, 80, 5, AlarmSeverity.Major);

    private async Task<(SiteBuilder Site, IDeviceGrain Device, IAlarmGrain Alarms)> ProvisionedAsync(int offlineWindowSeconds = 60)
    {
        var site = await new SiteBuilder(fixture.Grains).CreateAsync();
        var device = fixture.Grains.GetGrain<IDeviceGrain>(ResourceNames.Key(site.Site, "thermo-1"));
        await device.ProvisionAsync(new ProvisionDevice("p1", "device-modbus", "thermo", [Hot], offlineWindowSeconds));
        return (site, device, fixture.Grains.GetGrain<IAlarmGrain>(site.Site));
    }

    private static DeviceEvent Event(string id, params double[] temperatures) => new(
        "device-modbus", "thermo", "thermo-1", "temperature", id, 1_900_000_000_000_000_000,
        [.. temperatures.Select(t => new DeviceReading("temperature", "Float64", t.ToString(System.Globalization.CultureInfo.InvariantCulture), t, null, null, null, "C", 1_900_000_000_000_000_000))]);

    private async Task<List<string>> StreamAsync(string site, string device)
    {
        var types = new List<string>();
        await foreach (var e in fixture.Store.ReadStreamAsync($"device/{site}/{device}"))
        {
            types.Add(e.EventType);
        }

        return types;
    }

    private static string Entity(string site, string resource) => $"site={site}.device=thermo-1.resource={resource}";

    [Fact]
    public async Task Readings_KeptInMemoryOnly_WhileACrossingAndItsReturnAreEventsWithTheirAlarm()
    {
        var (site, device, alarms) = await ProvisionedAsync();

        Assert.Equal(IngestOutcome.Accepted, await device.IngestAsync(Event("e1", 20)));
        var online = await device.GetAsync();
        Assert.True(online.Online);
        var reading = Assert.Single(online.Readings);
        Assert.Equal(("temperature", "20", 20.0, "C", "Float64"), (reading.Resource, reading.Value, reading.Number!.Value, reading.Units, reading.ValueType));
        var streamBefore = await StreamAsync(site.Site, "thermo-1");

        foreach (var (id, value) in new[] { ("e2", 25.0), ("e3", 79.5), ("e4", 30.0) })
        {
            Assert.Equal(IngestOutcome.Accepted, await device.IngestAsync(Event(id, value)));
        }

        Assert.Equal(IngestOutcome.Duplicate, await device.IngestAsync(Event("e3", 99)));
        var quiet = await device.GetAsync();
        Assert.Equal((30.0, online.Version), (quiet.Readings.Single().Number, quiet.Version));
        Assert.Equal(streamBefore, await StreamAsync(site.Site, "thermo-1"));

        await device.IngestAsync(Event("e5", 85.5));
        var alarm = await alarms.GetAsync("900.001", Entity(site.Site, "temperature"));
        Assert.Equal(AlarmSeverity.Major, alarm.Severity);
        Assert.Contains("85.5", alarm.Reason, StringComparison.Ordinal);
        Assert.Equal([("temperature", ThresholdDirection.Above, 85.5)], (await device.GetAsync()).Crossings.Select(c => (c.Resource, c.Direction, c.Value)));

        await device.IngestAsync(Event("e6", 76));
        Assert.Equal("900.001", (await alarms.GetAsync("900.001", Entity(site.Site, "temperature"))).AlarmId);
        await device.IngestAsync(Event("e7", 75));
        var cleared = await Assert.ThrowsAsync<EdgeException>(() => alarms.GetAsync("900.001", Entity(site.Site, "temperature")));
        Assert.Equal(EdgeErrorCode.NotFound, cleared.Code);
        Assert.Empty((await device.GetAsync()).Crossings);

        Assert.Equal(
            ["edge.request-accepted", "edge.device-provisioned", "edge.device-went-online", "edge.threshold-crossed", "edge.threshold-cleared"],
            await StreamAsync(site.Site, "thermo-1"));
    }

    [Fact]
    public async Task Silence_PastTheOfflineWindow_GoesOfflineWithAnAlarmAndTheNextEventBringsItBack()
    {
        var t0 = new DateTimeOffset(2031, 2, 1, 9, 0, 0, TimeSpan.Zero);
        fixture.Clock.Set(t0);
        var (site, device, alarms) = await ProvisionedAsync(offlineWindowSeconds: 1);
        var entity = $"site={site.Site}.device=thermo-1";

        await device.IngestAsync(Event("e1", 20));
        Assert.True((await device.GetAsync()).Online);

        fixture.Clock.Set(t0.AddSeconds(5));
        var offline = await Eventually.MatchAsync(() => device.GetAsync(), d => !d.Online, Patience, "the silent device offline");
        Assert.Equal(t0, offline.LastSeen);
        var alarm = await Eventually.MatchAsync(() => alarms.ListAsync(new AlarmFilter(EntityPrefix: entity)), a => a.Count == 1, Patience, "alarm 900.002 raised");
        Assert.Equal(("900.002", entity, AlarmSeverity.Major), (alarm[0].AlarmId, alarm[0].EntityInstanceId, alarm[0].Severity));

        Assert.Equal(IngestOutcome.Accepted, await device.IngestAsync(Event("e2", 21)));
        Assert.True((await device.GetAsync()).Online);
        Assert.Empty(await alarms.ListAsync(new AlarmFilter(EntityPrefix: entity)));
        Assert.Equal(
            ["edge.request-accepted", "edge.device-provisioned", "edge.device-went-online", "edge.device-went-offline", "edge.device-went-online"],
            await StreamAsync(site.Site, "thermo-1"));
    }

    [Fact]
    public async Task Ingest_FromADeviceNotProvisioned_IsUnknownDeviceAndRecordsNothing()
    {
        var site = await new SiteBuilder(fixture.Grains).CreateAsync();
        var device = fixture.Grains.GetGrain<IDeviceGrain>(ResourceNames.Key(site.Site, "stranger"));

        Assert.Equal(IngestOutcome.UnknownDevice, await device.IngestAsync(Event("e1", 20)));
        Assert.Empty(await StreamAsync(site.Site, "stranger"));
        Assert.Equal(EdgeErrorCode.NotFound, (await Assert.ThrowsAsync<EdgeException>(() => device.GetAsync())).Code);
    }

    [Fact]
    public async Task Device_ListedRulesChangedAndDeleted_LeavesNoAlarmAndIsUnknownAfterwards()
    {
        var (site, device, alarms) = await ProvisionedAsync();
        var list = fixture.Grains.GetGrain<ISiteDevicesGrain>(site.Site);
        Assert.Equal(["thermo-1"], await list.ListAsync());
        await device.IngestAsync(Event("e1", 90));
        Assert.Single(await alarms.ListAsync(new AlarmFilter(EntityPrefix: $"site={site.Site}.device=thermo-1")));

        // A looser limit clears the crossing at once, weighed on the last value.
        var loosened = await device.UpdateRulesAsync(new UpdateDeviceRules("r1", [Hot with { Limit = 95 }]));
        Assert.Empty(loosened.Crossings);
        Assert.Empty(await alarms.ListAsync(new AlarmFilter(EntityPrefix: $"site={site.Site}.device=thermo-1")));
        await device.IngestAsync(Event("e2", 99));
        Assert.Single((await device.GetAsync()).Crossings);

        var deleted = await device.DeleteAsync("d1");
        Assert.True(deleted.Deleted);
        Assert.Empty(await alarms.ListAsync(new AlarmFilter(EntityPrefix: $"site={site.Site}.device=thermo-1")));
        Assert.Empty(await list.ListAsync());
        Assert.Equal(IngestOutcome.UnknownDevice, await device.IngestAsync(Event("e3", 20)));
        Assert.Equal(EdgeErrorCode.NotFound, (await Assert.ThrowsAsync<EdgeException>(() => device.GetAsync())).Code);
    }

    [Fact]
    public async Task Provision_InASiteThatDoesNotExist_IsNotFoundAndRecordsNothing()
    {
        var device = fixture.Grains.GetGrain<IDeviceGrain>("no-such-site/thermo-1");

        var refused = await Assert.ThrowsAsync<EdgeException>(() => device.ProvisionAsync(new ProvisionDevice("p1", "svc", "prof", [])));

        Assert.Equal((EdgeErrorCode.NotFound, "site_id"), (refused.Code, refused.Field));
        Assert.Empty(await StreamAsync("no-such-site", "thermo-1"));
        Assert.Empty(await fixture.Grains.GetGrain<ISiteDevicesGrain>("no-such-site").ListAsync());
    }
}
