// Edge.Actors.MqttBench owns the MQTT ingest benchmark: EdgeX events/s that 50 devices' grains take through a real Mosquitto and the silo's bridge, against a plain subscriber of the same stream, and the device alarm's latency.
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.Mqtt.Bridge;
using Edge.Actors.MqttBench;
using Edge.Actors.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

const string Site = "local";
const int Devices = 50;
const int Rounds = 3;
const int AlarmRuns = 100;
const string BridgePassword = "bridge-secret";
const string BenchPassword = "bench-secret";
var inv = CultureInfo.InvariantCulture;
var warmup = TimeSpan.FromSeconds(1);
var window = TimeSpan.FromSeconds(2);
var drainTimeout = TimeSpan.FromSeconds(60);
var siloStartup = TimeSpan.FromSeconds(90);

var siloProgram = Path.Combine(AppContext.BaseDirectory, "silo", "Edge.Actors.Silo.dll");
if (!File.Exists(siloProgram))
{
    Console.Error.WriteLine($"{siloProgram} is missing: build bench/MqttBench (it copies the silo's build output beside it)");
    return 2;
}

var data = Directory.CreateTempSubdirectory("edge-mqttbench-");
try
{
    return await RunAsync(CancellationToken.None);
}
finally
{
    try
    {
        data.Delete(recursive: true);
    }
    catch (IOException)
    {
        // Left for the OS to clean up with the rest of the temp folder.
    }
}

async Task<int> RunAsync(CancellationToken cancellationToken)
{
    Console.WriteLine(string.Create(inv, $"mqtt benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}"));
    Console.WriteLine($"load average at start: {LoadAverage()}");
    var devices = Enumerable.Range(1, Devices).Select(i => string.Create(inv, $"dev-{i:00}")).ToArray();
    var users = new Dictionary<string, string> { ["edge-bridge"] = BridgePassword, ["bench"] = BenchPassword };
    foreach (var device in devices)
    {
        users[device] = $"{device}-secret";
    }

    var acl = await MosquittoServer.DockerAclAsync(cancellationToken) + "\n# The benchmark's plain subscriber reads everything.\nuser bench\ntopic read #\n";
    await using var broker = await MosquittoServer.StartAsync(users, acl, cancellationToken);
    Console.WriteLine(string.Create(inv, $"mosquitto on {MosquittoServer.Host}:{broker.Port} ({users.Count} users, docker/mosquitto/acl + bench read #)"));

    // The child inherits these: the bridge's credentials for the external broker.
    Environment.SetEnvironmentVariable("Edge__Mqtt__Username", "edge-bridge");
    Environment.SetEnvironmentVariable("Edge__Mqtt__Password", BridgePassword);
    var grpcPort = LoopbackPorts.FreePair();
    var endpoint = $"http://127.0.0.1:{grpcPort}";
    await using var silo = ChildProcess.Start(siloProgram,
        "--data", data.FullName, "--silo-port", $"{LoopbackPorts.Free()}", "--gateway-port", $"{LoopbackPorts.Free()}", "--grpc-port", $"{grpcPort}",
        "--mqtt-broker", MosquittoServer.Host, "--mqtt-port", $"{broker.Port}");
    var publishers = new List<Publisher>();
    try
    {
        await silo.WaitForLineAsync($"gRPC gateway serving on {endpoint}", siloStartup);
        await silo.WaitForLineAsync("an admin token was written to", siloStartup);
        await silo.WaitForLineAsync("MQTT bridge connected to", siloStartup);
        Console.WriteLine($"silo pid {silo.Id} serving on {endpoint}, its bridge connected to mosquitto as edge-bridge");
        using var gateway = new GatewayClient(endpoint, (await File.ReadAllTextAsync(Path.Combine(data.FullName, "admin.token"), cancellationToken)).Trim());
        await gateway.CreateSiteAsync(Site, cancellationToken);
        var rule = new ThresholdRule { Resource = "temperature", Direction = ThresholdDirection.Above, Limit = 1000, Hysteresis = 1, Severity = AlarmSeverity.Major };
        foreach (var device in devices)
        {
            await gateway.ProvisionDeviceAsync(Site, device, rule, cancellationToken);
        }

        Console.WriteLine($"site {Site}: {Devices} devices provisioned (modbus/thermo, rule temperature:above:1000:1:major)");

        // The baseline: a plain QoS 1 subscriber of the same stream through the same broker, connected throughout.
        long received = 0;
        long target = long.MaxValue;
        long reachedAt = 0;
        await using var subscriber = new MqttConnection(
            new MqttEndpoint(MosquittoServer.Host, broker.Port, "bench-baseline", "bench", BenchPassword), ["edgex/events/device/#"],
            (_, _, _) =>
            {
                if (Interlocked.Increment(ref received) == Volatile.Read(ref target))
                {
                    Volatile.Write(ref reachedAt, Stopwatch.GetTimestamp());
                }

                return Task.CompletedTask;
            },
            NullLogger.Instance);
        await subscriber.StartAsync();
        await Eventually.MatchAsync(() => Task.FromResult(subscriber.IsConnected), c => c, TimeSpan.FromSeconds(30), "the baseline subscriber connected");

        foreach (var device in devices)
        {
            var publisher = new Publisher(device, MosquittoServer.Host, broker.Port, users[device]);
            await publisher.ConnectAsync(cancellationToken);
            publishers.Add(publisher);
        }

        Console.WriteLine($"{Devices} publishers connected (one per device, its own user, QoS 1, one event in flight each)");

        // Warm-up: activates the grains and the JIT; drained before anything is measured.
        await PublishForAsync(publishers, warmup);
        await WaitVisibleAsync(gateway, publishers, cancellationToken);
        Console.WriteLine(string.Create(inv, $"warm-up: {publishers.Sum(p => p.Sequence)} events over {warmup.TotalSeconds:0} s, all visible on the devices"));

        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"== ingest: {Devices} publishers for {window.TotalSeconds:0} s per round; both consumers connected in every round (same broker load);"));
        Console.WriteLine("   grains = events / (first publish -> every device shows its last sequence number via GetDevice);");
        Console.WriteLine("   baseline = events / (first publish -> plain subscriber 'bench' received them all)");
        var header = $"{"round",5} {"events",9} {"publish s",9} {"pub ev/s",9} {"grains s",9} {"grains ev/s",11} {"base s",8} {"base ev/s",10} {"ratio",6}";
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        var grainRates = new List<double>();
        var baseRates = new List<double>();
        for (var round = 1; round <= Rounds; round++)
        {
            Volatile.Write(ref reachedAt, 0);
            Interlocked.Exchange(ref received, 0);
            Volatile.Write(ref target, long.MaxValue);
            var start = Stopwatch.GetTimestamp();
            var events = await PublishForAsync(publishers, window);
            var published = Stopwatch.GetElapsedTime(start);
            Volatile.Write(ref target, events);
            if (Interlocked.Read(ref received) >= events && Volatile.Read(ref reachedAt) == 0)
            {
                Volatile.Write(ref reachedAt, Stopwatch.GetTimestamp());
            }

            var visibleAt = await WaitVisibleAsync(gateway, publishers, cancellationToken);
            await Eventually.MatchAsync(() => Task.FromResult(Volatile.Read(ref reachedAt)), t => t != 0, drainTimeout, $"the baseline subscriber receiving {events} events (has {Interlocked.Read(ref received)})");
            var grainsSeconds = Stopwatch.GetElapsedTime(start, visibleAt).TotalSeconds;
            var baseSeconds = Stopwatch.GetElapsedTime(start, Volatile.Read(ref reachedAt)).TotalSeconds;
            grainRates.Add(events / grainsSeconds);
            baseRates.Add(events / baseSeconds);
            Console.WriteLine(string.Create(inv,
                $"{round,5} {events,9} {published.TotalSeconds,9:0.00} {events / published.TotalSeconds,9:0} {grainsSeconds,9:0.00} {events / grainsSeconds,11:0} {baseSeconds,8:0.00} {events / baseSeconds,10:0} {baseSeconds / grainsSeconds,6:0.00}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"== alarm latency: {AlarmRuns} runs; publish 2000 (rule above 1000) -> alarm 900.001 active via GetAlarm (polled every 10 ms); then publish 0 -> cleared"));
        var raises = new List<double>();
        var clears = new List<double>();
        // Run 0 is a warm-up (the alarm path's first activation and JIT) and is not counted.
        for (var run = 0; run <= AlarmRuns; run++)
        {
            var publisher = publishers[run % publishers.Count];
            var entity = $"site={Site}.device={publisher.Device}.resource=temperature";
            var raised = Stopwatch.GetTimestamp();
            await publisher.PublishAsync("2000", cancellationToken);
            await Eventually.MatchAsync(() => gateway.FindAlarmAsync(Site, "900.001", entity, cancellationToken), a => a is not null, TimeSpan.FromSeconds(30), $"alarm 900.001 on {entity}");
            var raiseMs = Stopwatch.GetElapsedTime(raised).TotalMilliseconds;
            var cleared = Stopwatch.GetTimestamp();
            await publisher.PublishAsync("0", cancellationToken);
            await Eventually.MatchAsync(() => gateway.FindAlarmAsync(Site, "900.001", entity, cancellationToken), a => a is null, TimeSpan.FromSeconds(30), $"alarm 900.001 on {entity} cleared");
            var clearMs = Stopwatch.GetElapsedTime(cleared).TotalMilliseconds;
            if (run == 0)
            {
                Console.WriteLine(string.Create(inv, $"warm-up run ({publisher.Device}): raise {raiseMs:0.0} ms, clear {clearMs:0.0} ms (not counted)"));
                continue;
            }

            raises.Add(raiseMs);
            clears.Add(clearMs);
        }

        var alarmHeader = $"{"ms",6} {"min",7} {"p50",7} {"p90",7} {"p99",7} {"max",7}";
        Console.WriteLine(alarmHeader);
        Console.WriteLine(new string('-', alarmHeader.Length));
        var sorted = raises.Order().ToArray();
        foreach (var (name, values) in new[] { ("raise", sorted), ("clear", clears.Order().ToArray()) })
        {
            Console.WriteLine(string.Create(inv, $"{name,6} {values[0],7:0.0} {NearestRank(values, 0.50),7:0.0} {NearestRank(values, 0.90),7:0.0} {NearestRank(values, 0.99),7:0.0} {values[^1],7:0.0}"));
        }

        var p50 = NearestRank(sorted, 0.50);
        var p99 = NearestRank(sorted, 0.99);
        Console.WriteLine($"load average at end: {LoadAverage()}");
        Console.WriteLine();
        var value = grainRates.Average();
        var baseline = baseRates.Average();
        Console.WriteLine(string.Create(inv, $"RESULT mqtt.ingest value={value:0} baseline={baseline:0} ratio={value / baseline:0.00}"));
        Console.WriteLine(string.Create(inv, $"RESULT mqtt.alarm_latency_ms value={p50:0.0} p99={p99:0.0}"));
        return 0;
    }
    catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or Grpc.Core.RpcException)
    {
        Console.Error.WriteLine($"FAILED: {ex.Message}");
        Console.Error.WriteLine($"--- silo output (last 40 lines) ---\n{string.Join('\n', silo.Output.Split('\n').TakeLast(40))}");
        return 1;
    }
    finally
    {
        foreach (var publisher in publishers)
        {
            await publisher.DisposeAsync();
        }
    }
}

// Every publisher publishes as fast as its PUBACKs come back for the span; returns the events published.
static async Task<long> PublishForAsync(IReadOnlyList<Publisher> publishers, TimeSpan span)
{
    using var stop = new CancellationTokenSource(span);
    var counts = await Task.WhenAll(publishers.Select(p => Task.Run(() => p.RunAsync(stop.Token))));
    return counts.Sum();
}

// Polls every device until each shows its publisher's last sequence number as its temperature; returns when the last one was seen.
async Task<long> WaitVisibleAsync(GatewayClient gateway, IReadOnlyList<Publisher> publishers, CancellationToken cancellationToken)
{
    var pending = publishers.ToList();
    var deadline = Stopwatch.GetTimestamp() + ClosedLoop.Ticks(drainTimeout);
    var lastSeen = 0L;
    var last = string.Empty;
    while (pending.Count > 0)
    {
        var shown = await Task.WhenAll(pending.Select(async p =>
        {
            var device = await gateway.GetDeviceAsync(Site, p.Device, cancellationToken);
            var reading = device.Readings.FirstOrDefault(r => r.Resource == "temperature");
            var done = reading is not null && double.TryParse(reading.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && (long)v == p.Sequence;
            return (Publisher: p, Done: done, Value: reading?.Value);
        }));
        lastSeen = Stopwatch.GetTimestamp();
        pending = shown.Where(s => !s.Done).Select(s => s.Publisher).ToList();
        if (pending.Count > 0)
        {
            var first = shown.First(s => !s.Done);
            last = $"{pending.Count} devices behind, e.g. {first.Publisher.Device} shows {first.Value} of {first.Publisher.Sequence}";
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"devices not caught up within {drainTimeout.TotalSeconds:0} s: {last}");
            }

            // Not faster: 50 devices polled through the gateway take CPU from the bridge being measured.
            await Task.Delay(50, cancellationToken);
        }
    }

    return lastSeen;
}

static double NearestRank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
