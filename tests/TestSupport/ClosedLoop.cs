using System.Diagnostics;

namespace Edge.Actors.TestSupport;

/// <summary>What one closed-loop caller of a benchmark round saw: the latencies inside the window and every acknowledgement.</summary>
public sealed class LatencyLog
{
    public List<long> LatencyTicks { get; } = new(4096);

    public long Acknowledged { get; set; }
}

/// <summary>
/// A benchmark caller running flat out: one operation at a time until the window closes, counting the operations
/// that complete inside the window (after the warm-up), with their latency in <see cref="Stopwatch"/> ticks.
/// </summary>
public static class ClosedLoop
{
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static async Task RunAsync(Func<CancellationToken, ValueTask> operation, long windowStart, long windowEnd, LatencyLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(log);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            if (started >= windowEnd)
            {
                return;
            }

            await operation(cancellationToken);
            var ended = Stopwatch.GetTimestamp();
            log.Acknowledged++;
            if (ended >= windowStart && ended < windowEnd)
            {
                log.LatencyTicks.Add(ended - started);
            }
        }
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..1) of <paramref name="sortedTicks"/>, in milliseconds.</summary>
    public static double PercentileMs(long[] sortedTicks, double p)
    {
        ArgumentNullException.ThrowIfNull(sortedTicks);
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
