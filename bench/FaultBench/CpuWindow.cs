using System.Diagnostics;
using System.Globalization;
using Edge.Actors.TestSupport;

namespace Edge.Actors.FaultBench;

/// <summary>
/// CPU the silo and a simulator used over one window, with what the silo's failure detector said about the pulsing
/// site halfway through it and what the simulator counted before and after it.
/// </summary>
internal sealed record CpuWindow(string Site, int Hosts, TimeSpan Wall, double SiloCpuSeconds, double SimulatorCpuSeconds, int Watched, int Healthy, long Pulses, long Skipped)
{
    public double SiloCores => SiloCpuSeconds / Wall.TotalSeconds;

    public double SimulatorCores => SimulatorCpuSeconds / Wall.TotalSeconds;

    /// <summary>Every host the simulator runs is watched and healthy: otherwise the window measured hosts that were not pulsing.</summary>
    public bool AllHealthy => Watched == Hosts && Healthy == Hosts;

    /// <summary>
    /// Measures over <paramref name="window"/>; halfway through, GetPulseStatus of <paramref name="site"/> (one call,
    /// its cost inside the window alike for both sides). The simulator's <c>status</c> is asked just outside the window.
    /// </summary>
    public static async Task<CpuWindow> MeasureAsync(
        ChildProcess silo, ChildProcess simulator, GatewayClient gateway, string site, int hosts, TimeSpan window, CancellationToken cancellationToken)
    {
        var before = SimulatorStatus.Parse(await simulator.AskAsync("status", "status ", TimeSpan.FromSeconds(10)));
        using var half = new PeriodicTimer(window / 2);
        var silo0 = silo.CpuSeconds();
        var simulator0 = simulator.CpuSeconds();
        var started = Stopwatch.GetTimestamp();
        await half.WaitForNextTickAsync(cancellationToken);
        var status = await gateway.GetPulseStatusAsync(site, cancellationToken);
        await half.WaitForNextTickAsync(cancellationToken);
        var silo1 = silo.CpuSeconds();
        var simulator1 = simulator.CpuSeconds();
        var wall = Stopwatch.GetElapsedTime(started);
        var after = SimulatorStatus.Parse(await simulator.AskAsync("status", "status ", TimeSpan.FromSeconds(10)));
        return new CpuWindow(
            site, hosts, wall, silo1 - silo0, simulator1 - simulator0, status.Hosts.Count, status.Hosts.Count(h => h.Health == "HEALTHY"),
            after.Pulses - before.Pulses, after.Skipped - before.Skipped);
    }

    public string Describe(TimeSpan period) => string.Create(CultureInfo.InvariantCulture,
        $"{Site,-11} {Hosts,6} {Wall.TotalSeconds,8:0.00} {SiloCpuSeconds,9:0.00} {SiloCores,10:0.000} {SimulatorCores,15:0.000} {Watched,8} {Healthy,8} {Pulses,9} {Pulses / (Hosts * Wall / period),9:0.00} {Skipped,8}");

    public static string Header =>
        $"{"site",-11} {"hosts",6} {"wall s",8} {"silo cpu",9} {"silo cores",10} {"simulator cores",15} {"watched",8} {"healthy",8} {"pulses",9} {"of period",9} {"skipped",8}";
}

/// <summary>The simulator's <c>status hosts=N running=R stopped=S connected=C pulses=P skipped=K</c> line.</summary>
internal sealed record SimulatorStatus(long Pulses, long Skipped)
{
    public static SimulatorStatus Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return fields.TryGetValue("pulses", out var pulses) && fields.TryGetValue("skipped", out var skipped)
            ? new SimulatorStatus(pulses, skipped)
            : throw new InvalidOperationException($"unexpected simulator status line '{line}'");
    }
}
