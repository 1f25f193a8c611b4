using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Edge.Actors.Abstractions;
using Edge.Actors.TestSupport;

namespace Edge.Actors.Silo.Tests;

/// <summary>The silo's MQTT bridge on an external Mosquitto while the silo process is killed and restarted under a device's stream.</summary>
public sealed class MqttBridgeRestartTests : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);
    private const string Serving = "Edge.Actors silo serving";
    private const string BridgeConnected = "MQTT bridge connected";
    private const string Site = "local";
    private const string Device = "thermo-1";
    private const string DevicePassword = "thermo-secret";
    private const string BridgePassword = "bridge-secret";
    private const string Monitor = "monitor";
    private const string MonitorPassword = "monitor-secret";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("edge-silo-mqtt-");

    public void Dispose() => _data.Delete(recursive: true);

    /// <summary>
    /// Reading <paramref name="number"/> as an EdgeX event: odd numbers are <c>+n</c> and even ones <c>-n</c>, so against
    /// a rule "above 0, no hysteresis" every reading taken in order records one threshold transition carrying its number
    /// (crossed at +n, cleared at -n), and a redelivered one records nothing.
    /// </summary>
    private static string Reading(int number)
    {
        var value = (number % 2 == 1 ? number : -number).ToString(CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(new
        {
            apiVersion = "v3",
            id = $"reading-{number}",
            deviceName = Device,
            profileName = "thermo",
            sourceName = "temperature",
            origin = 1L,
            readings = new[] { new { resourceName = "temperature", valueType = "Float64", value, deviceName = Device, profileName = "thermo", origin = 1L } },
        });
    }

    /// <summary>The reading numbers in the threshold transitions of the device's events that a monitoring system received.</summary>
    private static SortedSet<int> TransitionNumbers(MosquittoSubscriber events)
    {
        var numbers = new SortedSet<int>();
        foreach (var (_, payload) in events.Messages)
        {
            var e = JsonDocument.Parse(payload).RootElement;
            if (e.GetProperty("stream").GetString() == $"device/{Site}/{Device}" && e.GetProperty("type").GetString() is "edge.threshold-crossed" or "edge.threshold-cleared")
            {
                var value = e.GetProperty("data").EnumerateObject().Single(p => p.NameEquals("value") || p.NameEquals("Value")).Value.GetDouble();
                numbers.Add((int)Math.Abs(value));
            }
        }

        return numbers;
    }

    [Fact]
    public async Task Silo_killed_and_restarted_during_a_QoS1_stream_of_numbered_EdgeX_events_loses_none_of_them()
    {
        await using var broker = await MosquittoServer.StartWithDockerAclAsync(new Dictionary<string, string> { ["edge-bridge"] = BridgePassword, [Device] = DevicePassword, [Monitor] = MonitorPassword });
        var environment = new Dictionary<string, string> { ["Edge__Mqtt__Username"] = "edge-bridge", ["Edge__Mqtt__Password"] = BridgePassword };
        string[] arguments = ["--data", _data.FullName, "--mqtt-broker", MosquittoServer.Host, "--mqtt-port", $"{broker.Port}"];
        // A monitoring system on the site's events: the broker stays up, so its subscription lasts through the restart.
        await using var events = await MosquittoSubscriber.StartAsync(broker.Port, Monitor, MonitorPassword, $"edge/{Site}/events");

        var (siloPort, gatewayPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var first = SiloProcess.Start(siloPort, gatewayPort, environment, arguments);
        await using var firstSilo = first;
        await first.WaitForLogAsync(Serving, Startup);
        await first.WaitForLogAsync(BridgeConnected, Startup);
        var (host, client) = await first.ConnectAsync();
        using (host)
        {
            await client.GetGrain<ISiteGrain>(Site).CreateAsync(new CreateSite("create-local"));
            await client.GetGrain<IDeviceGrain>(ResourceNames.Key(Site, Device)).ProvisionAsync(
                new ProvisionDevice("provision-thermo-1", "modbus", "thermo", [new ThresholdRule("temperature", ThresholdDirection.Above, 0, 0, AlarmSeverity.Major)]));
            await host.StopAsync(CancellationToken.None);
        }

        // One device client publishing numbered readings at QoS 1, a line each, at a steady pace through the kill and
        // the restart; it stops once told to, at the number it had reached.
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in MosquittoClients.PublishArguments(broker.Port, Device, DevicePassword, $"edgex/events/device/modbus/thermo/{Device}/temperature").Append("-l"))
        {
            start.ArgumentList.Add(argument);
        }

        using var publisher = Process.Start(start)!;
        var published = 0;
        var stopAt = int.MaxValue;
        var publishing = Task.Run(async () =>
        {
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
            while (published < Volatile.Read(ref stopAt))
            {
                await publisher.StandardInput.WriteLineAsync(Reading(published + 1));
                await publisher.StandardInput.FlushAsync();
                Interlocked.Increment(ref published);
                await pace.WaitForNextTickAsync();
            }

            // End of input: mosquitto_pub sends what it has, waits for the PUBACKs and exits.
            publisher.StandardInput.Close();
            await publisher.WaitForExitAsync();
        });

        await Eventually.MatchAsync(() => Task.FromResult(TransitionNumbers(events).Count), n => n >= 20, TimeSpan.FromSeconds(60), "the first silo taking the stream");
        await first.KillAsync();
        Assert.Equal(137, first.ExitCode);
        var atKill = Volatile.Read(ref published);

        await using var second = SiloProcess.Start(siloPort, gatewayPort, environment, arguments);
        await second.WaitForLogAsync(BridgeConnected, Startup);
        var atRestart = Volatile.Read(ref published);
        Volatile.Write(ref stopAt, atRestart + 40);
        await publishing.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, publisher.ExitCode);
        var total = Volatile.Read(ref published);

        try
        {
            await Eventually.MatchAsync(() => Task.FromResult(TransitionNumbers(events).Count), n => n >= total, TimeSpan.FromSeconds(60), $"a threshold transition for each of the {total} readings");
        }
        catch (TimeoutException)
        {
            // Reported below, naming the numbers that are missing.
        }

        Assert.True(atRestart > atKill, $"readings published while the silo was down: {atRestart - atKill}");
        var seen = TransitionNumbers(events);
        Assert.Equal([], Enumerable.Range(1, total).Except(seen));
        Assert.Equal(Enumerable.Range(1, total), seen);
    }
}
