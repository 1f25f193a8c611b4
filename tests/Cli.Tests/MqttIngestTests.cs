using System.Diagnostics;
using System.Text.Json;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Cli.Tests;

/// <summary>
/// EdgeX devices publishing through the silo's embedded broker with Mosquitto's own client: readings reach the device,
/// thresholds raise and clear alarms, and bad messages go to the dead-letter topic while good ones keep flowing.
/// </summary>
public sealed class MqttIngestTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Site = "local";
    private static readonly string Device = SiloProcess.MqttDevice;

    private Task<string> PublishAsync(string topic, string payload) =>
        ProcessRunner.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{gateway.Silo.MqttPort}", "-i", $"{Device}-{Guid.NewGuid():N}"[..23], "-u", Device, "-P", SiloProcess.MqttDevicePassword, "-q", "1", "-t", topic, "-m", payload], TimeSpan.FromSeconds(30));

    private static string Event(string resource, string valueType, string value, string source = "temperature") => JsonSerializer.Serialize(new
    {
        apiVersion = "v3",
        requestId = $"{Guid.NewGuid()}",
        @event = new
        {
            apiVersion = "v3",
            id = $"{Guid.NewGuid()}",
            deviceName = Device,
            profileName = "thermo",
            sourceName = source,
            origin = 1732550400000000000L,
            readings = new[]
            {
                new { id = $"{Guid.NewGuid()}", origin = 1732550400000000000L, deviceName = Device, resourceName = resource, profileName = "thermo", valueType, value, units = "C" },
            },
        },
    });

    /// <summary>The site and its device, created once for the class's silo: repeated with the same request ids, they are answered, not refused.</summary>
    private async Task ProvisionAsync()
    {
        await gateway.OkAsync("site", "create", Site, "--request-id", "create-local");
        await gateway.OkAsync("device", "provision", Device, "--site", Site, "--service", "modbus", "--profile", "thermo", "--rule", "temperature:above:30:2:major", "--request-id", "provision-thermo-1");
    }

    private async Task<JsonElement> DeviceAsync() => Json.Parse(await gateway.OkAsync("device", "show", Device, "--site", Site, "--output", "json"));

    private static string? Reading(JsonElement device, string resource) =>
        device.TryGetProperty("readings", out var readings) ? readings.EnumerateArray().Where(r => r.Text("resource") == resource).Select(r => r.Text("value")).FirstOrDefault() : null;

    private async Task<bool> AlarmActiveAsync() =>
        (await gateway.OkAsync("alarm", "list", "--site", Site, "--output", "json")).Contains("900.001", StringComparison.Ordinal);

    /// <summary>Collects what the dead-letter topic carries while <paramref name="act"/> runs, until <paramref name="count"/> messages came.</summary>
    private async Task<string[]> DeadLettersDuringAsync(int count, Func<Task> act)
    {
        // Line-buffered (stdbuf): piped, the client would hold its output back until it exits.
        var start = new ProcessStartInfo("stdbuf")
        {
            ArgumentList = { "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", $"{gateway.Silo.MqttPort}", "-i", $"monitor-{Guid.NewGuid():N}"[..23], "-u", SiloProcess.MqttMonitor, "-P", SiloProcess.MqttMonitorPassword, "-q", "1", "-t", $"edge/{Site}/dead-letter", "-C", $"{count}", "-W", "60", "-d" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var subscriber = Process.Start(start)!;
        var lines = new List<string>();
        var subscribed = new TaskCompletionSource();
        subscriber.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            // With -d the client reports its SUBACK: from then on nothing published is missed.
            if (e.Data.Contains("SUBACK", StringComparison.Ordinal))
            {
                subscribed.TrySetResult();
            }
            else if (e.Data.StartsWith('{'))
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        subscriber.BeginOutputReadLine();
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await act();
        await subscriber.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        lock (lines)
        {
            return [.. lines];
        }
    }

    [Fact]
    public async Task EdgeX3And2Events_UpdateTheDevice_AThresholdCrossingRaisesAndClearsAnAlarm()
    {
        await ProvisionAsync();

        await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "21.5"));
        await Eventually.MatchAsync(DeviceAsync, d => Reading(d, "temperature") == "21.5", TimeSpan.FromSeconds(30), "the EdgeX 3 reading");
        await PublishAsync($"edgex/events/device/thermo/{Device}/humidity", Event("humidity", "Int32", "40", "humidity"));
        await Eventually.MatchAsync(DeviceAsync, d => Reading(d, "humidity") == "40", TimeSpan.FromSeconds(30), "the EdgeX 2 reading");

        await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "35"));
        await Eventually.MatchAsync(AlarmActiveAsync, active => active, TimeSpan.FromSeconds(30), "the threshold alarm raised");
        await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "27"));
        await Eventually.MatchAsync(AlarmActiveAsync, active => !active, TimeSpan.FromSeconds(30), "the threshold alarm cleared");
        Assert.True((await DeviceAsync()).GetProperty("online").GetBoolean());
    }

    public static TheoryData<string, string, string> BadMessages() => new()
    {
        { "malformed JSON", $"edgex/events/device/modbus/thermo/{Device}/temperature", "{\"event\": {" },
        { "value not of its type", $"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "warm") },
        { "field of the wrong JSON type", $"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", "20").Replace("\"readings\":[", "\"readings\":\"many\",\"x\":[", StringComparison.Ordinal) },
        { "missing field", $"edgex/events/device/modbus/thermo/{Device}/temperature", "{\"event\":{\"id\":\"x\",\"profileName\":\"thermo\",\"sourceName\":\"temperature\",\"origin\":1,\"readings\":[]}}" },
        // Within the device's own topics (the broker refuses anything else) but with no source level.
        { "topic that does not parse", $"edgex/events/device/modbus/thermo/{Device}/", Event("temperature", "Float64", "20") },
        { "topic naming another source's event", $"edgex/events/device/modbus/thermo/{Device}/pressure", Event("temperature", "Float64", "20") },
    };

    [Fact]
    public async Task BadPayloadsAndTopics_AreDeadLetteredWithTheirReason_AndGoodEventsKeepFlowingInBetween()
    {
        await ProvisionAsync();
        var bad = BadMessages().Select(row => ((string)row[0], (string)row[1], (string)row[2])).ToList();

        var letters = await DeadLettersDuringAsync(bad.Count, async () =>
        {
            var i = 0;
            foreach (var (_, topic, payload) in bad)
            {
                await PublishAsync(topic, payload);
                await PublishAsync($"edgex/events/device/modbus/thermo/{Device}/temperature", Event("temperature", "Float64", $"{++i}"));
            }
        });

        Assert.Equal(bad.Count, letters.Length);
        var reasons = letters.Select(l => JsonDocument.Parse(l).RootElement).Select(l => (Topic: l.GetProperty("topic").GetString(), Code: l.GetProperty("code").ToString(), Reason: l.GetProperty("reason").GetString())).ToList();
        Assert.Equal(bad.Select(b => b.Item2), reasons.Select(r => r.Topic));
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        Assert.Equal(["MalformedJson", "BadValue", "WrongType", "MissingField", "UnparsableTopic", "TopicMismatch"], reasons.Select(r => r.Code));
        await Eventually.MatchAsync(DeviceAsync, d => Reading(d, "temperature") == $"{bad.Count}", TimeSpan.FromSeconds(30), "the last good reading");
    }
}
