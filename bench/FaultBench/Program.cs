// Edge.Actors.FaultBench owns the host-failure benchmark: how fast the real silo detects a simulated host whose pulses stop, raises alarm 200.004 and evacuates its VMs, and the silo's CPU for thousands of pulsing hosts.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Edge.Actors.FaultBench;
using Edge.Actors.Gateway.Protos;
using Edge.Actors.TestSupport;

const string DrillSite = "fault-bench";
const string CpuSite = "fault-cpu";
const int DrillHosts = 20;
const int Vms = 200;
const int CreateConcurrency = 16;
// The detector's documented period: a host is failed after 10 missed pulses, so 1000 ms is the floor detection is held against.
const double DetectBaselineMs = 1000;
var inv = CultureInfo.InvariantCulture;
var period = TimeSpan.FromMilliseconds(100);
var siloStartup = TimeSpan.FromSeconds(90);
var drillFleetReady = TimeSpan.FromMinutes(2);
var cpuFleetReady = TimeSpan.FromMinutes(10);
// Quiet time before each CPU window, so that it measures steady pulsing rather than the tail of what came before.
var settle = TimeSpan.FromSeconds(3);

if (!Options.TryParse(args, out var options))
{
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

var siloProgram = Path.Combine(AppContext.BaseDirectory, "silo", "Edge.Actors.Silo.dll");
var agentProgram = Path.Combine(AppContext.BaseDirectory, "agent", "edge-agent.dll");
foreach (var program in new[] { siloProgram, agentProgram })
{
    if (!File.Exists(program))
    {
        Console.Error.WriteLine($"{program} is missing: build bench/FaultBench (it copies the silo's and edge-agent's build output beside it)");
        return 2;
    }
}

var data = Directory.CreateTempSubdirectory("edge-faultbench-");
try
{
    return await Benchmark.RunAsync(RunAsync);
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
    var started = Stopwatch.GetTimestamp();
    Console.WriteLine(string.Create(inv, $"fault benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}"));
    Console.WriteLine(string.Create(inv, $"{options.Runs} drills on {DrillHosts} simulated hosts holding {Vms} VMs; then silo CPU over {options.CpuSeconds:0.##} s with {DrillHosts} and with {DrillHosts} + {options.CpuHosts} pulsing hosts"));
    Console.WriteLine("the real silo (SQLite in a temporary folder) and edge-agent --simulate run as child processes; the benchmark polls the gateway every ~5 ms");
    Console.WriteLine($"load average at start: {LoadAverage()}");

    var grpcPort = LoopbackPorts.FreePair();
    var endpoint = $"http://127.0.0.1:{grpcPort}";
    var tokenFile = Path.Combine(data.FullName, "admin.token");
    await using var silo = ChildProcess.Start(siloProgram,
        "--data", data.FullName, "--silo-port", $"{LoopbackPorts.Free()}", "--gateway-port", $"{LoopbackPorts.Free()}", "--grpc-port", $"{grpcPort}", "--mqtt-port", $"{LoopbackPorts.Free()}");
    ChildProcess? drillFleet = null;
    ChildProcess? cpuFleet = null;
    try
    {
        await silo.WaitForLineAsync($"gRPC gateway serving on {endpoint}", siloStartup);
        // Logged once the token file is complete, right after the serving line.
        await silo.WaitForLineAsync("an admin token was written to", siloStartup);
        Console.WriteLine(string.Create(inv, $"silo pid {silo.Id} serving on {endpoint} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
        using var gateway = new GatewayClient(endpoint, (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim());

        await gateway.CreateSiteAsync(DrillSite, "fault drills", cancellationToken);
        drillFleet = ChildProcess.Start(agentProgram,
            "--simulate", $"{DrillHosts}", "--site", DrillSite, "--gateway", endpoint, "--token-file", tokenFile, "--capacity-vcpus", "32");
        await drillFleet.WaitForLineAsync($"ready {DrillHosts} hosts", drillFleetReady);
        Console.WriteLine($"simulator pid {drillFleet.Id}: {DrillHosts} hosts of site {DrillSite} registered and pulsing");

        await CreateVmsAsync(gateway, cancellationToken);
        var results = await DrillAsync(gateway, drillFleet, cancellationToken);

        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"== heartbeat CPU: silo CPU seconds (user + system, /proc) over {options.CpuSeconds:0.##} s windows, each after {settle.TotalSeconds:0} s of quiet"));
        var window = TimeSpan.FromSeconds(options.CpuSeconds);
        await QuietAsync(settle, cancellationToken);
        var baseline = await CpuWindow.MeasureAsync(silo, drillFleet, gateway, DrillSite, DrillHosts, window, cancellationToken);
        Console.WriteLine(string.Create(inv, $"   baseline: {DrillHosts} hosts of {DrillSite} pulsing: silo {baseline.SiloCores:0.000} cores, {baseline.Healthy}/{baseline.Watched} watched hosts healthy"));

        await gateway.CreateSiteAsync(CpuSite, "heartbeat load", cancellationToken);
        cpuFleet = ChildProcess.Start(agentProgram,
            "--simulate", $"{options.CpuHosts}", "--site", CpuSite, "--prefix", "cpu", "--gateway", endpoint, "--token-file", tokenFile,
            "--capacity-vcpus", "4", "--capacity-memory-mib", "8192", "--capacity-disk-gib", "100");
        var registering = await WaitForFleetAsync(gateway, cpuFleet, options.CpuHosts, cancellationToken);
        Console.WriteLine(string.Create(inv, $"   simulator pid {cpuFleet.Id}: {options.CpuHosts} hosts of {CpuSite} registered and pulsing after {registering.TotalSeconds:0.0} s"));
        await WaitForHealthyAsync(gateway, options.CpuHosts, cancellationToken);
        await QuietAsync(settle, cancellationToken);
        var loaded = await CpuWindow.MeasureAsync(silo, cpuFleet, gateway, CpuSite, options.CpuHosts, window, cancellationToken);
        Console.WriteLine(string.Create(inv, $"   loaded: {DrillHosts} + {options.CpuHosts} hosts pulsing: silo {loaded.SiloCores:0.000} cores, {loaded.Healthy}/{loaded.Watched} watched hosts of {CpuSite} healthy"));

        Print(results, baseline, loaded, period);
        Console.WriteLine(string.Create(inv, $"load average at end: {LoadAverage()}; whole run {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s"));
        var failures = new List<string>();
        foreach (var measured in new[] { baseline, loaded })
        {
            if (!measured.AllHealthy)
            {
                failures.Add(string.Create(inv, $"site {measured.Site}: {measured.Healthy} of {measured.Hosts} hosts healthy ({measured.Watched} watched) halfway through the CPU window"));
            }
        }

        Console.WriteLine();
        var detect = Percentiles(results.Select(r => r.DetectMs));
        var evacuate = Percentiles(results.Select(r => r.EvacuateMs));
        Console.WriteLine(string.Create(inv, $"RESULT fault.detect_ms value={detect.P50:0} p99={detect.P99:0} baseline={DetectBaselineMs:0} ratio={detect.P50 / DetectBaselineMs:0.00}"));
        Console.WriteLine(string.Create(inv, $"RESULT fault.evacuate_ms value={evacuate.P50:0} p99={evacuate.P99:0}"));
        Console.WriteLine(string.Create(inv, $"RESULT fault.heartbeat_cpu value={loaded.SiloCores:0.000} baseline={baseline.SiloCores:0.000}"));
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"FAILED: {failure}");
        }

        return failures.Count == 0 ? 0 : 1;
    }
    catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or Grpc.Core.RpcException)
    {
        Console.Error.WriteLine($"FAILED: {ex.Message}");
        Console.Error.WriteLine($"--- silo output (last 40 lines) ---\n{Tail(silo.Output, 40)}");
        foreach (var (name, fleet) in new[] { ("drill simulator", drillFleet), ("CPU simulator", cpuFleet) })
        {
            if (fleet is not null)
            {
                Console.Error.WriteLine($"--- {name} output (last 20 lines) ---\n{Tail(fleet.Output, 20)}");
            }
        }

        return 1;
    }
    finally
    {
        // The simulators first: a silo killed under them would only fill their logs with reconnects.
        foreach (var fleet in new[] { cpuFleet, drillFleet })
        {
            if (fleet is not null)
            {
                await fleet.DisposeAsync();
            }
        }
    }
}

async Task CreateVmsAsync(GatewayClient gateway, CancellationToken cancellationToken)
{
    var flavor = new Flavor { Name = "m1.tiny", Vcpus = 1, MemoryMib = 512, DiskGib = 10 };
    var created = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(
        Enumerable.Range(1, Vms),
        new ParallelOptions { MaxDegreeOfParallelism = CreateConcurrency, CancellationToken = cancellationToken },
        async (i, token) =>
        {
            var name = string.Create(inv, $"vm-{i:000}");
            var vm = await gateway.CreateInstanceAsync(DrillSite, name, flavor, "cirros", token);
            if (vm.State != InstanceState.Active || vm.Host.Length == 0)
            {
                throw new InvalidOperationException($"VM {name} was created {vm.State} on '{vm.Host}' ({vm.Reason})");
            }
        });
    var perHost = (await gateway.ListHostsAsync(DrillSite, cancellationToken)).Select(h => FaultDrill.InstancesOf(h).Count).ToArray();
    Console.WriteLine(string.Create(inv,
        $"{Vms} VMs ({flavor.Vcpus} vCPU, {flavor.MemoryMib} MiB, {flavor.DiskGib} GiB, cirros) created {CreateConcurrency} at a time in {Stopwatch.GetElapsedTime(created).TotalSeconds:0.0} s; per host min {perHost.Min()} max {perHost.Max()} over {perHost.Length} hosts"));
    if (perHost.Sum() != Vms)
    {
        throw new InvalidOperationException($"the hosts' workloads hold {perHost.Sum()} VMs, not {Vms}");
    }
}

async Task<IReadOnlyList<DrillResult>> DrillAsync(GatewayClient gateway, ChildProcess fleet, CancellationToken cancellationToken)
{
    Console.WriteLine();
    Console.WriteLine("== drills: stop a host's pulses; detect = host FAILED seen - its last pulse, alarm = 200.004 seen - its last pulse,");
    Console.WriteLine("   evacuate = every VM it held ACTIVE on another host seen - FAILED seen; recover = AVAILABLE and alarm cleared seen - its first pulse again");
    Console.WriteLine(DrillHeader());
    var drill = new FaultDrill(gateway, fleet, DrillSite);
    var results = new List<DrillResult>();
    for (var run = 1; run <= options.Runs; run++)
    {
        var result = await drill.RunAsync(run, cancellationToken);
        results.Add(result);
        Console.WriteLine(DrillRow(result));
    }

    return results;
}

async Task<TimeSpan> WaitForFleetAsync(GatewayClient gateway, ChildProcess fleet, int hosts, CancellationToken cancellationToken)
{
    var started = Stopwatch.GetTimestamp();
    var ready = fleet.WaitForLineAsync($"ready {hosts} hosts", cpuFleetReady);
    using var progress = new PeriodicTimer(TimeSpan.FromSeconds(10));
    var last = (Hosts: 0, Seconds: 0.0);
    while (!ready.IsCompleted)
    {
        await Task.WhenAny(ready, progress.WaitForNextTickAsync(cancellationToken).AsTask());
        if (!ready.IsCompleted)
        {
            var registered = (await gateway.GetSiteAsync(CpuSite, cancellationToken)).Hosts;
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine(string.Create(inv,
                $"   registering: {registered,6}/{hosts} hosts in {CpuSite} after {seconds,5:0} s ({(registered - last.Hosts) / (seconds - last.Seconds),5:0}/s lately)"));
            last = (registered, seconds);
        }
    }

    await ready;
    return Stopwatch.GetElapsedTime(started);
}

async Task WaitForHealthyAsync(GatewayClient gateway, int hosts, CancellationToken cancellationToken)
{
    var started = Stopwatch.GetTimestamp();
    var status = await Eventually.MatchAsync(
        () => gateway.GetPulseStatusAsync(CpuSite, cancellationToken),
        s => s.Hosts.Count == hosts && s.Hosts.All(h => h.Health == "HEALTHY"),
        TimeSpan.FromMinutes(1),
        $"all {hosts} hosts of {CpuSite} watched and HEALTHY");
    Console.WriteLine(string.Create(inv, $"   GetPulseStatus({CpuSite}): {status.Hosts.Count} watched, all HEALTHY, {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s after ready"));
}

void Print(IReadOnlyList<DrillResult> results, CpuWindow baseline, CpuWindow loaded, TimeSpan pulsePeriod)
{
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"drills: {results.Count} runs on site {DrillSite}; times in ms; p99 is nearest-rank (with {results.Count} runs, the slowest)"));
    Console.WriteLine(DrillHeader());
    Console.WriteLine(new string('-', DrillHeader().Length));
    foreach (var result in results)
    {
        Console.WriteLine(DrillRow(result));
    }

    Console.WriteLine(new string('-', DrillHeader().Length));
    var rows = new (string Name, Func<DrillResult, long> Of)[] { ("detect", r => r.DetectMs), ("alarm", r => r.AlarmMs), ("evacuate", r => r.EvacuateMs), ("recover", r => r.RecoverMs) };
    var p = rows.Select(row => Percentiles(results.Select(row.Of))).ToArray();
    Console.WriteLine(string.Create(inv, $"{"p50",4} {string.Empty,-9} {string.Empty,4} {string.Empty,7} {p[0].P50,9:0} {p[1].P50,8:0} {p[2].P50,11:0} {p[3].P50,10:0}"));
    Console.WriteLine(string.Create(inv, $"{"p99",4} {string.Empty,-9} {string.Empty,4} {string.Empty,7} {p[0].P99,9:0} {p[1].P99,8:0} {p[2].P99,11:0} {p[3].P99,10:0}"));
    Console.WriteLine();
    Console.WriteLine("heartbeat CPU: silo cores = silo CPU seconds / wall seconds; watched/healthy from GetPulseStatus halfway through the window;");
    Console.WriteLine("               pulses and skipped ticks counted by the simulator over the window, 'of period' = pulses / (hosts x window / 100 ms)");
    Console.WriteLine(CpuWindow.Header);
    Console.WriteLine(new string('-', CpuWindow.Header.Length));
    Console.WriteLine(baseline.Describe(pulsePeriod));
    Console.WriteLine(loaded.Describe(pulsePeriod));
    Console.WriteLine(string.Create(inv, $"(the loaded window also has the {DrillHosts} hosts of {DrillSite} pulsing; per extra host: {(loaded.SiloCores - baseline.SiloCores) / loaded.Hosts * 1000:0.000} millicores)"));
    Console.WriteLine();
}

string DrillHeader() => $"{"run",4} {"host",-9} {"VMs",4} {"targets",7} {"detect ms",9} {"alarm ms",8} {"evacuate ms",11} {"recover ms",10}";

string DrillRow(DrillResult r) => string.Create(inv, $"{r.Run,4} {r.Host,-9} {r.VmsMoved,4} {r.TargetHosts,7} {r.DetectMs,9} {r.AlarmMs,8} {r.EvacuateMs,11} {r.RecoverMs,10}");

static (double P50, double P99) Percentiles(IEnumerable<long> milliseconds)
{
    // The shared nearest-rank percentile works on Stopwatch ticks.
    var ticks = milliseconds.Select(ms => ClosedLoop.Ticks(TimeSpan.FromMilliseconds(ms))).Order().ToArray();
    return (ClosedLoop.PercentileMs(ticks, 0.50), ClosedLoop.PercentileMs(ticks, 0.99));
}

// A measurement window's lead-in, not a synchronisation: the system is left alone for a while before measuring.
static async Task QuietAsync(TimeSpan span, CancellationToken cancellationToken)
{
    using var timer = new PeriodicTimer(span);
    await timer.WaitForNextTickAsync(cancellationToken);
}

static string Tail(string output, int lines) => string.Join('\n', output.Split('\n').TakeLast(lines));

// Other work on this small machine skews every number; the load average tells the reader whether there was any.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
