using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Edge.Actors.Grains.Monitoring;

/// <summary>
/// A site's failure detector. Pulses only move times in memory; a timer checks them a few times per period and hands
/// each transition to the host's grain, which records it, raises or clears its alarms and evacuates it.
/// </summary>
// Reentrant so that pulses keep flowing while a transition is being acted on (an evacuation takes a while); the
// tracker is only touched between awaits, so turns never see it half-changed.
[Reentrant]
public sealed partial class HostMonitorGrain(IEventStore store, EventTypeRegistry registry, ILogger<HostMonitorGrain> logger)
    : AggregateGrain<MonitorState>(store, registry, logger), IHostMonitorGrain
{
    private const int ChecksPerPeriod = 4;
    private const int ActAttempts = 5;

    private PulseTracker _tracker = new(PulseSettings.Default);
    private IGrainTimer? _timer;

    protected override string StreamKind => "monitor";

    private string SiteId => this.GetPrimaryKeyString();

    private static long Now => Environment.TickCount64;

    /// <summary>Starts watching on the first call of an activation.</summary>
    private void EnsureStarted()
    {
        if (_timer is not null)
        {
            return;
        }

        _tracker = new PulseTracker(State.Settings);
        // Every watched host gets a fresh period: one that died with the previous silo is found silent from here.
        foreach (var host in State.Watched)
        {
            _tracker.Watch(host, Now);
        }

        StartTimer();
        _ = ResumeHostsAsync();
    }

    /// <summary>
    /// Asks every host of the site to finish what a dead silo may have left half-done (an evacuation); a host with
    /// nothing pending does nothing. Every host, not only the watched ones: a failure may have come from elsewhere.
    /// </summary>
    private async Task ResumeHostsAsync()
    {
        try
        {
            var inventory = await GrainFactory.GetGrain<ISiteGrain>(SiteId).GetInventoryAsync();
            await Task.WhenAll(inventory.Hosts.Select(h => ActAsync(h.Host, host => host.ResumeAsync())));
        }
        catch (EdgeException)
        {
            // A monitor of a site that does not exist (yet) has nothing to resume.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    public async Task PulsesAsync(PulseBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        EnsureStarted();
        var now = Now;
        List<string>? unwatched = null;
        for (var i = 0; i < batch.Hosts.Count; i++)
        {
            var host = batch.Hosts[i];
            if (!State.Watched.Contains(host))
            {
                (unwatched ??= []).Add(host);
            }

            if (_tracker.Pulse(host, now - batch.AgesMs[i]) is { } recovered)
            {
                Dispatch(recovered);
            }
        }

        if (unwatched is not null)
        {
            await ExecuteAsync(state => MonitorDecisions.Watch(state, unwatched));
        }
    }

    public Task<PulseSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return Task.FromResult(State.Settings);
    }

    public async Task<PulseSettings> ConfigureAsync(PulseSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EnsureStarted();
        await ExecuteAsync(state => MonitorDecisions.Configure(state, settings));
        _tracker.Reconfigure(State.Settings);
        _timer?.Dispose();
        StartTimer();
        return State.Settings;
    }

    public Task<MonitorView> GetAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        return Task.FromResult(new MonitorView(State.Settings, _tracker.Describe(Now), _tracker.InMultiNodeFailure));
    }

    private void StartTimer()
    {
        var every = TimeSpan.FromMilliseconds(Math.Max(5, State.Settings.PeriodMs / ChecksPerPeriod));
        _timer = this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(every, every) { Interleave = true, KeepAlive = true });
    }

    private Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var transition in _tracker.Check(Now))
        {
            Dispatch(transition);
        }

        return Task.CompletedTask;
    }

    private void Dispatch(HealthTransition transition)
    {
        switch (transition)
        {
            case HealthTransition.Degraded d:
                LogTransition(logger, SiteId, d.Host, "degraded", d.Missed);
                _ = ActAsync(d.Host, h => h.DegradeAsync($"{d.Missed} pulses missed"));
                break;
            case HealthTransition.Failed f:
                LogTransition(logger, SiteId, f.Host, "failed", f.Missed);
                _ = ActAsync(f.Host, h => h.FailAsync($"{f.Missed} pulses missed"));
                break;
            case HealthTransition.Recovered r:
                LogTransition(logger, SiteId, r.Host, "pulsing again", 0);
                _ = ActAsync(r.Host, h => h.RecoverAsync());
                break;
            case HealthTransition.MultiNodeEntered m:
                LogMultiNode(logger, SiteId, "entered", string.Join(", ", m.Hosts));
                _ = RecordMultiNodeAsync(MonitorDecisions.EnterMultiNode(State, m.Hosts), alarms => alarms.RaiseAsync(PlatformAlarms.MultiNode(SiteId, m.Hosts)));
                break;
            case HealthTransition.MultiNodeExited x:
                LogMultiNode(logger, SiteId, x.TimedOut ? "timed out" : "left: pulses returned", string.Empty);
                _ = RecordMultiNodeAsync(MonitorDecisions.ExitMultiNode(State, x.TimedOut), alarms => alarms.ClearAsync(PlatformAlarms.MultiNodeFailure, PlatformAlarms.SiteEntity(SiteId)));
                break;
        }
    }

    private async Task RecordMultiNodeAsync(Decision decision, Func<IAlarmGrain, Task> alarm)
    {
        try
        {
            await ExecuteAsync(_ => decision);
            await alarm(GrainFactory.GetGrain<IAlarmGrain>(SiteId));
        }
        catch (Exception ex)
        {
            LogActionFailed(logger, ex, SiteId, "site");
        }
    }

    /// <summary>Acts on one host, retrying a few times: a transition the host grain never hears of would leave it wrong until the next.</summary>
    private async Task ActAsync(string host, Func<IHostGrain, Task> action)
    {
        var grain = GrainFactory.GetGrain<IHostGrain>(ResourceNames.Key(SiteId, host));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(grain);
                return;
            }
            catch (Exception ex) when (attempt < ActAttempts && ex is not EdgeException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception ex)
            {
                LogActionFailed(logger, ex, SiteId, host);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "site {Site}: host {Host} {What} ({Missed} pulses missed)")]
    private static partial void LogTransition(ILogger logger, string site, string host, string what, int missed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "site {Site}: multi-node failure avoidance {What} {Hosts}")]
    private static partial void LogMultiNode(ILogger logger, string site, string what, string hosts);

    [LoggerMessage(Level = LogLevel.Error, Message = "site {Site}: acting on {Host}'s health failed")]
    private static partial void LogActionFailed(ILogger logger, Exception exception, string site, string host);
}
