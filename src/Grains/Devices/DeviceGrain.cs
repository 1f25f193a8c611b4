using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Devices;

/// <summary>
/// One EdgeX device. An event from it updates its last values in memory and records only what changes: online again,
/// a threshold crossed or cleared, each with its alarm. A grain timer watches for silence past the offline window,
/// measured on the domain clock so that tests can move time.
/// </summary>
public sealed partial class DeviceGrain(IEventStore store, EventTypeRegistry registry, [FromKeyedServices(EventSourcingExtensions.DomainClock)] TimeProvider time, ILogger<DeviceGrain> logger)
    : AggregateGrain<DeviceState>(store, registry, logger), IDeviceGrain
{
    /// <summary>How many event ids a device remembers: an MQTT QoS 1 redelivery comes within moments, not after a thousand events.</summary>
    private const int RememberedEventIds = 1024;

    private static readonly TimeSpan MinCheckEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxCheckEvery = TimeSpan.FromSeconds(5);

    private readonly ILogger _log = logger;
    private readonly RecentIds _recentEvents = new(RememberedEventIds);
    private readonly Dictionary<string, LastReading> _readings = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastSeen;
    private IGrainTimer? _timer;

    protected override string StreamKind => "device";

    private IAlarmGrain Alarms => GrainFactory.GetGrain<IAlarmGrain>(Key.Site);

    private ISiteDevicesGrain SiteDevices => GrainFactory.GetGrain<ISiteDevicesGrain>(Key.Site);

    public async Task<DeviceView> ProvisionAsync(ProvisionDevice command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (site, name) = Key;
        if (DeviceDecisions.Provision(State, site, name, command) is { Refusal: { } refusal })
        {
            throw refusal.ToException();
        }

        if (!State.HasSeen(command.RequestId))
        {
            // The site must exist, and the device is listed before it is recorded: a device the list does not know
            // must never be recorded as provisioned (listing twice is harmless).
            await GrainFactory.GetGrain<ISiteGrain>(site).GetAsync(cancellationToken);
            await SiteDevices.AddAsync(name, cancellationToken);
        }

        await RecordAsync(state => DeviceDecisions.Provision(state, site, name, command), cancellationToken);
        EnsureWatching();
        return View();
    }

    public async Task<DeviceView> UpdateRulesAsync(UpdateDeviceRules command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();
        var lastValues = _readings.Values.Where(r => r.Number is { } n && double.IsFinite(n)).ToDictionary(r => r.Resource, r => r.Number!.Value, StringComparer.Ordinal);
        await RecordAsync(state => DeviceDecisions.UpdateRules(state, command, lastValues, now), cancellationToken);
        return View();
    }

    public async Task<DeviceView> DeleteAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await RecordAsync(state => DeviceDecisions.Delete(state, requestId, now), cancellationToken);
        // Unlisted after the delete is recorded, and again on a retried delete: the list never drops a live device.
        await SiteDevices.RemoveAsync(Key.Name, cancellationToken);
        _readings.Clear();
        _recentEvents.Clear();
        _lastSeen = null;
        _timer?.Dispose();
        _timer = null;
        return View();
    }

    public Task<DeviceView> GetAsync(CancellationToken cancellationToken = default)
    {
        EnsureWatching();
        return State.IsLive ? Task.FromResult(View()) : throw new EdgeException(EdgeErrorCode.NotFound, $"device {this.GetPrimaryKeyString()} does not exist", "name");
    }

    public async Task<IngestOutcome> IngestAsync(DeviceEvent deviceEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deviceEvent);
        if (!State.IsLive)
        {
            return IngestOutcome.UnknownDevice;
        }

        if (_recentEvents.Contains(deviceEvent.EventId))
        {
            return IngestOutcome.Duplicate;
        }

        EnsureWatching();
        var now = time.GetUtcNow();
        var readings = deviceEvent.Readings ?? [];
        _lastSeen = now;
        foreach (var reading in readings)
        {
            _readings[reading.Resource] = ToLast(reading, now);
        }

        await RecordAsync(state => DeviceDecisions.Ingest(state, readings, now), cancellationToken);
        // Remembered once taken: an event whose changes could not be recorded is taken again when redelivered.
        _recentEvents.Add(deviceEvent.EventId);
        return IngestOutcome.Accepted;
    }

    /// <summary>
    /// Starts the silence timer on the first call of an activation. A device online before this activation gets a
    /// fresh window from now: its last-seen time was in the memory of the activation that is gone.
    /// </summary>
    private void EnsureWatching()
    {
        if (_timer is not null || !State.IsLive)
        {
            return;
        }

        if (State.Online && _lastSeen is null)
        {
            _lastSeen = time.GetUtcNow();
        }

        var every = TimeSpan.FromTicks(Math.Clamp(State.OfflineWindow.Ticks / 4, MinCheckEvery.Ticks, MaxCheckEvery.Ticks));
        // KeepAlive: an idle device must stay active for its silence to be noticed.
        _timer = this.RegisterGrainTimer(CheckSilenceAsync, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
    }

    private async Task CheckSilenceAsync(CancellationToken cancellationToken)
    {
        if (_lastSeen is not { } lastSeen || !State.Online)
        {
            return;
        }

        try
        {
            await RecordAsync(state => DeviceDecisions.CheckSilence(state, lastSeen, time.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(_log, ex, this.GetPrimaryKeyString());
        }
    }

    /// <summary>Records what <paramref name="decide"/> chose, then raises and clears the alarms its events call for.</summary>
    private async Task RecordAsync(Func<DeviceState, Decision> decide, CancellationToken cancellationToken)
    {
        IReadOnlyList<IDomainEvent> recorded = [];
        var changed = await ExecuteAsync(state =>
        {
            var decision = decide(state);
            recorded = decision.Events;
            return decision;
        });
        if (changed)
        {
            await AlarmAsync(recorded, cancellationToken);
        }
    }

    /// <summary>
    /// The alarms of recorded events, in their order (a clear before a raise on the same entity). Raising and clearing
    /// are idempotent; a failure is logged rather than failing the command, whose events are already recorded.
    /// </summary>
    private async Task AlarmAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        var (site, name) = Key;
        foreach (var e in events)
        {
            try
            {
                switch (e)
                {
                    case ThresholdCrossed c when State.Rules.FirstOrDefault(r => r.Resource == c.Resource && r.Direction == c.Direction) is { } rule:
                        LogCrossed(_log, site, name, c.Resource, c.Direction, c.Value);
                        await Alarms.RaiseAsync(DeviceAlarms.Crossed(site, name, rule, c.Value, _readings.GetValueOrDefault(c.Resource)?.Units), cancellationToken);
                        break;
                    case ThresholdCleared c:
                        await Alarms.ClearAsync(DeviceAlarms.ThresholdCrossed, DeviceAlarms.ResourceEntity(site, name, c.Resource), cancellationToken);
                        break;
                    case DeviceWentOffline off:
                        LogOffline(_log, site, name, off.LastSeen);
                        await Alarms.RaiseAsync(DeviceAlarms.Offline(site, name, off.LastSeen, State.OfflineWindowSeconds), cancellationToken);
                        break;
                    case DeviceWentOnline or DeviceDeleted:
                        await Alarms.ClearAsync(DeviceAlarms.DeviceOffline, DeviceAlarms.DeviceEntity(site, name), cancellationToken);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAlarmFailed(_log, ex, site, name, e.GetType().Name);
            }
        }
    }

    private static LastReading ToLast(DeviceReading reading, DateTimeOffset now)
    {
        var value = reading.Value
            ?? reading.ObjectJson
            ?? (reading.Binary is { } bytes ? $"({bytes.Length} bytes{(string.IsNullOrEmpty(reading.MediaType) ? string.Empty : $" of {reading.MediaType}")})" : string.Empty);
        var at = reading.OriginNs > 0 ? DateTimeOffset.UnixEpoch.AddTicks(reading.OriginNs / 100) : now;
        return new LastReading(reading.Resource, reading.ValueType, value, reading.Number, reading.Units ?? string.Empty, at);
    }

    private DeviceView View() => new(
        State.Site,
        State.Name,
        State.Service,
        State.Profile,
        [.. State.Rules],
        State.OfflineWindowSeconds,
        State.Online,
        _lastSeen,
        [.. _readings.Values.OrderBy(r => r.Resource, StringComparer.Ordinal)],
        [.. State.Crossings],
        State.Deleted,
        Version);

    [LoggerMessage(Level = LogLevel.Information, Message = "site {Site}: device {Device} {Resource} crossed its {Direction} rule at {Value}")]
    private static partial void LogCrossed(ILogger logger, string site, string device, string resource, ThresholdDirection direction, double value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "site {Site}: device {Device} went offline (last seen {LastSeen})")]
    private static partial void LogOffline(ILogger logger, string site, string device, DateTimeOffset lastSeen);

    [LoggerMessage(Level = LogLevel.Error, Message = "site {Site}: device {Device}: the alarm of {Event} failed")]
    private static partial void LogAlarmFailed(ILogger logger, Exception exception, string site, string device, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "device {Device}: checking its silence failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string device);
}
