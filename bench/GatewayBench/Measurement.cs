using System.Diagnostics;
using Edge.Actors.TestSupport;

namespace Edge.Actors.GatewayBench;

/// <summary>What one round of one side measured.</summary>
internal sealed record RoundResult(string Side, int Round, double Seconds, long[] LatencyTicks)
{
    /// <summary>Calls that completed inside the measured window.</summary>
    public long Calls => LatencyTicks.Length;

    public double CallsPerSecond => Calls / Seconds;
}

/// <summary>Runs callers flat out, each awaiting its call before the next: an optional warm-up, then a measured window counting the calls completing inside it.</summary>
internal static class RoundRunner
{
    public static async Task<RoundResult> RunAsync(Func<int, CancellationToken, Task> call, string sideName, int round, int callers, TimeSpan warmUp, TimeSpan measured, CancellationToken cancellationToken)
    {
        // Collect now so that garbage of the previous round is not paid for inside this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var start = Stopwatch.GetTimestamp();
        var windowStart = start + ClosedLoop.Ticks(warmUp);
        var windowEnd = windowStart + ClosedLoop.Ticks(measured);
        var logs = new LatencyLog[callers];
        var loops = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            var log = logs[i] = new LatencyLog();
            var caller = i;
            loops[i] = Task.Run(() => LoopAsync(call, caller, windowStart, windowEnd, log, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(loops);
        return new RoundResult(sideName, round, measured.TotalSeconds, logs.SelectMany(l => l.LatencyTicks).ToArray());
    }

    private static Task LoopAsync(Func<int, CancellationToken, Task> call, int caller, long windowStart, long windowEnd, LatencyLog log, CancellationToken cancellationToken) =>
        ClosedLoop.RunAsync(async token => await call(caller, token), windowStart, windowEnd, log, cancellationToken);
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
