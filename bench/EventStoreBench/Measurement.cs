using System.Diagnostics;
using Edge.Actors.TestSupport;

namespace Edge.Actors.EventStoreBench;

/// <summary>One writer of a round: appends one event per call, each call awaited before the next.</summary>
internal interface IAppender : IAsyncDisposable
{
    /// <summary>True when <see cref="AppendAsync"/> blocks its thread (Microsoft.Data.Sqlite is synchronous underneath).</summary>
    bool Blocks { get; }

    ValueTask AppendAsync(CancellationToken cancellationToken);
}

/// <summary>One side of a case (the event store, or the plain-driver baseline) on its own database.</summary>
internal interface IAppendSide : IAsyncDisposable
{
    /// <summary>Opens <paramref name="count"/> writers, each on a stream of its own that no earlier round used.</summary>
    Task<IReadOnlyList<IAppender>> OpenAppendersAsync(int round, int count, CancellationToken cancellationToken);

    /// <summary>How many events the side's database holds, to check against the acknowledged appends.</summary>
    Task<long> CountStoredAsync(CancellationToken cancellationToken);
}

/// <summary>What one round of one side measured.</summary>
internal sealed record RoundResult(string Side, int Round, double Seconds, long[] LatencyTicks, long Acknowledged)
{
    /// <summary>Appends that completed inside the measured window.</summary>
    public long Events => LatencyTicks.Length;

    public double EventsPerSecond => Events / Seconds;
}

/// <summary>Runs writers flat out: a warm-up, then a measured window that counts the appends completing inside it.</summary>
internal static class RoundRunner
{
    public static async Task<RoundResult> RunAsync(IAppendSide side, string sideName, int round, int writers, TimeSpan warmUp, TimeSpan measured, CancellationToken cancellationToken)
    {
        // Collect now so that garbage of the previous round is not paid for inside this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var appenders = await side.OpenAppendersAsync(round, writers, cancellationToken);
        try
        {
            var start = Stopwatch.GetTimestamp();
            var windowStart = start + ClosedLoop.Ticks(warmUp);
            var windowEnd = windowStart + ClosedLoop.Ticks(measured);
            var logs = new LatencyLog[appenders.Count];
            var loops = new Task[appenders.Count];
            for (var i = 0; i < appenders.Count; i++)
            {
                var appender = appenders[i];
                var log = logs[i] = new LatencyLog();
                // A blocking writer gets a thread of its own, so 64 of them do not starve the thread pool.
                loops[i] = appender.Blocks
                    ? Task.Factory.StartNew(
                        () => LoopAsync(appender, windowStart, windowEnd, log, cancellationToken).GetAwaiter().GetResult(),
                        cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                    : LoopAsync(appender, windowStart, windowEnd, log, cancellationToken);
            }

            await Task.WhenAll(loops);
            var latencies = logs.SelectMany(l => l.LatencyTicks).ToArray();
            return new RoundResult(sideName, round, measured.TotalSeconds, latencies, logs.Sum(l => l.Acknowledged));
        }
        finally
        {
            foreach (var appender in appenders)
            {
                await appender.DisposeAsync();
            }
        }
    }

    private static Task LoopAsync(IAppender appender, long windowStart, long windowEnd, LatencyLog log, CancellationToken cancellationToken) =>
        ClosedLoop.RunAsync(appender.AppendAsync, windowStart, windowEnd, log, cancellationToken);
}

/// <summary>Latency percentiles over many rounds' samples.</summary>
internal static class Latency
{
    public static double PercentileMs(long[] sortedTicks, double p) => ClosedLoop.PercentileMs(sortedTicks, p);

    public static long[] Merge(IEnumerable<RoundResult> rounds)
    {
        var all = rounds.SelectMany(r => r.LatencyTicks).ToArray();
        Array.Sort(all);
        return all;
    }
}
