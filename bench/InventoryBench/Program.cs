// Edge.Actors.InventoryBench owns the inventory benchmark: VM creates per second through the grains (in-process silo, PostgreSQL event store) against raw event-store appends, and managed memory per activated host and VM grain.
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore.Postgres;
using Edge.Actors.InventoryBench;
using Edge.Actors.TestSupport;
using Npgsql;
using Op = Edge.Actors.InventoryBench.CountingEventStore.Op;

// Each side of create_vm is measured in this many alternating rounds (baseline, grains, grains, baseline),
// each after a warm-up, so that drift of this small shared machine falls on both sides alike.
const int Rounds = 2;
const int Callers = 64;
const int Sites = 4;
// Throughput rounds: workers per site, and VMs each has room for (far more than any round creates).
const int ThroughputWorkersPerSite = 16;
const int ThroughputVmsPerWorker = 4096;
// The memory part's bounded concurrency, and how often it reports progress on VMs.
const int MemoryConcurrency = 64;
const int VmProgressEvery = 10_000;
var warmUp = TimeSpan.FromSeconds(2);
var inv = CultureInfo.InvariantCulture;

if (!Options.TryParse(args, out var options))
{
    Console.Error.WriteLine("usage: Edge.Actors.InventoryBench [--seconds N] [--hosts N] [--vms N] [--part all|create_vm|memory]");
    Console.Error.WriteLine("   --seconds: measured seconds of each round, after a 2 s warm-up (default 10; 2 rounds per side)");
    Console.Error.WriteLine("   --hosts, --vms: what the memory part creates over 4 sites (default 10000 and 100000)");
    return 2;
}

return await Benchmark.RunAsync(RunAsync);

async Task<int> RunAsync(CancellationToken cancellationToken)
{
    var started = DateTime.UtcNow;
    Console.WriteLine(string.Create(inv, $"inventory benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));
    Console.WriteLine($"load average at start: {LoadAverage()}");
    await using var postgres = await PostgresServer.StartAsync(cancellationToken);
    var cpu = CpuProbe.For(postgres.DataFolder);
    var checksFailed = false;
    ThroughputResult? throughput = null;
    MemoryResult? memory = null;

    if (options.Part is "all" or "create_vm")
    {
        (throughput, var ok) = await RunThroughputAsync(postgres, cpu, cancellationToken);
        checksFailed |= !ok;
    }

    if (options.Part is "all" or "memory")
    {
        (memory, var ok) = await RunMemoryAsync(postgres, cpu, cancellationToken);
        checksFailed |= !ok;
    }

    Console.WriteLine();
    if (throughput is not null)
    {
        Console.WriteLine("create_vm: value = VM creates/s through the grains (ISiteGrain.CreateInstanceAsync, as the gateway calls it; 64 callers, 16 per site), baseline = raw event-store appends/s (64 writers, one event each, own stream);");
        Console.WriteLine("           per second is the better round, latencies over all rounds");
        Console.WriteLine(string.Create(inv, $"{"case",-10} {"side",-9} {"callers",7} {"rounds per second",19} {"per second",11} {"p50 ms",8} {"p99 ms",8} {"ratio",6}"));
        Console.WriteLine(new string('-', 86));
        foreach (var (sideName, rounds, best) in new[] { ("grains", throughput.Grains, throughput.Value), ("baseline", throughput.Baseline, throughput.BaselineValue) })
        {
            var sorted = Latency.Merge(rounds);
            var perRound = string.Join(" / ", rounds.Select(r => r.PerSecond.ToString("0", inv)));
            var ratio = sideName == "grains" ? throughput.Ratio.ToString("0.00", inv) : string.Empty;
            Console.WriteLine(string.Create(inv,
                $"{"create_vm",-10} {sideName,-9} {Callers,7} {perRound,19} {best,11:0} {Latency.PercentileMs(sorted, 0.50),8:0.00} {Latency.PercentileMs(sorted, 0.99),8:0.00} {ratio,6}"));
        }

        Console.WriteLine();
    }

    if (memory is not null)
    {
        Console.WriteLine("memory: managed heap (GC.GetTotalMemory after a full collection) and process working set, before and after each phase, all grains kept activated;");
        Console.WriteLine("        a host's share includes its entry in the site's ledger, a VM's share includes its allocation in the site's ledger (site grains are 4 in all)");
        Console.WriteLine(string.Create(inv, $"{"phase",-7} {"created",8} {"seconds",8} {"per second",11} {"heap delta MiB",15} {"bytes each",11} {"working set delta MiB",22}"));
        Console.WriteLine(new string('-', 88));
        foreach (var phase in new[] { memory.Hosts, memory.Vms })
        {
            Console.WriteLine(string.Create(inv,
                $"{phase.Name,-7} {phase.Count,8} {phase.Elapsed.TotalSeconds,8:0.0} {phase.Count / phase.Elapsed.TotalSeconds,11:0} {phase.HeapDelta / 1048576.0,15:0.0} {phase.BytesEach,11:0} {phase.WorkingSetDelta / 1048576.0,22:0.0}"));
        }

        Console.WriteLine(string.Create(inv, $"activated grains at the end: {memory.ActivationsAtEnd}; heap {memory.HeapAtEnd / 1048576.0:0.0} MiB, working set {memory.WorkingSetAtEnd / 1048576.0:0.0} MiB"));
        Console.WriteLine();
    }

    Console.WriteLine(string.Create(inv, $"load average at end: {LoadAverage()}; whole run {(DateTime.UtcNow - started).TotalSeconds:0} s"));
    Console.WriteLine();
    if (throughput is not null)
    {
        Console.WriteLine(string.Create(inv, $"RESULT inventory.create_vm value={Math.Round(throughput.Value):0} baseline={Math.Round(throughput.BaselineValue):0} ratio={throughput.Ratio:0.00}"));
    }

    if (memory is not null)
    {
        Console.WriteLine(string.Create(inv, $"RESULT inventory.memory_per_vm_bytes value={Math.Round(memory.Vms.BytesEach):0}"));
        Console.WriteLine(string.Create(inv, $"RESULT inventory.memory_per_host_bytes value={Math.Round(memory.Hosts.BytesEach):0}"));
    }

    return checksFailed ? 1 : 0;
}

async Task<(ThroughputResult, bool)> RunThroughputAsync(PostgresServer postgres, CpuProbe cpu, CancellationToken cancellationToken)
{
    var perRound = TimeSpan.FromSeconds(options.Seconds);
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"== create_vm: {Callers} callers, each one command or append at a time; {Rounds} rounds per side of {perRound.TotalSeconds:0.##} s measured after {warmUp.TotalSeconds:0.##} s warm-up; order baseline, grains, grains, baseline"));
    Console.WriteLine(string.Create(inv, $"   grains: each round {Sites} fresh sites, {Callers / Sites} callers each, {ThroughputWorkersPerSite} unlocked workers per site with room for {ThroughputVmsPerWorker} VMs of {Sizes.Small.VCpus} vCPU/{Sizes.Small.MemoryMiB} MiB/{Sizes.Small.DiskGiB} GiB each"));
    Console.WriteLine("   baseline: the same PostgresEventStore on a fresh database of the same server, one InstanceCreated event (as the grain writes it) per append");

    var baselineConnection = await postgres.CreateDatabaseAsync("bench_base", cancellationToken);
    var grainsConnection = await postgres.CreateDatabaseAsync("bench_grains", cancellationToken);
    Console.WriteLine($"   postgres: {await DescribePostgresAsync(baselineConnection, cancellationToken)}");
    await using var baselineDatabase = NpgsqlDataSource.Create(baselineConnection);
    await using var grainsDatabase = NpgsqlDataSource.Create(grainsConnection);
    await using var baselineStore = await PostgresEventStore.OpenAsync(baselineConnection, cancellationToken: cancellationToken);
    await using var grainsStore = new CountingEventStore(await PostgresEventStore.OpenAsync(grainsConnection, cancellationToken: cancellationToken));
    await using var silo = await BenchSilo.StartAsync(grainsStore, cancellationToken);

    IBenchSide grains = new GrainSide(silo, grainsStore, grainsDatabase, Sites, ThroughputWorkersPerSite, ThroughputVmsPerWorker);
    IBenchSide baseline = new StoreAppendSide(baselineStore, baselineDatabase);
    var grainRounds = new List<RoundResult>();
    var baselineRounds = new List<RoundResult>();
    var ok = true;
    for (var i = 0; i < Rounds; i++)
    {
        var order = i % 2 == 0 ? new[] { baseline, grains } : [grains, baseline];
        foreach (var side in order)
        {
            var rounds = side == grains ? grainRounds : baselineRounds;
            var result = await RoundRunner.RunAsync(side, rounds.Count + 1, Callers, warmUp, perRound, cpu, cancellationToken);
            rounds.Add(result);
            var sorted = Latency.Merge([result]);
            var unit = side == grains ? "cmds/s  " : "events/s";
            Console.WriteLine(string.Create(inv,
                $"   round {result.Round} {side.Name,-8} {result.PerSecond,8:0} {unit}  p50 {Latency.PercentileMs(sorted, 0.50),7:0.00} ms  p99 {Latency.PercentileMs(sorted, 0.99),7:0.00} ms  ({result.Operations} in window, {result.Acknowledged} in all)"));
            var (lines, roundOk) = await side.FinishRoundAsync(result.Round, result.Acknowledged, cancellationToken);
            ok &= roundOk;
            foreach (var line in lines)
            {
                Console.WriteLine($"      {line}");
            }

            Console.WriteLine($"      {result.Cpu.Describe()} (measured window)");
            Console.WriteLine($"      {result.Cpu.DescribePerOperation(result.Operations)}");
        }
    }

    return (new ThroughputResult(grainRounds, baselineRounds), ok);
}

async Task<(MemoryResult, bool)> RunMemoryAsync(PostgresServer postgres, CpuProbe cpu, CancellationToken cancellationToken)
{
    var hosts = options.Hosts;
    var vms = options.Vms;
    // Room for half as many VMs again as the run creates, so that spreading placement never runs out.
    var vmsPerWorker = Math.Max(16, (int)Math.Ceiling(1.5 * vms / Math.Max(1, hosts)));
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"== memory: a second, fresh silo and database; {Sites} sites, {hosts} unlocked workers (room for {vmsPerWorker} VMs each), then {vms} VMs; {MemoryConcurrency} commands in flight"));
    var connection = await postgres.CreateDatabaseAsync("bench_memory", cancellationToken);
    await using var store = new CountingEventStore(await PostgresEventStore.OpenAsync(connection, cancellationToken: cancellationToken));
    await using var silo = await BenchSilo.StartAsync(store, cancellationToken);
    var siteIds = Enumerable.Range(0, Sites).Select(i => Sizes.Site("mem", i)).ToArray();
    await Task.WhenAll(siteIds.Select(site => silo.Grains.GetGrain<ISiteGrain>(site).CreateAsync(new CreateSite($"create-{site}", "memory benchmark", "bench"), cancellationToken)));

    var (heap0, workingSet0) = MeasureMemory();
    var activations0 = await silo.ActivationCountAsync();
    Console.WriteLine(string.Create(inv, $"   before: heap {heap0 / 1048576.0:0.0} MiB, working set {workingSet0 / 1048576.0:0.0} MiB, {activations0} activations"));

    var stats0 = store.Snapshot();
    var cpu0 = cpu.Sample();
    var hostsElapsed = await Bounded.RunAsync(hosts, MemoryConcurrency, Math.Max(1, hosts / 10), async j =>
    {
        var site = siteIds[j % Sites];
        var host = silo.Grains.GetGrain<IHostGrain>(ResourceNames.Key(site, Sizes.Worker(j / Sites)));
        await host.AddAsync(Sizes.WorkerFor($"add-{site}-{j}", vmsPerWorker), cancellationToken);
        await host.UnlockAsync($"unlock-{site}-{j}", cancellationToken);
    }, Progress("hosts", hosts), cancellationToken);
    var hostsCpu = CpuProbe.Between(cpu0, cpu.Sample());
    var (heap1, workingSet1) = MeasureMemory();
    var activations1 = await silo.ActivationCountAsync();
    var stats1 = store.Snapshot();
    Console.WriteLine(string.Create(inv, $"   after hosts: heap {heap1 / 1048576.0:0.0} MiB, working set {workingSet1 / 1048576.0:0.0} MiB, {activations1} activations"));
    Console.WriteLine($"      {DescribeStore(KindStats.Delta(stats1, stats0), hosts, "host")}");
    Console.WriteLine($"      {hostsCpu.Describe()}; host {hostsCpu.DescribePerOperation(hosts)}");

    var cpu1 = cpu.Sample();
    var vmsElapsed = await Bounded.RunAsync(vms, MemoryConcurrency, VmProgressEvery, async i =>
    {
        var site = siteIds[i % Sites];
        var name = string.Create(inv, $"vm-{i / Sites}");
        var created = await silo.Grains.GetGrain<ISiteGrain>(site)
            .CreateInstanceAsync(name, new CreateInstance($"create-{site}-{name}", Sizes.Small, "cirros"), cancellationToken);
        // A create does not wake the VM's grain; reading the VM does, and this part measures activated VM grains.
        var view = await silo.Grains.GetGrain<IInstanceGrain>(ResourceNames.Key(site, name)).GetAsync(cancellationToken);
        if (created.State != InstanceStatus.Active || view.Host != created.Host)
        {
            throw new InvalidOperationException($"VM {site}/{name} is {view.State}");
        }
    }, Progress("vms", vms), cancellationToken);
    var vmsCpu = CpuProbe.Between(cpu1, cpu.Sample());
    var (heap2, workingSet2) = MeasureMemory();
    var activations2 = await silo.ActivationCountAsync();
    var stats2 = store.Snapshot();
    Console.WriteLine(string.Create(inv, $"   after VMs: heap {heap2 / 1048576.0:0.0} MiB, working set {workingSet2 / 1048576.0:0.0} MiB, {activations2} activations"));
    Console.WriteLine($"      {DescribeStore(KindStats.Delta(stats2, stats1), vms, "VM")}");
    Console.WriteLine($"      {vmsCpu.Describe()}; VM {vmsCpu.DescribePerOperation(vms)}");

    var views = await Task.WhenAll(siteIds.Select(site => silo.Grains.GetGrain<ISiteGrain>(site).GetAsync(cancellationToken)));
    var ok = views.Sum(v => v.Hosts) == hosts && views.Sum(v => v.Instances) == vms
        && activations1 - activations0 >= hosts && activations2 - activations1 >= vms;
    Console.WriteLine(string.Create(inv,
        $"   check: {views.Sum(v => v.Hosts)} hosts and {views.Sum(v => v.Instances)} VMs in the ledgers, activations +{activations1 - activations0} for the hosts and +{activations2 - activations1} for the VMs: {(ok ? "ok" : "MISMATCH")}"));

    var result = new MemoryResult(
        new MemoryPhase("hosts", hosts, hostsElapsed, heap1 - heap0, workingSet1 - workingSet0),
        new MemoryPhase("vms", vms, vmsElapsed, heap2 - heap1, workingSet2 - workingSet1),
        activations2,
        heap2,
        workingSet2);
    return (result, ok);
}

Action<int, TimeSpan> Progress(string what, int total)
{
    var gate = new Lock();
    var last = (Done: 0, Seconds: 0.0);
    return (done, elapsed) =>
    {
        lock (gate)
        {
            var recent = (done - last.Done) / Math.Max(1e-9, elapsed.TotalSeconds - last.Seconds);
            Console.WriteLine(string.Create(inv, $"   {what,-5} {done,7}/{total}  {elapsed.TotalSeconds,6:0.0} s  {done / elapsed.TotalSeconds,6:0}/s overall, {recent,6:0}/s since the last line"));
            last = (done, elapsed.TotalSeconds);
        }
    };
}

string DescribeStore(IReadOnlyDictionary<string, KindStats> stats, int count, string what)
{
    double n = Math.Max(1, count);
    var parts = stats.OrderBy(k => k.Key, StringComparer.Ordinal)
        .Where(k => k.Value.CallsOf(Op.Append) > 0 || k.Value.CallsOf(Op.WriteSnapshot) > 0)
        .Select(k => string.Create(inv,
            $"{k.Key} {k.Value.CallsOf(Op.Append) / n:0.00} appends ({k.Value.MeanMs(Op.Append):0.0} ms), {k.Value.CallsOf(Op.WriteSnapshot)} snapshots ({k.Value.AmountOf(Op.WriteSnapshot) / 1048576.0:0.0} MiB)"));
    return string.Create(inv, $"store per {what}: {string.Join("; ", parts)}");
}

static (long Heap, long WorkingSet) MeasureMemory()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var heap = GC.GetTotalMemory(forceFullCollection: true);
    using var self = System.Diagnostics.Process.GetCurrentProcess();
    return (heap, self.WorkingSet64);
}

// Other work on this small machine skews every number; the load average tells the reader whether there was any.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static async Task<string> DescribePostgresAsync(string connectionString, CancellationToken cancellationToken)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync(cancellationToken);
    await using var command = new NpgsqlCommand("""
        SELECT 'PostgreSQL ' || current_setting('server_version')
            || ', synchronous_commit=' || current_setting('synchronous_commit')
            || ', fsync=' || current_setting('fsync')
            || ', wal_sync_method=' || current_setting('wal_sync_method')
            || ', commit_delay=' || current_setting('commit_delay')
            || ', max_connections=' || current_setting('max_connections')
        """, connection);
    return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
}

/// <summary>The command line: measured seconds per round, the memory part's counts, and which parts run.</summary>
internal sealed record Options(double Seconds, int Hosts, int Vms, string Part)
{
    public static bool TryParse(string[] args, out Options options)
    {
        options = new Options(10, 10_000, 100_000, "all");
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return false;
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s > 0:
                    options = options with { Seconds = s };
                    break;
                case "--hosts" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) && h > 0:
                    options = options with { Hosts = h };
                    break;
                case "--vms" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0:
                    options = options with { Vms = v };
                    break;
                case "--part" when value is "all" or "create_vm" or "memory":
                    options = options with { Part = value };
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}

/// <summary>Both sides of create_vm, each reported by its better round.</summary>
internal sealed record ThroughputResult(IReadOnlyList<RoundResult> Grains, IReadOnlyList<RoundResult> Baseline)
{
    // The better round: noise on a shared 2-core machine only ever slows a round down.
    public double Value => Grains.Max(r => r.PerSecond);

    public double BaselineValue => Baseline.Max(r => r.PerSecond);

    public double Ratio => Value / BaselineValue;
}

/// <summary>One phase of the memory part: what it created, how long it took, and what it added to heap and working set.</summary>
internal sealed record MemoryPhase(string Name, int Count, TimeSpan Elapsed, long HeapDelta, long WorkingSetDelta)
{
    public double BytesEach => HeapDelta / (double)Count;
}

internal sealed record MemoryResult(MemoryPhase Hosts, MemoryPhase Vms, int ActivationsAtEnd, long HeapAtEnd, long WorkingSetAtEnd);
