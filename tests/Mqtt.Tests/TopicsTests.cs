namespace Edge.Actors.Mqtt.Tests;

public sealed class TopicsTests
{
    [Fact]
    public void TryParseEdgeX_EdgeX3Topic_ReadsServiceProfileDeviceSource()
    {
        Assert.True(Topics.TryParseEdgeX("edgex/events/device/device-modbus/Thermo-Profile/Thermo-1/temperature", out var topic, out _));
        Assert.Equal(new Topics.EdgeXTopic("device-modbus", "Thermo-Profile", "Thermo-1", "temperature"), topic);
    }

    [Fact]
    public void TryParseEdgeX_EdgeX2Topic_HasNoService()
    {
        Assert.True(Topics.TryParseEdgeX("edgex/events/device/Thermo-Profile/Thermo-1/temperature", out var topic, out _));
        Assert.Equal(new Topics.EdgeXTopic(null, "Thermo-Profile", "Thermo-1", "temperature"), topic);
    }

    [Theory]
    [InlineData(null, "the topic is empty")]
    [InlineData("edgex/events/core/a/b/c", "is not under edgex/events/device/")]
    [InlineData("edgex/events/device/a/b", "has 2 levels")]
    [InlineData("edgex/events/device/a/b/c/d/e", "has 5 levels")]
    [InlineData("edgex/events/device/s//d/r", "the profile level is empty")]
    [InlineData("edgex/events/device/p/d/+", "the source level is empty or holds a wildcard")]
    public void TryParseEdgeX_OtherTopic_GivesAReason(string? topic, string reasonPart)
    {
        Assert.False(Topics.TryParseEdgeX(topic, out var parsed, out var reason));
        Assert.Null(parsed);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("device-modbus", "Thermo-Profile", "Thermo-1", "temperature")]
    [InlineData(null, "p", "d", "s")]
    [InlineData("svc", "profile/with/slashes", "dev+#", "100%")]
    public void EdgeX_BuiltTopic_ParsesBackToTheSameNames(string? service, string profile, string device, string source)
    {
        var topic = Topics.EdgeX(service, profile, device, source);

        Assert.True(Topics.TryParseEdgeX(topic, out var parsed, out var reason), reason);
        Assert.Equal(new Topics.EdgeXTopic(service, profile, device, source), parsed);
    }

    [Fact]
    public void Heartbeat_BuiltTopic_ParsesBack()
    {
        var topic = Topics.Heartbeat("s-042", "worker-3");

        Assert.Equal("edge/s-042/hosts/worker-3/heartbeat", topic);
        Assert.True(Topics.TryParseHeartbeat(topic, out var site, out var host));
        Assert.Equal(("s-042", "worker-3"), (site, host));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("edge/s-042/hosts/worker-3/state")]
    [InlineData("edge/s-042/hosts/Worker-3/heartbeat")]
    [InlineData("edge/s-042/hosts/worker-3/heartbeat/extra")]
    [InlineData("edge//hosts/worker-3/heartbeat")]
    [InlineData("edgex/s-042/hosts/worker-3/heartbeat")]
    public void TryParseHeartbeat_OtherTopic_IsFalse(string? topic) =>
        Assert.False(Topics.TryParseHeartbeat(topic, out _, out _));

    [Fact]
    public void NorthboundBuilders_ProductNames_GiveTheDocumentedTopics()
    {
        Assert.Equal("edge/s-042/alarms/200.004/host=s-042%2Fworker-3", Topics.Alarm("s-042", "200.004", "host=s-042/worker-3"));
        Assert.Equal("edge/s-042/hosts/worker-3/state", Topics.HostState("s-042", "worker-3"));
        Assert.Equal("edge/s-042/site/state", Topics.SiteState("s-042"));
        Assert.Equal("edge/s-042/devices/Thermo-1/state", Topics.DeviceState("s-042", "Thermo-1"));
        Assert.Equal("edge/s-042/events", Topics.Events("s-042"));
        Assert.Equal("edge/s-042/dead-letter", Topics.DeadLetter("s-042"));
        Assert.Equal("edgex/events/device/#", Topics.EdgeXSubscription);
        Assert.Equal("edge/+/hosts/+/heartbeat", Topics.HeartbeatSubscription);
    }

    public static TheoryData<string> AwkwardNames => new()
    {
        "host=s-042/worker-3", "host=s-042/worker-3.sensor=fan-1", "a+b", "#", "+", "/", "a/b/c", "x\0y", "100%", "%2F",
        "tab\there", "ünïcødé", "emoji-🚀", "$SYS", " ", "..",
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public void EncodeSegment_AnyName_HasNoWildcardSlashOrNulAndDecodesBack(string name)
    {
        var segment = Topics.EncodeSegment(name);

        Assert.DoesNotMatch("[+#/\0%]", segment.Replace("%", string.Empty, StringComparison.Ordinal));
        Assert.All(segment, c => Assert.True(c is > ' ' and < '\x7f', $"'{c}' in {segment}"));
        Assert.Equal(name, Topics.DecodeSegment(segment));
    }

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public void NorthboundBuilders_AwkwardDeviceOrEntity_StayWithinTheirLevels(string name)
    {
        string[] topics = [Topics.Alarm("s-042", "100.101", name), Topics.DeviceState("s-042", name)];

        foreach (var topic in topics)
        {
            Assert.DoesNotContain('+', topic);
            Assert.DoesNotContain('#', topic);
            Assert.DoesNotContain('\0', topic);
            Assert.Equal(5, topic.Split('/').Length);
            Assert.All(topic.Split('/'), level => Assert.NotEmpty(level));
        }
        Assert.Equal(name, Topics.DecodeSegment(topics[0].Split('/')[4]));
        Assert.Equal(name, Topics.DecodeSegment(topics[1].Split('/')[3]));
    }

    [Fact]
    public void EncodeSegment_ProductName_IsUnchanged() =>
        Assert.Equal("worker-3", Topics.EncodeSegment("worker-3"));

    [Theory]
    [InlineData("S-042")]
    [InlineData("s/042")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("")]
    [InlineData("-s")]
    public void NorthboundBuilders_InvalidSiteOrHost_AreRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => Topics.SiteState(name));
        Assert.Throws<ArgumentException>(() => Topics.Events(name));
        Assert.Throws<ArgumentException>(() => Topics.DeadLetter(name));
        Assert.Throws<ArgumentException>(() => Topics.HostState("s-042", name));
        Assert.Throws<ArgumentException>(() => Topics.Heartbeat(name, "worker-1"));
    }

    [Theory]
    [InlineData("200")]
    [InlineData("200.004/x")]
    [InlineData("+")]
    public void Alarm_InvalidAlarmId_IsRefused(string alarmId) =>
        Assert.Throws<ArgumentException>(() => Topics.Alarm("s-042", alarmId, "host=s-042/worker-3"));

    [Fact]
    public void Alarm_EmptyEntity_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Topics.Alarm("s-042", "200.004", ""));
}
