using System.Diagnostics;
using System.Text.Json;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Cli.Tests;

/// <summary>A real silo whose MQTT bridge uses a real Mosquitto (Debian's package) with the ACL of <c>docker/mosquitto</c>.</summary>
public sealed class MosquittoGatewayFixture : GatewayFixture
{
    public const string BridgePassword = "bridge-secret";

    private MosquittoServer? _broker;

    public MosquittoServer Broker => _broker ?? throw new InvalidOperationException("Mosquitto has not started");

    private protected override (string Host, int Port, string User, string Password)? ExternalBroker => (MosquittoServer.Host, Broker.Port, "edge-bridge", BridgePassword);

    public override async Task InitializeAsync()
    {
        // The users a site would put in Mosquitto's password file: the bridge, the devices and a monitoring system.
        var users = new Dictionary<string, string>(SiloProcess.MqttDevices) { ["edge-bridge"] = BridgePassword, [SiloProcess.MqttMonitor] = SiloProcess.MqttMonitorPassword };
        _broker = await MosquittoServer.StartWithDockerAclAsync(users);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

/// <summary>
/// The MQTT bridge of a real silo as devices and monitoring systems see it, with Mosquitto's own clients: EdgeX events
/// reach the device, thresholds and silence raise and clear alarms, bad messages go to the dead-letter topic while good
/// ones keep flowing, and the platform's events and retained state are there for subscribers. One silo per broker,
/// shared by the class's tests; each test uses its own device or site where its state would disturb another's.
/// </summary>
public abstract class MqttBridgeTests<TFixture>(TFixture gateway) : IClassFixture<TFixture>
    where TFixture : GatewayFixture
{
    private const string Site = "local";
    private static readonly string Device = SiloProcess.MqttDevice;

    private int Port => gateway.Silo.MqttPort;

    protected TFixture Gateway => gateway;

    private Task<string> PublishAsync(string topic, string payload, string device = SiloProcess.MqttDevice) =>
        MosquittoClients.PublishAsync(Port, device, SiloProcess.MqttDevices[device], topic, payload);

    private Task<MosquittoSubscriber> SubscribeAsync(string filter) =>
        MosquittoSubscriber.StartAsync(Port, SiloProcess.MqttMonitor, SiloProcess.MqttMonitorPassword, filter);

    private static string Event(string resource, string valueType, string value, string source = "temperature", string device = SiloProcess.MqttDevice) => JsonSerializer.Serialize(new
    {
        apiVersion = "v3",
        requestId = $"{Guid.NewGuid()}",
        @event = new
        {
            apiVersion = "v3",
            id = $"{Guid.NewGuid()}",
            deviceName = device,
            profileName = "thermo",
            sourceName = source,
            origin = 1732550400000000000L,
            readings = new[]
            {
                new { id = $"{Guid.NewGuid()}", origin = 1732550400000000000L, deviceName = device, resourceName = resource, profileName = "thermo", valueType, value, units = "C" },
            },
        },
    });

    /// <summary>The site and its device, created once for the class's silo: repeated with the same request ids, they are answered, not refused.</summary>
    private async Task ProvisionAsync()
    {
        await gateway.OkAsync("site", "create", Site, "--request-id", "create-local");
        await gateway.OkAsync("device", "provision", Device, "--site", Site, "--service", "modbus", "--profile", "thermo", "--rule", "temperature:above:30:2:major", "--request-id", "provision-thermo-1");
    }

    private async Task<JsonElement> DeviceAsync(string device = SiloProcess.MqttDevice) => Json.Parse(await gateway.OkAsync("device", "show", device, "--site", Site, "--output", "json"));

    private static string? Reading(JsonElement device, string resource) =>
        device.TryGetProperty("readings", out var readings) ? readings.EnumerateArray().Where(r => r.Text("resource") == resource).Select(r => r.Text("value")).FirstOrDefault() : null;

    private static JsonElement[] Items(string json, string property) =>
        Json.Parse(json).TryGetProperty(property, out var items) ? [.. items.EnumerateArray()] : [];

    private async Task<JsonElement[]> ActiveAlarmsAsync(string alarmId, string entity) =>
        [.. Items(await gateway.OkAsync("alarm", "list", "--site", Site, "--output", "json"), "alarms").Where(a => a.Text("alarmId") == alarmId && a.Text("entityInstanceId") == entity)];

    private async Task<bool> AlarmActiveAsync() =>
        (await gateway.OkAsync("alarm", "list", "--site", Site, "--output", "json")).Contains("900.001", StringComparison.Ordinal);

    [Fact]
    public async Task EdgeX3And2Events_UpdateTheDevice_AThresholdCrossingRaisesAndClearsAnAlarm_PublishedNorthbound()
    {
        await ProvisionAsync();
        await using var events = await SubscribeAsync($"edge/{Site}/events");

        await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "21.5"));
        await Eventually.MatchAsync(() => DeviceAsync(), d => Reading(d, "temperature") == "21.5", TimeSpan.FromSeconds(30), "the EdgeX 3 reading");
        await PublishAsync($"edgex/events/device/thermo/{Device}/humidity", Event("humidity", "Int32", "40", "humidity"));
        await Eventually.MatchAsync(() => DeviceAsync(), d => Reading(d, "humidity") == "40", TimeSpan.FromSeconds(30), "the EdgeX 2 reading");

        await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "35"));
        await Eventually.MatchAsync(AlarmActiveAsync, active => active, TimeSpan.FromSeconds(30), "the threshold alarm raised");
        await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "27"));
        await Eventually.MatchAsync(AlarmActiveAsync, active => !active, TimeSpan.FromSeconds(30), "the threshold alarm cleared");
        Assert.True((await DeviceAsync()).GetProperty("online").GetBoolean());

        // A monitoring system subscribed to the site's events saw the alarm raised, with the value, then cleared.
        var entity = $"site={Site}.device={Device}.resource=temperature";
        bool IsAlarm(string payload, string type) =>
            JsonDocument.Parse(payload).RootElement is var e && e.GetProperty("type").GetString() == type
            && e.GetProperty("data").GetProperty("alarmId").GetString() == "900.001" && e.GetProperty("data").GetProperty("entityInstanceId").GetString() == entity;
        var seen = await Eventually.MatchAsync(
            () => Task.FromResult(events.Messages.Select(m => m.Payload).ToList()),
            m => m.Any(p => IsAlarm(p, "edge.alarm-cleared")),
            TimeSpan.FromSeconds(30),
            "the alarm's clear on the events topic");
        var raised = Assert.Single(seen, p => IsAlarm(p, "edge.alarm-raised"));
        Assert.Contains("temperature is 35 C", raised, StringComparison.Ordinal);
        Assert.True(seen.FindIndex(p => IsAlarm(p, "edge.alarm-raised")) < seen.FindIndex(p => IsAlarm(p, "edge.alarm-cleared")), "raised before cleared");
    }

    [Fact]
    public async Task Device_silent_past_its_window_goes_offline_and_back_online_over_mqtt()
    {
        const string Quiet = SiloProcess.MqttQuietDevice;
        const int WindowSeconds = 1;
        var entity = $"site={Site}.device={Quiet}";
        var topic = $"edgex/events/device/ble/thermo/{Quiet}/temperature";
        await gateway.OkAsync("site", "create", Site, "--request-id", "create-local");
        await gateway.OkAsync("device", "provision", Quiet, "--site", Site, "--service", "ble", "--profile", "thermo", "--offline-window", $"{WindowSeconds}", "--request-id", "provision-beacon-1");

        var published = DateTimeOffset.UtcNow;
        await PublishAsync(topic, Event("temperature", "Float64", "18", device: Quiet), Quiet);
        var offline = await Eventually.MatchAsync(() => ActiveAlarmsAsync("900.002", entity), a => a.Length == 1, TimeSpan.FromSeconds(30), "the offline alarm");

        var alarm = offline[0];
        Assert.Contains($"has not been heard for more than {WindowSeconds} s", alarm.Text("reason"), StringComparison.Ordinal);
        // Heard at the earliest when the publish began: raised sooner than a window after that, it was not silence.
        Assert.True(alarm.GetProperty("raisedAt").GetDateTimeOffset() - published >= TimeSpan.FromSeconds(WindowSeconds), $"raised at {alarm.GetProperty("raisedAt")}, published at {published:O}");
        var device = await DeviceAsync(Quiet);
        Assert.False(device.TryGetProperty("online", out var online) && online.GetBoolean());
        Assert.Equal("18", Reading(device, "temperature"));

        await PublishAsync(topic, Event("temperature", "Float64", "19", device: Quiet), Quiet);

        // The device goes quiet again a window later, so what shows it came back is the site's event log (a durable
        // clear after the set) and the new reading, not a look at its online flag that could come too late.
        var log = await Eventually.MatchAsync(
            async () => Items(await gateway.OkAsync("event-log", "list", "--site", Site, "--output", "json"), "entries").Where(e => e.Text("id") == "900.002" && e.Text("entityInstanceId") == entity).Select(e => e.Text("kind")).ToList(),
            kinds => kinds.Any(k => k.EndsWith("CLEAR", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the offline alarm cleared in the event log");
        Assert.Equal(["EVENT_LOG_KIND_SET", "EVENT_LOG_KIND_CLEAR"], log.Take(2));
        Assert.Equal("19", Reading(await DeviceAsync(Quiet), "temperature"));
    }

    [Fact]
    public async Task BadPayloadsAndTopics_AreDeadLetteredWithTheirReason_AndGoodEventsKeepFlowingInBetween()
    {
        await ProvisionAsync();
        var bad = BadMessages.Table(Device, Event);
        await using var deadLetters = await SubscribeAsync($"edge/{Site}/dead-letter");

        var i = 0;
        foreach (var (_, topic, payload) in bad)
        {
            await PublishAsync(topic, payload);
            await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", $"{++i}"));
        }

        await Eventually.MatchAsync(() => DeviceAsync(), d => Reading(d, "temperature") == $"{bad.Count}", TimeSpan.FromSeconds(30), "the last good reading");
        // Dead letters of the device's own topic are out once the last good reading shows; those of its other topics are
        // handled beside it, so all of them are waited for.
        var letters = await Eventually.MatchAsync(() => Task.FromResult(deadLetters.Messages), m => m.Count >= bad.Count, TimeSpan.FromSeconds(30), "a dead letter for each bad message");
        Assert.Equal(bad.Count, letters.Count);
        var reasons = letters.Select(l => JsonDocument.Parse(l.Payload).RootElement).Select(l => (Topic: l.GetProperty("topic").GetString(), Code: l.GetProperty("code").ToString(), Reason: l.GetProperty("reason").GetString())).ToList();
        Assert.Equal(bad.Select(b => b.Topic), reasons.Select(r => r.Topic));
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        Assert.Equal(["MalformedJson", "BadValue", "WrongType", "MissingField", "UnparsableTopic", "TopicMismatch"], reasons.Select(r => r.Code));
    }

    /// <summary>
    /// What a subscriber joining now receives on <paramref name="filter"/>: retained messages arrive at once on
    /// subscribing, so the subscription lasts a short collection window and then ends.
    /// </summary>
    private async Task<string[]> RetainedAsync(string filter)
    {
        var start = new ProcessStartInfo("mosquitto_sub")
        {
            ArgumentList = { "-h", MosquittoServer.Host, "-p", $"{Port}", "-i", MosquittoClients.ClientId(SiloProcess.MqttMonitor), "-u", SiloProcess.MqttMonitor, "-P", SiloProcess.MqttMonitorPassword, "-t", filter, "-v", "-W", "2" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // 27: the -W window ended, which is how this subscription is meant to end.
        Assert.True(process.ExitCode is 0 or 27, $"mosquitto_sub exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Alarms_RaisedAndCleared_AreRetainedForALateSubscriber_OnlyWhileActive()
    {
        const string North = "mqtt-north";
        await gateway.OkAsync("site", "create", North);
        await gateway.OkAsync("alarm", "raise", "200.004", "--site", North, "--entity", $"host={North}/worker-1", "--severity", "critical", "--reason", "worker-1 failed");
        await gateway.OkAsync("alarm", "raise", "100.101", "--site", North, "--entity", $"host={North}/worker-2", "--severity", "major", "--reason", "CPU threshold exceeded");

        var both = await Eventually.MatchAsync(() => RetainedAsync($"edge/{North}/alarms/#"), lines => lines.Length == 2, TimeSpan.FromSeconds(30), "both alarms retained");
        Assert.Contains(both, l => l.StartsWith($"edge/{North}/alarms/200.004/", StringComparison.Ordinal) && l.Contains("worker-1 failed", StringComparison.Ordinal));

        await gateway.OkAsync("alarm", "clear", "200.004", "--site", North, "--entity", $"host={North}/worker-1");
        // Published in commit order: once an alarm raised after the clear is retained, the clear has been published too.
        await gateway.OkAsync("alarm", "raise", "100.102", "--site", North, "--entity", $"host={North}/worker-3", "--severity", "minor", "--reason", "memory threshold exceeded");
        var after = await Eventually.MatchAsync(() => RetainedAsync($"edge/{North}/alarms/#"), lines => lines.Any(l => l.Contains("100.102", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the third alarm retained");

        Assert.Equal(2, after.Length);
        Assert.DoesNotContain(after, l => l.Contains("200.004", StringComparison.Ordinal));
        var site = Assert.Single(await RetainedAsync($"edge/{North}/site/state"));
        Assert.Contains(North, site, StringComparison.Ordinal);
    }
}

/// <summary>Messages the bridge must refuse, each with its topic and payload; good events are published between them.</summary>
internal static class BadMessages
{
    public static List<(string What, string Topic, string Payload)> Table(string device, Func<string, string, string, string, string, string> edgeXEvent)
    {
        string Event(string value) => edgeXEvent("temperature", "Float64", value, "temperature", device);
        return
        [
            ("malformed JSON", $"edgex/events/device/modbus/thermo/{device}/temperature", "{\"event\": {"),
            ("value not of its type", $"edgex/events/device/modbus/thermo/{device}/temperature", Event("warm")),
            ("field of the wrong JSON type", $"edgex/events/device/modbus/thermo/{device}/temperature", Event("20").Replace("\"readings\":[", "\"readings\":\"many\",\"x\":[", StringComparison.Ordinal)),
            ("missing field", $"edgex/events/device/modbus/thermo/{device}/temperature", "{\"event\":{\"id\":\"x\",\"profileName\":\"thermo\",\"sourceName\":\"temperature\",\"origin\":1,\"readings\":[]}}"),
            // Within the device's own topics (the broker refuses anything else) but with no source level.
            ("topic that does not parse", $"edgex/events/device/modbus/thermo/{device}/", Event("20")),
            ("topic naming another source's event", $"edgex/events/device/modbus/thermo/{device}/pressure", Event("20")),
        ];
    }
}

/// <summary>The bridge on the silo's embedded broker (the default).</summary>
public sealed class EmbeddedBrokerBridgeTests(GatewayFixture gateway) : MqttBridgeTests<GatewayFixture>(gateway);

/// <summary>The bridge on an external Mosquitto, and what only an external broker can do: restart under the bridge.</summary>
public sealed class MosquittoBridgeTests(MosquittoGatewayFixture gateway) : MqttBridgeTests<MosquittoGatewayFixture>(gateway)
{
    private Task<string> PublishAsync(string value) =>
        MosquittoClients.PublishAsync(Gateway.Broker.Port, SiloProcess.MqttDevice, SiloProcess.MqttDevicePassword,
            $"edgex/events/device/modbus/thermo/{SiloProcess.MqttDevice}/pressure",
            JsonSerializer.Serialize(new { deviceName = SiloProcess.MqttDevice, profileName = "thermo", sourceName = "pressure", id = $"{Guid.NewGuid()}", origin = 1L, readings = new[] { new { resourceName = "pressure", valueType = "Float64", value, deviceName = SiloProcess.MqttDevice, profileName = "thermo", origin = 1L } } }));

    private async Task<string?> PressureAsync()
    {
        var device = Json.Parse(await Gateway.OkAsync("device", "show", SiloProcess.MqttDevice, "--site", "local", "--output", "json"));
        return device.TryGetProperty("readings", out var readings) ? readings.EnumerateArray().Where(r => r.Text("resource") == "pressure").Select(r => r.Text("value")).FirstOrDefault() : null;
    }

    [Fact]
    public async Task EdgeXEvents_ThroughMosquitto_UpdateTheDevice_BeforeAndAfterMosquittoRestarts()
    {
        await Gateway.OkAsync("site", "create", "local", "--request-id", "create-local");
        await Gateway.OkAsync("device", "provision", SiloProcess.MqttDevice, "--site", "local", "--service", "modbus", "--profile", "thermo", "--rule", "temperature:above:30:2:major", "--request-id", "provision-thermo-1");

        await PublishAsync("1015.5");
        await Eventually.MatchAsync(PressureAsync, t => t == "1015.5", TimeSpan.FromSeconds(30), "the reading through Mosquitto");

        await Gateway.Broker.RestartAsync();
        await PublishAsync("1016.5");

        await Eventually.MatchAsync(PressureAsync, t => t == "1016.5", TimeSpan.FromSeconds(30), "the reading after Mosquitto restarted");
    }
}
