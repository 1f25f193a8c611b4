using System.Globalization;
using Edge.Actors.Agent.Proc;
using Edge.Actors.Gateway.Protos;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Agent.Simulation;

/// <summary>What to simulate: <see cref="Count"/> worker hosts named <c>Prefix-0001</c>.. of one size, pulsing every <see cref="Period"/>.</summary>
internal sealed record SimulatorSettings(string Site, int Count, string Prefix, HostCapacity Capacity, TimeSpan Period);

/// <summary>
/// A fleet of simulated worker hosts in one process, each registered (and unlocked) like a real agent and each with
/// its own StreamPulses call over a shared channel. One <see cref="PeriodicTimer"/> drives every host: on each tick a
/// write is started for each running host whose previous write has finished (a host still writing skips that tick,
/// as a slow host would), so one stuck stream never delays the others or makes the period drift.
/// <para>
/// Fault drills stop and start hosts. Stopping a host abandons its call without completing it (the client resets the
/// HTTP/2 stream), which the gateway sees as it would a host that died; starting it opens a fresh stream and writes a
/// pulse at once. Every acknowledgement carries wall-clock unix-ms times of pulses actually written, so a benchmark
/// can measure detection from the last one.
/// </para>
/// </summary>
internal sealed class FleetSimulator
{
    private readonly GatewayConnection _gateway;
    private readonly SimulatorSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SimulatedHost[] _hosts;
    private readonly Dictionary<string, SimulatedHost> _byName;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<string> _announce = _ => { };
    private int _notYetPulsed;
    private long _skipped;

    public FleetSimulator(GatewayConnection gateway, SimulatorSettings settings, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _gateway = gateway;
        _settings = settings;
        _logger = logger;
        _time = time;
        _hosts = [.. Enumerable.Range(1, settings.Count).Select(i => new SimulatedHost(HostNames.Simulated(settings.Prefix, i, settings.Count)))];
        _byName = _hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        _notYetPulsed = _hosts.Length;
    }

    public IReadOnlyList<string> Hosts => [.. _hosts.Select(h => h.Name)];

    /// <summary>Completes once every host is registered and has written its first pulse.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Registers every host, then pulses until cancelled, and then completes every open stream. <paramref name="announce"/>
    /// gets <c>ready N hosts</c> once all have pulsed. Throws <see cref="RpcException"/> when a registration fails for good.
    /// </summary>
    public async Task RunAsync(Action<string> announce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announce);
        _announce = announce;
        _logger.Simulating(_hosts.Length, _hosts[0].Name, _hosts[^1].Name, _settings.Site);
        await Parallel.ForEachAsync(_hosts, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (host, token) =>
        {
            var outcome = await HostRegistration.RetryTransientAsync(
                t => HostRegistration.EnsureAsync(_gateway, _settings.Site, host.Name, HostPersonality.Worker, _settings.Capacity, unlockIfCreated: true, t),
                _gateway, _logger, _time, token);
            _logger.Registered(_settings.Site, host.Name, HostRegistration.Describe(outcome));
        });

        using var timer = new PeriodicTimer(_settings.Period, _time);
        try
        {
            do
            {
                var skipped = 0;
                foreach (var host in _hosts)
                {
                    if (host.Pending.IsCompleted)
                    {
                        host.Pending = PulseAsync(host, cancellationToken);
                    }
                    else
                    {
                        skipped++;
                    }
                }

                if (skipped > 0)
                {
                    Interlocked.Add(ref _skipped, skipped);
                    _logger.PulsesSkipped(skipped);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: finish below.
        }

        await Task.WhenAll(_hosts.Select(h => h.Pending));
        await Task.WhenAll(_hosts.Select(CloseAsync));
    }

    /// <summary>Runs one drill command line and returns its acknowledgement line; waits until the fleet is <see cref="Ready"/>.</summary>
    public async Task<string> ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        if (DrillCommand.Parse(line, out var error) is not { } command)
        {
            return $"error {error}";
        }

        await Ready.WaitAsync(cancellationToken);
        if (command.Host is { } name && !_byName.ContainsKey(name))
        {
            return $"error unknown host '{name}'";
        }

        switch (command.Verb)
        {
            case DrillVerb.Stop:
                return $"stopped {command.Host} last-pulse={await StopAsync(command.Host!, cancellationToken)}";
            case DrillVerb.Start:
                return $"started {command.Host} first-pulse={await StartAsync(command.Host!, cancellationToken)}";
            case DrillVerb.StopAll:
                var last = await Task.WhenAll(_hosts.Select(h => StopAsync(h.Name, cancellationToken)));
                return $"stopped-all hosts={last.Length} last-pulse-min={last.Min()} last-pulse-max={last.Max()}";
            case DrillVerb.StartAll:
                var first = await Task.WhenAll(_hosts.Select(h => StartAsync(h.Name, cancellationToken)));
                return $"started-all hosts={first.Length} first-pulse-min={first.Min()} first-pulse-max={first.Max()}";
            default:
                return Status();
        }
    }

    /// <summary>
    /// Stops a host's pulses and abandons its stream (no completion: to the gateway it looks like a host that died).
    /// Returns the unix-ms wall-clock time of its last pulse actually written, 0 if none was.
    /// </summary>
    public async Task<long> StopAsync(string name, CancellationToken cancellationToken)
    {
        var host = _byName[name];
        host.Stopped = true;
        // A write in flight finishes first, so the time returned is that of the last pulse that went out. A write stuck
        // on a dead connection is aborted instead: abandoning the call fails it.
        if (!await host.Gate.WaitAsync(StuckWrite, cancellationToken))
        {
            host.Call?.Dispose();
            await host.Gate.WaitAsync(cancellationToken);
        }

        try
        {
            host.Call?.Dispose();
            host.Call = null;
            return host.LastPulseUnixMs;
        }
        finally
        {
            host.Gate.Release();
        }
    }

    /// <summary>
    /// Resumes a host's pulses on a fresh stream, writing the first at once. Returns the unix-ms time of the first pulse
    /// on its current stream, or 0 when that write failed (the next ticks retry it after a backoff).
    /// </summary>
    public async Task<long> StartAsync(string name, CancellationToken cancellationToken)
    {
        var host = _byName[name];
        await host.Gate.WaitAsync(cancellationToken);
        try
        {
            host.Stopped = false;
            if (host.Call is null)
            {
                Open(host);
                await WriteAsync(host, cancellationToken);
            }

            return host.Call is null ? 0 : host.FirstPulseOnStreamUnixMs;
        }
        finally
        {
            host.Gate.Release();
        }
    }

    /// <summary>
    /// <c>status hosts=N running=R stopped=S connected=C pulses=P skipped=K</c>: connected counts running hosts whose
    /// last write succeeded; skipped counts ticks a host missed because its previous write had not finished.
    /// </summary>
    public string Status()
    {
        var stopped = _hosts.Count(h => h.Stopped);
        var connected = _hosts.Count(h => !h.Stopped && h.Call is not null);
        var pulses = _hosts.Sum(h => (long)h.Written);
        return string.Create(CultureInfo.InvariantCulture, $"status hosts={_hosts.Length} running={_hosts.Length - stopped} stopped={stopped} connected={connected} pulses={pulses} skipped={Interlocked.Read(ref _skipped)}");
    }

    /// <summary>Pulses written for one host so far, over all its streams.</summary>
    public ulong PulsesOf(string name) => _byName[name].Written;

    private TimeSpan StuckWrite => _settings.Period > TimeSpan.FromSeconds(1) ? _settings.Period : TimeSpan.FromSeconds(1);

    private async Task PulseAsync(SimulatedHost host, CancellationToken cancellationToken)
    {
        // A drill command holds the gate only briefly; this tick's pulse for that host is left to it.
        if (!host.Gate.Wait(0, CancellationToken.None))
        {
            return;
        }

        try
        {
            if (host.Stopped || (host.Call is null && _time.GetUtcNow() < host.RetryAt))
            {
                return;
            }

            if (host.Call is null)
            {
                Open(host);
            }

            await WriteAsync(host, cancellationToken);
        }
        finally
        {
            host.Gate.Release();
        }
    }

    private void Open(SimulatedHost host)
    {
        host.Call = _gateway.Agents.StreamPulses(_gateway.Streaming());
        host.OnStream = 0;
    }

    /// <summary>Writes the host's next pulse; the caller holds its gate. On failure the call is dropped and a reconnect scheduled.</summary>
    private async Task WriteAsync(SimulatedHost host, CancellationToken cancellationToken)
    {
        var call = host.Call!;
        var pulse = new Pulse { SiteId = _settings.Site, Host = host.Name, Sequence = host.Sequence + 1 };
        if (host.OnStream % PulseStreamer.FiguresEvery == 0)
        {
            pulse.Figures = Figures();
        }

        try
        {
            await call.RequestStream.WriteAsync(pulse, cancellationToken);
        }
        catch (Exception ex) when (GatewayFailures.IsStreamBroken(ex) || ex is OperationCanceledException)
        {
            call.Dispose();
            host.Call = null;
            host.RetryAt = _time.GetUtcNow() + host.Backoff.Next();
            if (host.Up != false && !cancellationToken.IsCancellationRequested)
            {
                _logger.StreamDown(host.Name, GatewayFailures.Describe(ex));
            }

            host.Up = false;
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        host.Sequence++;
        host.Written++;
        host.LastPulseUnixMs = now;
        if (host.OnStream++ == 0)
        {
            host.FirstPulseOnStreamUnixMs = now;
        }

        if (host.Up != true)
        {
            _logger.StreamUp(host.Name);
            host.Up = true;
            host.Backoff.Reset();
        }

        if (host.Written == 1 && Interlocked.Decrement(ref _notYetPulsed) == 0)
        {
            _announce($"ready {_hosts.Length} hosts");
            _ready.TrySetResult();
        }
    }

    /// <summary>Shutting down: completes the host's stream, so the gateway sees hosts leaving rather than dying.</summary>
    private async Task CloseAsync(SimulatedHost host)
    {
        if (host.Call is not { } call)
        {
            return;
        }

        try
        {
            await call.RequestStream.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(2), _time);
            await call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(2), _time);
        }
        catch (Exception ex) when (GatewayFailures.IsStreamBroken(ex) || ex is TimeoutException or OperationCanceledException)
        {
            _logger.StreamCompletionFailed(host.Name, GatewayFailures.Describe(ex));
        }
        finally
        {
            call.Dispose();
            host.Call = null;
        }
    }

    /// <summary>Plausible figures of an idle-ish host of the configured size.</summary>
    private HostFigures Figures()
    {
        var capacity = _settings.Capacity;
        return new HostFigures
        {
            Cpus = capacity.Cpus,
#pragma warning disable CA5394 // Simulated load, not security.
            CpuBusyPercent = Math.Round(5 + (Random.Shared.NextDouble() * 10), 1),
#pragma warning restore CA5394
            MemoryTotalMib = capacity.MemoryMib,
            MemoryAvailableMib = capacity.MemoryMib * 3 / 4,
            DiskTotalGib = capacity.DiskGib,
            DiskFreeGib = capacity.DiskGib * 9 / 10,
        };
    }

    private sealed class SimulatedHost(string name)
    {
        private volatile bool _stopped;

        public string Name { get; } = name;

        /// <summary>Held while the host's stream is written, opened or abandoned.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public AsyncClientStreamingCall<Pulse, PulseStreamSummary>? Call { get; set; }

        public Task Pending { get; set; } = Task.CompletedTask;

        public bool Stopped { get => _stopped; set => _stopped = value; }

        public ulong Sequence { get; set; }

        public ulong Written { get; set; }

        public int OnStream { get; set; }

        public long LastPulseUnixMs { get; set; }

        public long FirstPulseOnStreamUnixMs { get; set; }

        public DateTimeOffset RetryAt { get; set; }

        public Backoff Backoff { get; } = new();

        public bool? Up { get; set; }
    }
}
