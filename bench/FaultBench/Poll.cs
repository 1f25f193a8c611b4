using System.Diagnostics;
using Edge.Actors.TestSupport;

namespace Edge.Actors.FaultBench;

/// <summary>
/// Asks the gateway again and again, a call every ~5 ms, until an answer shows what is awaited; the time an answer was
/// seen is wall-clock unix ms, the clock the simulator stamps its pulses with.
/// </summary>
internal static class Poll
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(5);

    public static long NowUnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>
    /// Calls <paramref name="probe"/> until it returns true and returns the unix-ms time that answer arrived; past
    /// <paramref name="timeout"/> fails naming <paramref name="what"/> and, from <paramref name="lastSeen"/>, what the last answer said.
    /// </summary>
    public static async Task<long> UntilAsync(Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, string what, Func<string> lastSeen, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every);
        var deadline = Stopwatch.GetTimestamp() + ClosedLoop.Ticks(timeout);
        while (true)
        {
            var done = await probe(cancellationToken);
            var seen = NowUnixMs();
            if (done)
            {
                return seen;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{what}: not seen within {timeout.TotalSeconds:0.#} s; last seen: {lastSeen()}");
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }
    }
}
