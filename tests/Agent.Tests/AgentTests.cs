using Edge.Actors.Gateway.Protos;

namespace Edge.Actors.Agent.Tests;

/// <summary>The real host's agent, run in-process through its command line against a stand-in gateway.</summary>
public class AgentTests
{
    private const string Site = "s1";
    private const string Name = "h1";

    [Fact]
    public async Task Agent_NewHost_AddsItWithThisMachinesCpusMemoryAndDiskThenUnlocksIt()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayState());
        await using var agent = Start(gateway);

        await Wait.ForAsync(() => gateway.State.PulsesOf(Name).Count >= 1, "the first pulse of the new host");

        var added = Assert.Single(gateway.State.Added);
        Assert.Equal(Site, added.SiteId);
        Assert.Equal(Name, added.Name);
        Assert.Equal(HostPersonality.Worker, added.Personality);
        Assert.Equal(Environment.ProcessorCount, added.Vcpus);
        Assert.Equal(MemInfo.TotalMib(), added.MemoryMib);
        Assert.Equal(new DriveInfo("/").TotalSize >> 30, added.DiskGib);
        Assert.Equal($"edge-agent:add:{Site}/{Name}", added.RequestId);
        var unlocked = Assert.Single(gateway.State.Unlocked);
        Assert.Equal(Name, unlocked.Name);
        Assert.Equal(AdministrativeState.Unlocked, gateway.State.Hosts[Name].Administrative);
    }

    [Fact]
    public async Task Agent_ExistingHost_LeavesItAsItIsAndPulses()
    {
        var state = new FakeGatewayState();
        state.Hosts[Name] = new Host { SiteId = Site, Name = Name, Administrative = AdministrativeState.Locked };
        await using var gateway = await FakeGateway.StartAsync(state);
        await using var agent = Start(gateway);

        await Wait.ForAsync(() => state.PulsesOf(Name).Count >= 2, "pulses of the existing host");

        Assert.Empty(state.Added);
        Assert.Empty(state.Unlocked);
        Assert.Equal(AdministrativeState.Locked, state.Hosts[Name].Administrative);
    }

    [Fact]
    public async Task Agent_StayLocked_AddsTheHostButDoesNotUnlockIt()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayState());
        await using var agent = Start(gateway, "--stay-locked", "--personality", "storage");

        await Wait.ForAsync(() => gateway.State.PulsesOf(Name).Count >= 1, "the first pulse of the host left locked");

        Assert.Equal(HostPersonality.Storage, Assert.Single(gateway.State.Added).Personality);
        Assert.Empty(gateway.State.Unlocked);
    }

    [Fact]
    public async Task Agent_SitesPeriod_PulsesOncePerPeriodWithFiguresOnTheFirstAndEveryTenth()
    {
        // No --period: the agent asks the site's pulse settings (100 ms here).
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayState { PeriodMs = 100 });
        await using var agent = Start(gateway, withPeriod: false);

        var pulses = await Wait.ForAsync(() => gateway.State.PulsesOf(Name), p => p.Count >= 21, "21 pulses at a 100 ms period");

        // 20 periods of 100 ms between pulse 1 and pulse 21; generous bounds for a busy 2-core machine.
        Assert.InRange(pulses[20].AtUnixMs - pulses[0].AtUnixMs, 1_600, 3_000);
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (ulong)i), pulses.Take(21).Select(p => p.Sequence));
        Assert.Equal([1UL, 11UL, 21UL], pulses.Take(21).Where(p => p.Figures is not null).Select(p => p.Sequence));
        var figures = pulses[0].Figures!;
        Assert.Equal(Environment.ProcessorCount, figures.Cpus);
        Assert.Equal(MemInfo.TotalMib(), figures.MemoryTotalMib);
        Assert.InRange(figures.CpuBusyPercent, 0, 100);
    }

    [Fact]
    public async Task Agent_GatewayDropsTheStream_ReconnectsAndKeepsTheSequenceGoing()
    {
        var state = new FakeGatewayState { DropWhen = p => p.Sequence == 3 };
        await using var gateway = await FakeGateway.StartAsync(state);
        await using var agent = Start(gateway);

        var pulses = await Wait.ForAsync(() => state.PulsesOf(Name), p => p.Count >= 6, "pulses after the gateway dropped the stream at pulse 3");

        var streams = pulses.Select(p => p.Stream).Distinct().ToList();
        Assert.Equal(2, streams.Count);
        Assert.Equal([1UL, 2UL, 3UL], pulses.Where(p => p.Stream == streams[0]).Select(p => p.Sequence));
        Assert.Equal(pulses.Select(p => p.Sequence).Order(), pulses.Select(p => p.Sequence));
        var resumed = pulses.First(p => p.Stream == streams[1]);
        Assert.Equal(4UL, resumed.Sequence);
        Assert.NotNull(resumed.Figures);
        Assert.Contains(state.Ends, e => e.Stream == streams[0] && !e.Completed);
    }

    [Fact]
    public async Task Agent_Stopped_CompletesItsStreamAndExitsZero()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayState());
        var agent = Start(gateway);
        await Wait.ForAsync(() => gateway.State.PulsesOf(Name).Count >= 2, "pulses before the stop");

        var code = await agent.StopAsync();

        Assert.Equal(AgentExitCodes.Ok, code);
        await Wait.ForAsync(() => gateway.State.Ends.Any(e => e.Host == Name && e.Completed), "the stream completed by the stopping agent");
    }

    [Fact]
    public async Task Agent_TokenRefused_ExitsDeniedWithALineNamingTheToken()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayState { RequiredToken = "good" });
        var agent = Start(gateway);

        var code = await agent.Run.WaitAsync(Wait.Timeout);

        Assert.Equal(AgentExitCodes.Denied, code);
        var line = Assert.Single(agent.Error.Lines);
        Assert.StartsWith("edge-agent: UNAUTHENTICATED: ", line, StringComparison.Ordinal);
        Assert.Contains("refused the token", line, StringComparison.Ordinal);
        Assert.Contains("--token-file", line, StringComparison.Ordinal);
    }

    private static RunningAgent Start(FakeGateway gateway, params string[] extra) => Start(gateway, withPeriod: true, extra);

    private static RunningAgent Start(FakeGateway gateway, bool withPeriod, params string[] extra)
    {
        string[] args = ["--gateway", gateway.Address.ToString(), "--token", "t", "--site", Site, "--name", Name, .. withPeriod ? ["--period", "100"] : Array.Empty<string>(), .. extra];
        return RunningAgent.Start(args, TextReader.Null);
    }
}

/// <summary>edge-agent running in-process until stopped, as Ctrl+C would stop it.</summary>
internal sealed class RunningAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RunningAgent(string[] args, TextReader input)
    {
        Run = Task.Run(() => EdgeAgent.RunAsync(args, new EdgeAgent.Console(input, Output, Error), handleTermination: false, _stop.Token));
    }

    public LineLog Output { get; } = new();

    public LineLog Error { get; } = new();

    public Task<int> Run { get; }

    public static RunningAgent Start(string[] args, TextReader input) => new(args, input);

    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run.WaitAsync(Wait.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
