using System.Globalization;
using Edge.Actors.Agent.Proc;
using Edge.Actors.Agent.Simulation;
using Edge.Actors.Gateway.Protos;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Actors.Agent.Tests;

/// <summary>The fleet simulator against a stand-in gateway: through its command line and stdin, and in-process as a benchmark drives it.</summary>
public class SimulatorTests
{
    private const string Site = "s1";

    [Fact]
    public async Task Simulator_StopAndStart_SilenceAndResumeThatHostOnly()
    {
        var state = new FakeGatewayState();
        await using var gateway = await FakeGateway.StartAsync(state);
        var stdin = new LineFeed();
        await using var simulator = RunningAgent.Start(["--gateway", gateway.Address.ToString(), "--token", "t", "--site", Site, "--simulate", "3", "--period", "100"], stdin);

        await Wait.ForAsync(() => simulator.Output.Lines.Contains("ready 3 hosts"), "'ready 3 hosts' on stdout");
        Assert.Equal(["sim-0001", "sim-0002", "sim-0003"], state.Added.Select(a => a.Name).Order());
        Assert.All(state.Added, a => Assert.Equal((32, 131_072L, 1000L, HostPersonality.Worker), (a.Vcpus, a.MemoryMib, a.DiskGib, a.Personality)));
        Assert.Equal(3, state.Unlocked.Count);

        stdin.Send("stop sim-0002");
        var stopped = await Ack(simulator, "stopped sim-0002 last-pulse=");
        await Wait.ForAsync(() => state.Ends.Any(e => e.Host == "sim-0002" && !e.Completed), "sim-0002's stream abandoned, not completed");
        var silent = state.PulsesOf("sim-0002");
        Assert.InRange(stopped - silent[^1].AtUnixMs, -1_000, 1_000);
        var others = state.PulsesOf("sim-0001").Count;
        await Wait.ForAsync(() => state.PulsesOf("sim-0001").Count >= others + 5, "five more pulses of sim-0001 while sim-0002 is stopped");
        Assert.Equal(silent.Count, state.PulsesOf("sim-0002").Count);

        stdin.Send("start sim-0002");
        var started = await Ack(simulator, "started sim-0002 first-pulse=");
        Assert.True(started >= stopped, $"first pulse after the start ({started}) precedes the last before the stop ({stopped})");
        var resumed = await Wait.ForAsync(() => state.PulsesOf("sim-0002"), p => p.Count >= silent.Count + 3, "sim-0002 pulsing again");
        Assert.NotEqual(silent[^1].Stream, resumed[^1].Stream);
        Assert.Equal(resumed.Select(p => p.Sequence).Order(), resumed.Select(p => p.Sequence));
        Assert.True(resumed[silent.Count].Sequence > silent[^1].Sequence);

        stdin.Send("status");
        await Wait.ForAsync(() => simulator.Output.Lines.Any(l => l.StartsWith("status hosts=3 running=3 stopped=0 connected=3 pulses=", StringComparison.Ordinal)), "the status line");
        stdin.Send("stop-all");
        await Wait.ForAsync(() => simulator.Output.Lines.Any(l => l.StartsWith("stopped-all hosts=3 last-pulse-min=", StringComparison.Ordinal)), "the stop-all acknowledgement");
        stdin.Send("kill sim-0001");
        stdin.Send("stop sim-9999");
        await Wait.ForAsync(() => simulator.Output.Lines.Count(l => l.StartsWith("error ", StringComparison.Ordinal)) == 2, "two error lines");
        Assert.Contains("error unknown host 'sim-9999'", simulator.Output.Lines);
        Assert.Equal(AgentExitCodes.Ok, await simulator.StopAsync());
    }

    [Fact]
    public async Task Simulator_EveryHost_PulsesOncePerPeriod()
    {
        // 150 streams: more than one HTTP/2 connection carries (Kestrel allows 100 streams on each).
        var state = new FakeGatewayState();
        await using var gateway = await FakeGateway.StartAsync(state);
        using var connection = new GatewayConnection(gateway.Address, "t");
        var simulator = new FleetSimulator(connection, Settings(count: 150, periodMs: 250), NullLogger.Instance, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = simulator.RunAsync(_ => { }, stop.Token);

        await simulator.Ready.WaitAsync(Wait.Timeout);
        // Ready means written by the simulator; the gateway may be a moment behind in reading.
        var first = await Wait.ForAsync(() => state.PulsesOf("sim-0001"), p => p.Count >= 1, "sim-0001's first pulse at the gateway");
        var counts = await Wait.ForAsync(
            () => simulator.Hosts.Select(h => state.PulsesOf(h).Count).ToList(),
            c => c.Min() >= first.Count + 10,
            "ten more pulses of every simulated host");
        var last = state.PulsesOf("sim-0001");

        // One timer drives every host: none falls behind or runs ahead by more than a tick or two.
        Assert.InRange(counts.Max() - counts.Min(), 0, 2);
        Assert.Equal(150, state.Pulses.Select(p => p.Stream).Distinct().Count());
        var periods = last.Count - first.Count;
        Assert.InRange((last[^1].AtUnixMs - first[^1].AtUnixMs) / (double)periods, 175, 400);
        await stop.CancelAsync();
        await run.WaitAsync(Wait.Timeout);
        await Wait.ForAsync(() => state.Ends.Count(e => e.Completed) == 150, "every stream completed at shutdown");
    }

    [Fact]
    public async Task Simulator_GatewayDropsAStream_ThatHostReconnects()
    {
        var state = new FakeGatewayState { DropWhen = p => p.Host == "sim-0001" && p.Sequence == 3 };
        await using var gateway = await FakeGateway.StartAsync(state);
        using var connection = new GatewayConnection(gateway.Address, "t");
        var simulator = new FleetSimulator(connection, Settings(count: 2), NullLogger.Instance, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = simulator.RunAsync(_ => { }, stop.Token);

        var pulses = await Wait.ForAsync(() => state.PulsesOf("sim-0001"), p => p.Count >= 6, "sim-0001 pulsing after its stream was dropped");

        Assert.Equal(2, pulses.Select(p => p.Stream).Distinct().Count());
        Assert.Equal(pulses.Select(p => p.Sequence).Order(), pulses.Select(p => p.Sequence));
        await stop.CancelAsync();
        await run.WaitAsync(Wait.Timeout);
    }

    private static SimulatorSettings Settings(int count, int periodMs = 100) =>
        new(Site, count, "sim", new HostCapacity(32, 131_072, 1000), TimeSpan.FromMilliseconds(periodMs));

    private static async Task<long> Ack(RunningAgent simulator, string prefix)
    {
        var line = await Wait.ForAsync(() => simulator.Output.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)), l => l is not null, $"'{prefix}...' on stdout");
        var time = long.Parse(line![prefix.Length..], CultureInfo.InvariantCulture);
        Assert.True(time > 0, $"'{line}' has no pulse time");
        return time;
    }
}
