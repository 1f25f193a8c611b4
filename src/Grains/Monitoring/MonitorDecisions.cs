using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Monitoring;

/// <summary>The failure detector's durable choices, as pure functions.</summary>
internal static class MonitorDecisions
{
    public const int MinPeriodMs = 20;
    public const int MaxPeriodMs = 60_000;

    public static Decision Watch(MonitorState state, IEnumerable<string> hosts)
    {
        var fresh = hosts.Where(h => !state.Watched.Contains(h)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return fresh.Count == 0 ? Decision.Nothing : Decision.Accept([.. fresh.Select(h => new HostWatched(h))]);
    }

    public static Decision Configure(MonitorState state, PulseSettings settings)
    {
        if (settings.PeriodMs is < MinPeriodMs or > MaxPeriodMs)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, $"period must be {MinPeriodMs}-{MaxPeriodMs} ms", "period_ms");
        }

        if (settings.DegradeAfterMissed < 1)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "degrade threshold must be at least 1 missed pulse", "degrade_after_missed");
        }

        if (settings.FailAfterMissed <= settings.DegradeAfterMissed)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "failure threshold must be above the degrade threshold", "fail_after_missed");
        }

        if (settings.MultiNodeThreshold < 2)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "multi-node threshold must be at least 2 hosts", "multi_node_threshold");
        }

        if (settings.MultiNodeTimeoutMs < 0)
        {
            return Decision.Refuse(EdgeErrorCode.InvalidArgument, "multi-node timeout must not be negative", "multi_node_timeout_ms");
        }

        return state.Settings == settings ? Decision.Nothing : Decision.Accept(new PulseSettingsChanged(settings));
    }

    public static Decision EnterMultiNode(MonitorState state, IReadOnlyList<string> hosts) =>
        state.MultiNodeFailure ? Decision.Nothing : Decision.Accept(new MultiNodeFailureEntered(hosts));

    public static Decision ExitMultiNode(MonitorState state, bool timedOut) =>
        state.MultiNodeFailure ? Decision.Accept(new MultiNodeFailureExited(timedOut)) : Decision.Nothing;
}
