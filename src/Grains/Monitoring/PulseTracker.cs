using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Monitoring;

/// <summary>A change in a watched host's health, or in the site's multi-node failure avoidance, that must be acted on.</summary>
internal abstract record HealthTransition
{
    public sealed record Degraded(string Host, int Missed) : HealthTransition;

    public sealed record Failed(string Host, int Missed) : HealthTransition;

    public sealed record Recovered(string Host) : HealthTransition;

    public sealed record MultiNodeEntered(IReadOnlyList<string> Hosts) : HealthTransition
    {
        public bool Equals(MultiNodeEntered? other) => other is not null && Hosts.SequenceEqual(other.Hosts);

        public override int GetHashCode() => Hosts.Count;
    }

    public sealed record MultiNodeExited(bool TimedOut) : HealthTransition;
}

/// <summary>
/// The failure detector's rules over pulse times, pure and clock-free (times are milliseconds on a monotonic clock
/// the caller supplies), so every threshold is testable without a silo or a timer. A host missing
/// <see cref="PulseSettings.DegradeAfterMissed"/> periods is degraded; missing <see cref="PulseSettings.FailAfterMissed"/>
/// it is failed; a pulse from a degraded or failed host recovers it. When at least
/// <see cref="PulseSettings.MultiNodeThreshold"/> hosts are silent past the degrade threshold at once, the site enters
/// multi-node failure avoidance: they stay degraded and none is failed, until their pulses bring the count below the
/// threshold or the condition outlasts <see cref="PulseSettings.MultiNodeTimeoutMs"/>.
/// </summary>
internal sealed class PulseTracker(PulseSettings settings)
{
    private readonly Dictionary<string, Watched> _hosts = new(StringComparer.Ordinal);
    private long? _multiNodeSince;

    public PulseSettings Settings { get; private set; } = settings;

    public bool InMultiNodeFailure => _multiNodeSince is not null;

    public bool IsWatching(string host) => _hosts.ContainsKey(host);

    public void Reconfigure(PulseSettings settings) => Settings = settings;

    /// <summary>Starts watching a host as if it had just pulsed (a monitor that re-activates gives every host a fresh period).</summary>
    public void Watch(string host, long now)
    {
        if (!_hosts.ContainsKey(host))
        {
            _hosts[host] = new Watched { LastPulse = now };
        }
    }

    /// <summary>Records a pulse received at <paramref name="at"/>; returns a recovery when the host was degraded or failed.</summary>
    public HealthTransition? Pulse(string host, long at)
    {
        if (!_hosts.TryGetValue(host, out var watched))
        {
            _hosts[host] = new Watched { LastPulse = at };
            return null;
        }

        watched.LastPulse = Math.Max(watched.LastPulse, at);
        if (watched.Health == PulseHealth.Healthy)
        {
            return null;
        }

        watched.Health = PulseHealth.Healthy;
        return new HealthTransition.Recovered(host);
    }

    /// <summary>The transitions due at <paramref name="now"/>, in the order they must be acted on.</summary>
    public IReadOnlyList<HealthTransition> Check(long now)
    {
        List<HealthTransition>? transitions = null;
        var period = Math.Max(1, Settings.PeriodMs);
        var silent = new List<(string Host, Watched Watched, int Missed)>();
        foreach (var (host, watched) in _hosts)
        {
            var missed = (int)Math.Min(int.MaxValue, (now - watched.LastPulse) / period);
            if (missed >= Settings.DegradeAfterMissed && watched.Health != PulseHealth.Failed)
            {
                silent.Add((host, watched, missed));
            }
        }

        // Multi-node failure avoidance: many hosts silent together is a network fault until shown otherwise.
        if (_multiNodeSince is null && silent.Count >= Math.Max(2, Settings.MultiNodeThreshold))
        {
            _multiNodeSince = now;
            (transitions ??= []).Add(new HealthTransition.MultiNodeEntered([.. silent.Select(s => s.Host).Order(StringComparer.Ordinal)]));
        }
        else if (_multiNodeSince is { } since)
        {
            var timedOut = now - since >= Settings.MultiNodeTimeoutMs;
            if (timedOut || silent.Count < Math.Max(2, Settings.MultiNodeThreshold))
            {
                _multiNodeSince = null;
                (transitions ??= []).Add(new HealthTransition.MultiNodeExited(timedOut));
            }
        }

        foreach (var (host, watched, missed) in silent.OrderBy(s => s.Host, StringComparer.Ordinal))
        {
            if (missed >= Settings.FailAfterMissed && _multiNodeSince is null)
            {
                watched.Health = PulseHealth.Failed;
                (transitions ??= []).Add(new HealthTransition.Failed(host, missed));
            }
            else if (watched.Health == PulseHealth.Healthy)
            {
                watched.Health = PulseHealth.Degraded;
                (transitions ??= []).Add(new HealthTransition.Degraded(host, missed));
            }
        }

        return transitions ?? (IReadOnlyList<HealthTransition>)[];
    }

    public IReadOnlyList<WatchedHost> Describe(long now) =>
        [.. _hosts.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new WatchedHost(h.Key, h.Value.Health, Math.Max(0, now - h.Value.LastPulse)))];

    private sealed class Watched
    {
        public long LastPulse { get; set; }

        public PulseHealth Health { get; set; }
    }
}
