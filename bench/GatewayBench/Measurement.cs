using System.Diagnostics;

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
        var windowStart = start + ToTicks(warmUp);
        var windowEnd = windowStart + ToTicks(measured);
        var logs = new List<long>[callers];
        var loops = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            var log = logs[i] = new List<long>(16384);
            var caller = i;
            loops[i] = Task.Run(() => LoopAsync(call, caller, windowStart, windowEnd, log, cancellationToken), cancellationToken);
        }

        await Task.WhenAll(loops);
        return new RoundResult(sideName, round, measured.TotalSeconds, logs.SelectMany(l => l).ToArray());
    }

    private static async Task LoopAsync(Func<int, CancellationToken, Task> call, int caller, long windowStart, long windowEnd, List<long> log, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            if (started >= windowEnd)
            {
                return;
            }

            await call(caller, cancellationToken);
            var ended = Stopwatch.GetTimestamp();
            if (ended >= windowStart && ended < windowEnd)
            {
                log.Add(ended - started);
            }
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>Latency percentiles over many rounds' samples.</summary>
internal static class Latency
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..1) of <paramref name="sortedTicks"/>, in milliseconds.</summary>
    public static double PercentileMs(long[] sortedTicks, double p)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public static long[] Merge(IEnumerable<RoundResult> rounds)
    {
        var all = rounds.SelectMany(r => r.LatencyTicks).ToArray();
        Array.Sort(all);
        return all;
    }
}
