using System.Diagnostics;
using Edge.Actors.TestSupport;

namespace Edge.Actors.InventoryBench;

/// <summary>One caller of a round: one command (or one append) per call, each awaited before the next.</summary>
internal interface IWorker
{
    ValueTask RunOnceAsync(CancellationToken cancellationToken);
}

/// <summary>One side of the create_vm comparison (the grains, or the raw event-store baseline).</summary>
internal interface IBenchSide
{
    string Name { get; }

    /// <summary>Prepares a round (fresh sites or fresh streams that no earlier round used) and opens its callers.</summary>
    Task<IReadOnlyList<IWorker>> OpenWorkersAsync(int round, int count, CancellationToken cancellationToken);

    /// <summary>Checks what the round stored against what was acknowledged; returns detail lines and whether the check held.</summary>
    Task<(IReadOnlyList<string> Lines, bool Ok)> FinishRoundAsync(int round, long acknowledged, CancellationToken cancellationToken);
}

/// <summary>What one round of one side measured.</summary>
internal sealed record RoundResult(string Side, int Round, double Seconds, long[] LatencyTicks, long Acknowledged, CpuUsage Cpu)
{
    /// <summary>Operations that completed inside the measured window.</summary>
    public long Operations => LatencyTicks.Length;

    public double PerSecond => Operations / Seconds;
}

/// <summary>Runs callers flat out: a warm-up, then a measured window that counts the operations completing inside it.</summary>
internal static class RoundRunner
{
    public static async Task<RoundResult> RunAsync(IBenchSide side, int round, int workers, TimeSpan warmUp, TimeSpan measured, CpuProbe cpu, CancellationToken cancellationToken)
    {
        var loops = await side.OpenWorkersAsync(round, workers, cancellationToken);

        // Collect now so that garbage of the previous round (and of this round's setup) is not paid for inside this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var start = Stopwatch.GetTimestamp();
        var windowStart = start + ClosedLoop.Ticks(warmUp);
        var windowEnd = windowStart + ClosedLoop.Ticks(measured);
        var logs = new LatencyLog[loops.Count];
        var tasks = new Task[loops.Count];
        var cpuAtWindowStart = Task.Run(async () =>
        {
            await Task.Delay(warmUp, cancellationToken);
            return cpu.Sample();
        }, cancellationToken);
        for (var i = 0; i < loops.Count; i++)
        {
            var log = logs[i] = new LatencyLog();
            tasks[i] = LoopAsync(loops[i], windowStart, windowEnd, log, cancellationToken);
        }

        // The window's CPU is sampled by a timer rather than when the last caller returns, so that a slow straggler does not stretch it.
        var cpuAtWindowEnd = Task.Run(async () =>
        {
            await Task.Delay(warmUp + measured, cancellationToken);
            return cpu.Sample();
        }, cancellationToken);
        await Task.WhenAll(tasks);
        var usage = CpuProbe.Between(await cpuAtWindowStart, await cpuAtWindowEnd);
        var latencies = logs.SelectMany(l => l.LatencyTicks).ToArray();
        return new RoundResult(side.Name, round, measured.TotalSeconds, latencies, logs.Sum(l => l.Acknowledged), usage);
    }

    private static async Task LoopAsync(IWorker worker, long windowStart, long windowEnd, LatencyLog log, CancellationToken cancellationToken)
    {
        // Off the caller's thread at once, so that 64 loops start together rather than one after another.
        await Task.Yield();
        await ClosedLoop.RunAsync(worker.RunOnceAsync, windowStart, windowEnd, log, cancellationToken);
    }
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

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Runs <c>count</c> operations with at most <c>concurrency</c> in flight, printing progress every <c>progressEvery</c>.</summary>
internal static class Bounded
{
    public static async Task<TimeSpan> RunAsync(int count, int concurrency, int progressEvery, Func<int, Task> operation, Action<int, TimeSpan> progress, CancellationToken cancellationToken)
    {
        var next = -1;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, count)).Select(async _ =>
        {
            await Task.Yield();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                await operation(i);
                var finished = Interlocked.Increment(ref done);
                if (finished % progressEvery == 0 || finished == count)
                {
                    progress(finished, Stopwatch.GetElapsedTime(started));
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return Stopwatch.GetElapsedTime(started);
    }
}
