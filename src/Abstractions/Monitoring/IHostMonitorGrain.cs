namespace Edge.Actors.Abstractions;

/// <summary>
/// A site's failure detector, keyed by site id. Pulses are kept in memory only; a host's transitions (degraded,
/// failed, back to available) go to its host grain, which records them. The hosts it watches and the site's pulse
/// settings are durable, so a monitor re-activated on another silo keeps watching hosts that are already silent.
/// </summary>
public interface IHostMonitorGrain : IGrainWithStringKey
{
    /// <summary>Pulses the gateways received; each carries how long ago it arrived, so silos' clocks need not agree.</summary>
    Task PulsesAsync(PulseBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The site's period and thresholds.</summary>
    Task<PulseSettings> GetSettingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes the site's period and thresholds.</summary>
    Task<PulseSettings> ConfigureAsync(PulseSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Starts watching (activation does) and resumes any host recovery a dead silo left unfinished.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>What the detector sees now: each watched host's health and the time since its last pulse.</summary>
    Task<MonitorView> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>A site's pulse settings: period, the missed pulses that degrade and fail a host, and multi-node failure avoidance.</summary>
[GenerateSerializer, Immutable, Alias("edge.pulse-settings")]
public sealed record PulseSettings(
    [property: Id(0)] int PeriodMs = 100,
    [property: Id(1)] int DegradeAfterMissed = 6,
    [property: Id(2)] int FailAfterMissed = 10,
    [property: Id(3)] int MultiNodeThreshold = 2,
    [property: Id(4)] int MultiNodeTimeoutMs = 30_000)
{
    public static readonly PulseSettings Default = new();
}

/// <summary>Pulses of one site: host names and, for each, milliseconds since a gateway received it.</summary>
[GenerateSerializer, Immutable, Alias("edge.pulse-batch")]
public sealed record PulseBatch(
    [property: Id(0)] IReadOnlyList<string> Hosts,
    [property: Id(1)] IReadOnlyList<int> AgesMs);

/// <summary>Health of a watched host as the detector sees it.</summary>
public enum PulseHealth
{
    Healthy,
    Degraded,
    Failed,
}

[GenerateSerializer, Immutable, Alias("edge.watched-host")]
public sealed record WatchedHost(
    [property: Id(0)] string Host,
    [property: Id(1)] PulseHealth Health,
    [property: Id(2)] long SilentForMs);

[GenerateSerializer, Immutable, Alias("edge.monitor-view")]
public sealed record MonitorView(
    [property: Id(0)] PulseSettings Settings,
    [property: Id(1)] IReadOnlyList<WatchedHost> Hosts,
    [property: Id(2)] bool MultiNodeFailure);
