// Edge.Actors.EventStoreBench owns the event store's append benchmark: events/s and append latency of the PostgreSQL and SQLite stores against plain-driver single-row INSERT baselines.
using System.Globalization;
using System.Runtime.InteropServices;
using Edge.Actors.EventStore.Postgres;
using Edge.Actors.EventStore.Sqlite;
using Edge.Actors.EventStoreBench;
using Edge.Actors.TestSupport;
using Microsoft.Data.Sqlite;
using Npgsql;

// Each side of each case is measured in this many alternating rounds (baseline, store, store, baseline, ...),
// each after a warm-up, so that drift of this small machine falls on both sides alike.
const int Rounds = 2;
var warmUp = TimeSpan.FromSeconds(1);
var inv = CultureInfo.InvariantCulture;

if (!TryParseSeconds(args, out var seconds))
{
    Console.Error.WriteLine("usage: Edge.Actors.EventStoreBench [--seconds N]   (measured seconds per side and case, default 5)");
    return 2;
}

var perRound = TimeSpan.FromSeconds(seconds / Rounds);
return await Benchmark.RunAsync(RunAsync);

async Task<int> RunAsync(CancellationToken cancellationToken)
{
    Console.WriteLine(string.Create(inv, $"event store append benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}"));
    Console.WriteLine(string.Create(inv, $"each side of each case: {seconds:0.##} s measured in {Rounds} rounds of {perRound.TotalSeconds:0.##} s, each after {warmUp.TotalSeconds:0.##} s warm-up; order baseline, store, store, baseline"));
    Console.WriteLine($"load average at start: {LoadAverage()}");
    Console.WriteLine(string.Create(inv, $"payload: {Heartbeat.EventType}, {System.Text.Encoding.UTF8.GetByteCount(Heartbeat.Json)} bytes of JSON, one event per append"));

    await using var temp = TempFolder.Create("edge-bench-");
    await using var postgres = await PostgresServer.StartAsync(cancellationToken);
    var describedPostgres = false;
    var checksFailed = false;
    var cases = new List<CaseResult>();

    async Task<IAppendSide> OpenPostgresStoreAsync(string name, int writers)
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_store", cancellationToken);
        return new StoreSide(await PostgresEventStore.OpenAsync(connectionString, cancellationToken: cancellationToken));
    }

    async Task<IAppendSide> OpenPostgresBaselineAsync(string name, int writers)
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_base", cancellationToken);
        if (!describedPostgres)
        {
            describedPostgres = true;
            Console.WriteLine($"postgres: {await DescribePostgresAsync(connectionString, cancellationToken)}");
        }

        return await PostgresInsertSide.CreateAsync(connectionString, writers, cancellationToken);
    }

    async Task<IAppendSide> OpenSqliteStoreAsync(string name, int writers) =>
        new StoreSide(await SqliteEventStore.OpenAsync(temp.File($"{name}-store.db"), cancellationToken: cancellationToken));

    async Task<IAppendSide> OpenSqliteBaselineAsync(string name, int writers) =>
        await SqliteInsertSide.CreateAsync(temp.File($"{name}-baseline.db"), cancellationToken);

    async Task<CaseResult> RunCaseAsync(string name, int writers, Func<string, int, Task<IAppendSide>> openStore, Func<string, int, Task<IAppendSide>> openBaseline)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"== {name}: {writers} writer(s), each appending one event at a time to its own stream"));
        await using var baseline = await openBaseline(name, writers);
        await using var store = await openStore(name, writers);
        var storeRounds = new List<RoundResult>();
        var baselineRounds = new List<RoundResult>();
        for (var i = 0; i < Rounds; i++)
        {
            var order = i % 2 == 0 ? new[] { "baseline", "store" } : ["store", "baseline"];
            foreach (var sideName in order)
            {
                var (side, rounds) = sideName == "store" ? (store, storeRounds) : (baseline, baselineRounds);
                var result = await RoundRunner.RunAsync(side, sideName, rounds.Count + 1, writers, warmUp, perRound, cancellationToken);
                rounds.Add(result);
                var sorted = Latency.Merge([result]);
                Console.WriteLine(string.Create(inv,
                    $"   round {result.Round} {sideName,-8} {result.EventsPerSecond,8:0} events/s  p50 {Latency.PercentileMs(sorted, 0.50),7:0.00} ms  p99 {Latency.PercentileMs(sorted, 0.99),7:0.00} ms  ({result.Events} events in window)"));
            }
        }

        foreach (var (sideName, side, rounds) in new[] { ("store", store, storeRounds), ("baseline", baseline, baselineRounds) })
        {
            var acknowledged = rounds.Sum(r => r.Acknowledged);
            var stored = await side.CountStoredAsync(cancellationToken);
            var ok = stored == acknowledged;
            checksFailed |= !ok;
            Console.WriteLine(string.Create(inv, $"   check {sideName,-8} {acknowledged} appends acknowledged, {stored} events stored: {(ok ? "ok" : "MISMATCH")}"));
        }

        return new CaseResult(name, writers, storeRounds, baselineRounds);
    }

    cases.Add(await RunCaseAsync("postgres_single", 1, OpenPostgresStoreAsync, OpenPostgresBaselineAsync));
    cases.Add(await RunCaseAsync("postgres_concurrent64", 64, OpenPostgresStoreAsync, OpenPostgresBaselineAsync));
    Console.WriteLine();
    Console.WriteLine($"sqlite: {await DescribeSqliteAsync(temp.File("version.db"), cancellationToken)}");
    cases.Add(await RunCaseAsync("sqlite_single", 1, OpenSqliteStoreAsync, OpenSqliteBaselineAsync));
    cases.Add(await RunCaseAsync("sqlite_concurrent64", 64, OpenSqliteStoreAsync, OpenSqliteBaselineAsync));

    Console.WriteLine();
    Console.WriteLine("value = event store (AppendAsync), baseline = plain single-row INSERT autocommit; events/s is the better round, latencies over all rounds' appends");
    Console.WriteLine(string.Create(inv, $"{"case",-22} {"side",-8} {"writers",7} {"rounds events/s",17} {"events/s",9} {"p50 ms",8} {"p99 ms",8} {"ratio",6}"));
    Console.WriteLine(new string('-', 92));
    foreach (var c in cases)
    {
        foreach (var (sideName, rounds, mean) in new[] { ("store", c.Store, c.Value), ("baseline", c.Baseline, c.BaselineValue) })
        {
            var sorted = Latency.Merge(rounds);
            var perRoundText = string.Join(" / ", rounds.Select(r => r.EventsPerSecond.ToString("0", inv)));
            var ratio = sideName == "store" ? c.Ratio.ToString("0.00", inv) : string.Empty;
            Console.WriteLine(string.Create(inv,
                $"{c.Name,-22} {sideName,-8} {c.Writers,7} {perRoundText,17} {mean,9:0} {Latency.PercentileMs(sorted, 0.50),8:0.00} {Latency.PercentileMs(sorted, 0.99),8:0.00} {ratio,6}"));
        }
    }

    Console.WriteLine($"load average at end: {LoadAverage()}");
    Console.WriteLine();
    foreach (var c in cases)
    {
        Console.WriteLine(string.Create(inv, $"RESULT eventstore.{c.Name} value={Math.Round(c.Value):0} baseline={Math.Round(c.BaselineValue):0} ratio={c.Ratio:0.00}"));
    }

    return checksFailed ? 1 : 0;
}

static bool TryParseSeconds(string[] args, out double seconds)
{
    seconds = 5;
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] == "--seconds" && i + 1 < args.Length
            && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value > 0)
        {
            seconds = value;
            i++;
        }
        else
        {
            return false;
        }
    }

    return true;
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

static async Task<string> DescribeSqliteAsync(string path, CancellationToken cancellationToken)
{
    await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
    await connection.OpenAsync(cancellationToken);
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT 'SQLite ' || sqlite_version();";
    return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
}

/// <summary>Both sides of one case: the store's rounds (value) and the baseline's, each side reported by its better round.</summary>
internal sealed record CaseResult(string Name, int Writers, IReadOnlyList<RoundResult> Store, IReadOnlyList<RoundResult> Baseline)
{
    // The better round: noise on a shared 2-core machine only ever slows a round down.
    public double Value => Store.Max(r => r.EventsPerSecond);

    public double BaselineValue => Baseline.Max(r => r.EventsPerSecond);

    public double Ratio => Value / BaselineValue;
}
