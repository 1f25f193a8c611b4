using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Monitoring;

namespace Edge.Actors.Grains.Tests.Domain;

/// <summary>The failure detector's thresholds on a clock the test drives (milliseconds), at the default 100 ms period.</summary>
public sealed class PulseTrackerTests
{
    private static PulseTracker Tracking(params string[] hosts)
    {
        var tracker = new PulseTracker(PulseSettings.Default);
        foreach (var host in hosts)
        {
            tracker.Pulse(host, 0);
        }

        return tracker;
    }

    /// <summary>Checks every 25 ms (as the grain does) from <paramref name="from"/> to <paramref name="to"/>, noting when each transition came.</summary>
    private static List<(long At, HealthTransition Transition)> Run(PulseTracker tracker, long from, long to, Action<long>? pulses = null)
    {
        var seen = new List<(long, HealthTransition)>();
        for (var now = from; now <= to; now += 25)
        {
            pulses?.Invoke(now);
            seen.AddRange(tracker.Check(now).Select(t => (now, t)));
        }

        return seen;
    }

    [Fact]
    public void SilentHost_IsDegradedAtSixMissedPulses_AndFailedAtTen()
    {
        var tracker = Tracking("worker-1");

        var seen = Run(tracker, 25, 2_000);

        Assert.Equal(
            [(600L, (HealthTransition)new HealthTransition.Degraded("worker-1", 6)), (1_000L, new HealthTransition.Failed("worker-1", 10))],
            seen);
    }

    [Fact]
    public void HostPulsingEveryPeriod_NeverChanges_EvenWithPulsesArrivingLate()
    {
        var tracker = Tracking("worker-1", "worker-2");

        // Pulses every 100 ms, each reaching the detector up to 90 ms late.
        var seen = Run(tracker, 25, 10_000, now =>
        {
            if (now % 100 == 0)
            {
                tracker.Pulse("worker-1", now - 90);
                tracker.Pulse("worker-2", now);
            }
        });

        Assert.Empty(seen);
    }

    [Fact]
    public void PulsesReturning_RecoverADegradedOrFailedHost_Once()
    {
        var tracker = Tracking("worker-1", "worker-2");
        tracker.Pulse("worker-2", 700);
        Run(tracker, 25, 700);
        Assert.Equal(new HealthTransition.Recovered("worker-1"), tracker.Pulse("worker-1", 710));
        Assert.Null(tracker.Pulse("worker-1", 720));

        Run(tracker, 725, 1_800, now => tracker.Pulse("worker-1", now));
        Assert.Contains(tracker.Describe(1_800), h => h is { Host: "worker-2", Health: PulseHealth.Failed });
        Assert.Equal(new HealthTransition.Recovered("worker-2"), tracker.Pulse("worker-2", 1_810));
        Assert.All(tracker.Describe(1_810), h => Assert.Equal(PulseHealth.Healthy, h.Health));
    }

    [Fact]
    public void HostsFallingSilentTogether_EnterMultiNodeFailureAvoidance_DegradedButNotFailed()
    {
        var tracker = Tracking("worker-1", "worker-2", "worker-3");

        var seen = Run(tracker, 25, 5_000, now => tracker.Pulse("worker-3", now));

        Assert.Equal(
            [
                (600L, (HealthTransition)new HealthTransition.MultiNodeEntered(["worker-1", "worker-2"])),
                (600L, new HealthTransition.Degraded("worker-1", 6)),
                (600L, new HealthTransition.Degraded("worker-2", 6)),
            ],
            seen);
        Assert.True(tracker.InMultiNodeFailure);
    }

    [Fact]
    public void MultiNodeFailureAvoidance_EndsWhenPulsesReturn_AndTheHostStillSilentIsThenFailed()
    {
        var tracker = Tracking("worker-1", "worker-2", "worker-3");
        Run(tracker, 25, 3_000, now => tracker.Pulse("worker-3", now));

        Assert.Equal(new HealthTransition.Recovered("worker-1"), tracker.Pulse("worker-1", 3_010));
        var seen = Run(tracker, 3_025, 3_100, now => tracker.Pulse("worker-1", now));

        Assert.Equal([new HealthTransition.MultiNodeExited(TimedOut: false), new HealthTransition.Failed("worker-2", 30)], seen.Select(s => s.Transition));
        Assert.False(tracker.InMultiNodeFailure);
    }

    [Fact]
    public void MultiNodeFailureAvoidance_OutlastingItsTimeout_FailsTheSilentHosts()
    {
        var tracker = new PulseTracker(PulseSettings.Default with { MultiNodeTimeoutMs = 2_000 });
        foreach (var host in new[] { "worker-1", "worker-2", "worker-3" })
        {
            tracker.Pulse(host, 0);
        }

        var seen = Run(tracker, 25, 4_000, now => tracker.Pulse("worker-3", now));

        Assert.Equal(
            [
                (600L, (HealthTransition)new HealthTransition.MultiNodeEntered(["worker-1", "worker-2"])),
                (600L, new HealthTransition.Degraded("worker-1", 6)),
                (600L, new HealthTransition.Degraded("worker-2", 6)),
                (2_600L, new HealthTransition.MultiNodeExited(TimedOut: true)),
                (2_600L, new HealthTransition.Failed("worker-1", 26)),
                (2_600L, new HealthTransition.Failed("worker-2", 26)),
            ],
            seen);
    }

    [Fact]
    public void Thresholds_ComeFromTheSiteSettings()
    {
        var tracker = new PulseTracker(new PulseSettings(PeriodMs: 1_000, DegradeAfterMissed: 4, FailAfterMissed: 12));
        tracker.Pulse("worker-1", 0);

        var seen = Run(tracker, 25, 15_000);

        Assert.Equal([4_000L, 12_000L], seen.Select(s => s.At));
    }

    [Fact]
    public void Watch_GivesAHostThatHasNotPulsedAFreshPeriod_ThenFailsIt()
    {
        var tracker = new PulseTracker(PulseSettings.Default);
        tracker.Watch("worker-1", 5_000);

        var seen = Run(tracker, 5_025, 7_000);

        Assert.Equal([5_600L, 6_000L], seen.Select(s => s.At));
        Assert.IsType<HealthTransition.Failed>(seen[^1].Transition);
    }
}
