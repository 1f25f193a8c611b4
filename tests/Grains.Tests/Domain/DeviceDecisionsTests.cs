using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Devices;

namespace Edge.Actors.Grains.Tests.Domain;

public sealed class DeviceDecisionsTests
{
    private static readonly DateTimeOffset T0 = new(2030, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ThresholdRule HotAbove80 = new("temperature", ThresholdDirection.Above, 80, 5, AlarmSeverity.Major);
    private static readonly ThresholdRule ColdBelow10 = new("temperature", ThresholdDirection.Below, 10, 2, AlarmSeverity.Minor);
    private static readonly ProvisionDevice Sensor = new("p1", "device-modbus", "thermo", [HotAbove80, ColdBelow10], 30);

    private static DeviceState Provisioned(ProvisionDevice? command = null) =>
        new DeviceState().Then(DeviceDecisions.Provision(new DeviceState(), "s1", "thermo-1", command ?? Sensor));

    private static DeviceState Online() => Provisioned().Then(DeviceDecisions.Ingest(Provisioned(), [], T0));

    private static DeviceReading Reading(string resource, double? number) =>
        new(resource, "Float64", number?.ToString(System.Globalization.CultureInfo.InvariantCulture), number, null, null, null, "C", 0);

    private static IReadOnlyList<IDomainEvent> Ingest(DeviceState state, params double[] values) =>
        DeviceDecisions.Ingest(state, [.. values.Select(v => Reading("temperature", v))], T0).Events;

    [Fact]
    public void Provision_NewDevice_RecordsItsSettingsNotOnlineYet()
    {
        var device = Provisioned();

        Assert.True(device.IsLive);
        Assert.Equal(("device-modbus", "thermo", 30), (device.Service, device.Profile, device.OfflineWindowSeconds));
        Assert.Equal([HotAbove80, ColdBelow10], device.Rules);
        Assert.False(device.Online);
    }

    [Fact]
    public void Provision_Existing_IsRefusedUnlessTheRequestRepeats()
    {
        var device = Provisioned();

        Assert.Empty(DeviceDecisions.Provision(device, "s1", "thermo-1", Sensor).Events);
        Assert.Equal("name", DeviceDecisions.Provision(device, "s1", "thermo-1", Sensor with { RequestId = "p2" }).Refused(EdgeErrorCode.AlreadyExists).Field);
    }

    public static TheoryData<ProvisionDevice, string> BadProvisions() => new()
    {
        { Sensor with { RequestId = "" }, "request_id" },
        { Sensor with { Service = " " }, "service" },
        { Sensor with { Profile = "" }, "profile" },
        { Sensor with { Profile = new string('p', 200) }, "profile" },
        { Sensor with { OfflineWindowSeconds = 0 }, "offline_window_seconds" },
        { Sensor with { OfflineWindowSeconds = DeviceRules.MaxOfflineWindowSeconds + 1 }, "offline_window_seconds" },
        { Sensor with { Rules = [HotAbove80 with { Resource = "" }] }, "rules[0].resource" },
        { Sensor with { Rules = [HotAbove80 with { Resource = new string('r', 101) }] }, "rules[0].resource" },
        { Sensor with { Rules = [HotAbove80, HotAbove80 with { Direction = (ThresholdDirection)7 }] }, "rules[1].direction" },
        { Sensor with { Rules = [HotAbove80 with { Limit = double.NaN }] }, "rules[0].limit" },
        { Sensor with { Rules = [HotAbove80 with { Limit = double.PositiveInfinity }] }, "rules[0].limit" },
        { Sensor with { Rules = [HotAbove80 with { Hysteresis = -1 }] }, "rules[0].hysteresis" },
        { Sensor with { Rules = [HotAbove80 with { Severity = (AlarmSeverity)9 }] }, "rules[0].severity" },
        { Sensor with { Rules = [HotAbove80, HotAbove80 with { Limit = 90 }] }, "rules[1]" },
        { Sensor with { Rules = [HotAbove80, ColdBelow10 with { Limit = 76 }] }, "rules[1]" },
        { Sensor with { Rules = [.. Enumerable.Range(0, DeviceRules.MaxRules + 1).Select(i => HotAbove80 with { Resource = $"r{i}" })] }, "rules" },
    };

    [Theory]
    [MemberData(nameof(BadProvisions))]
    public void Provision_BadInput_IsRefusedNamingTheField(ProvisionDevice command, string field)
    {
        Assert.Equal(field, DeviceDecisions.Provision(new DeviceState(), "s1", "thermo-1", command).Refused(EdgeErrorCode.InvalidArgument).Field);
    }

    [Theory]
    [InlineData("Thermo_1")]
    [InlineData("")]
    public void Provision_BadName_IsRefusedNamingIt(string name)
    {
        Assert.Equal("name", DeviceDecisions.Provision(new DeviceState(), "s1", name, Sensor).Refused(EdgeErrorCode.InvalidArgument).Field);
    }

    [Fact]
    public void Provision_AboveAndBelowRulesThatMeetExactly_IsAccepted()
    {
        var touching = Sensor with { Rules = [HotAbove80, ColdBelow10 with { Limit = 73, Hysteresis = 2 }] };

        Assert.Null(DeviceDecisions.Provision(new DeviceState(), "s1", "thermo-1", touching).Refusal);
    }

    [Fact]
    public void Ingest_FirstEvent_GoesOnlineOnceAndPlainReadingsRecordNothing()
    {
        var first = DeviceDecisions.Ingest(Provisioned(), [Reading("temperature", 20)], T0);

        Assert.Equal([new DeviceWentOnline(T0)], first.Events);
        Assert.Empty(Ingest(Online(), 20, 21, 79.9, 80));
    }

    [Fact]
    public void Ingest_ValueAboveTheLimit_CrossesOnceAndStaysCrossedWithinTheHysteresis()
    {
        var device = Online();

        var crossed = Ingest(device, 80.5);
        Assert.Equal([new ThresholdCrossed("temperature", ThresholdDirection.Above, 80.5, T0)], crossed);
        device.Then(Common.Decision.Accept([.. crossed]));
        Assert.Single(device.Crossings);

        Assert.Empty(Ingest(device, 95, 80, 75.1));
    }

    [Theory]
    [InlineData(75)]
    [InlineData(40)]
    public void Ingest_ValueBackPastTheHysteresis_ClearsTheAboveRule(double value)
    {
        var device = Online();
        device.Then(Common.Decision.Accept([.. Ingest(device, 81)]));

        Assert.Equal([new ThresholdCleared("temperature", ThresholdDirection.Above, value, T0)], Ingest(device, value));
        device.Then(Common.Decision.Accept([.. Ingest(device, value)]));
        Assert.Empty(device.Crossings);
    }

    [Fact]
    public void Ingest_ValueBelowTheLimit_CrossesTheBelowRuleAndClearsAtLimitPlusHysteresis()
    {
        var device = Online();

        Assert.Empty(Ingest(device, 10));
        var crossed = Ingest(device, 9.5);
        Assert.Equal([new ThresholdCrossed("temperature", ThresholdDirection.Below, 9.5, T0)], crossed);
        device.Then(Common.Decision.Accept([.. crossed]));

        Assert.Empty(Ingest(device, 11.9));
        Assert.Equal([new ThresholdCleared("temperature", ThresholdDirection.Below, 12, T0)], Ingest(device, 12));
    }

    [Fact]
    public void Ingest_SeveralValuesInOneEvent_AreTakenInOrder()
    {
        Assert.Equal(
            [typeof(ThresholdCrossed), typeof(ThresholdCleared), typeof(ThresholdCrossed), typeof(ThresholdCleared)],
            Ingest(Online(), 85, 70, 5, 15).Select(e => e.GetType()));
    }

    [Fact]
    public void Ingest_FromAboveStraightToBelow_ClearsTheAboveRuleBeforeCrossingTheBelowOne()
    {
        var device = Online();
        device.Then(Common.Decision.Accept([.. Ingest(device, 90)]));

        Assert.Equal(
            [new ThresholdCleared("temperature", ThresholdDirection.Above, 0, T0), new ThresholdCrossed("temperature", ThresholdDirection.Below, 0, T0)],
            Ingest(device, 0));
    }

    [Fact]
    public void Ingest_ZeroHysteresis_ClearsAtTheLimitItself()
    {
        var device = Provisioned(Sensor with { Rules = [HotAbove80 with { Hysteresis = 0 }] }).Then(DeviceDecisions.Ingest(Provisioned(), [], T0));
        device.Then(Common.Decision.Accept([.. Ingest(device, 80.01)]));

        Assert.Equal([new ThresholdCleared("temperature", ThresholdDirection.Above, 80, T0)], Ingest(device, 80));
    }

    [Fact]
    public void Ingest_TextNaNAndOtherResources_AreNotWeighed()
    {
        var device = Online();
        DeviceReading[] readings = [Reading("humidity", 99), Reading("temperature", null) with { Value = "hot" }, Reading("temperature", double.NaN), Reading("temperature", double.PositiveInfinity)];

        Assert.Empty(DeviceDecisions.Ingest(device, readings, T0).Events);
    }

    [Fact]
    public void Ingest_DeletedDevice_RecordsNothing()
    {
        var device = Online().Then(DeviceDecisions.Delete(Online(), "d1", T0));

        Assert.Empty(DeviceDecisions.Ingest(device, [Reading("temperature", 99)], T0).Events);
    }

    [Fact]
    public void CheckSilence_PastTheWindow_GoesOfflineOnceAndTheNextEventBringsItBack()
    {
        var device = Online();

        Assert.Empty(DeviceDecisions.CheckSilence(device, T0, T0.AddSeconds(30)).Events);
        var offline = DeviceDecisions.CheckSilence(device, T0, T0.AddSeconds(30.5));
        Assert.Equal([new DeviceWentOffline(T0, T0.AddSeconds(30.5))], offline.Events);
        device.Then(offline);

        Assert.False(device.Online);
        Assert.Empty(DeviceDecisions.CheckSilence(device, T0, T0.AddHours(1)).Events);
        Assert.Equal([new DeviceWentOnline(T0.AddHours(1))], DeviceDecisions.Ingest(device, [], T0.AddHours(1)).Events);
    }

    [Fact]
    public void CheckSilence_NeverHeard_StaysQuiet()
    {
        Assert.Empty(DeviceDecisions.CheckSilence(Provisioned(), T0, T0.AddDays(1)).Events);
    }

    [Fact]
    public void UpdateRules_RemovedRuleIsClearedAndTheLastValueIsWeighedAgainstTheNewOnes()
    {
        var device = Online();
        device.Then(Common.Decision.Accept([.. Ingest(device, 85)]));
        var humid = new ThresholdRule("humidity", ThresholdDirection.Above, 60, 0, AlarmSeverity.Warning);
        var lastValues = new Dictionary<string, double> { ["temperature"] = 85, ["humidity"] = 70 };

        var decision = DeviceDecisions.UpdateRules(device, new UpdateDeviceRules("u1", [humid]), lastValues, T0);

        IDomainEvent[] expected = [new RequestAccepted("u1"), new DeviceRulesChanged([humid]), new ThresholdCleared("temperature", ThresholdDirection.Above, 85, T0), new ThresholdCrossed("humidity", ThresholdDirection.Above, 70, T0)];
        Assert.Equal(expected, decision.Events, new EventComparer());
        device.Then(decision);
        Assert.Equal([humid], device.Rules);
        Assert.Equal(["humidity"], device.Crossings.Select(c => c.Resource));
    }

    [Fact]
    public void UpdateRules_BadRuleOrUnknownDevice_IsRefused()
    {
        Assert.Equal("rules[0].hysteresis", DeviceDecisions.UpdateRules(Online(), new UpdateDeviceRules("u1", [HotAbove80 with { Hysteresis = -2 }]), new Dictionary<string, double>(), T0).Refused(EdgeErrorCode.InvalidArgument).Field);
        Assert.Equal("name", DeviceDecisions.UpdateRules(new DeviceState(), new UpdateDeviceRules("u1", []), new Dictionary<string, double>(), T0).Refused(EdgeErrorCode.NotFound).Field);
    }

    [Fact]
    public void Delete_ClearsActiveCrossingsThenDeletesAndMayBeProvisionedAgain()
    {
        var device = Online();
        device.Then(Common.Decision.Accept([.. Ingest(device, 85)]));

        var deleted = DeviceDecisions.Delete(device, "d1", T0);

        Assert.Equal([typeof(RequestAccepted), typeof(ThresholdCleared), typeof(DeviceDeleted)], deleted.Events.Select(e => e.GetType()));
        device.Then(deleted);
        Assert.False(device.IsLive);
        Assert.Empty(DeviceDecisions.Delete(device, "d1", T0).Events);
        DeviceDecisions.Delete(device, "d2", T0).Refused(EdgeErrorCode.NotFound);
        device.Then(DeviceDecisions.Provision(device, "s1", "thermo-1", Sensor with { RequestId = "p2" }));
        Assert.True(device.IsLive);
        Assert.Empty(device.Crossings);
    }

    [Fact]
    public void RecentIds_RemembersTheLastOnesOnly()
    {
        var ids = new RecentIds(2);
        ids.Add("a");
        ids.Add("b");
        ids.Add("a");
        ids.Add("c");

        Assert.False(ids.Contains("a"));
        Assert.True(ids.Contains("b") && ids.Contains("c"));
        Assert.False(ids.Contains(string.Empty));
        Assert.Equal(2, ids.Count);
    }

    /// <summary>Records compare their lists by reference; this compares the events by their JSON.</summary>
    private sealed class EventComparer : IEqualityComparer<IDomainEvent>
    {
        public bool Equals(IDomainEvent? x, IDomainEvent? y) =>
            x?.GetType() == y?.GetType() && System.Text.Json.JsonSerializer.Serialize(x, x?.GetType() ?? typeof(object)) == System.Text.Json.JsonSerializer.Serialize(y, y?.GetType() ?? typeof(object));

        public int GetHashCode(IDomainEvent obj) => obj.GetType().GetHashCode();
    }
}
