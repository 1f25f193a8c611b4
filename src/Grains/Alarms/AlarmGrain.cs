using System.Runtime.CompilerServices;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.Common;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Alarms;

/// <summary>The fault management of one site: its active alarms, suppressions and event log (the alarm stream itself).</summary>
public sealed class AlarmGrain(IEventStore store, EventTypeRegistry registry, [FromKeyedServices(EventSourcingExtensions.DomainClock)] TimeProvider time, ILogger<AlarmGrain> logger)
    : AggregateGrain<AlarmState>(store, registry, logger), IAlarmGrain
{
    private readonly IEventStore _store = store;
    private readonly EventTypeRegistry _registry = registry;
    private bool _siteKnown;

    // The stream grows with every set, clear and log while the state holds only what is active.
    protected override bool KeepsSnapshots => true;

    protected override string StreamKind => "alarm";

    private string SiteId => this.GetPrimaryKeyString();

    public async Task<Alarm> RaiseAsync(RaiseAlarm command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (AlarmDecisions.CheckRaise(command) is { } refusal)
        {
            throw refusal.ToException();
        }

        await EnsureSiteAsync(cancellationToken);
        await ExecuteAsync(state => AlarmDecisions.Raise(state, command, time.GetUtcNow()));
        return AlarmDecisions.Find(State, SiteId, command.AlarmId, command.EntityInstanceId)!;
    }

    public Task<bool> ClearAsync(string alarmId, string entityInstanceId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => AlarmDecisions.Clear(state, alarmId, entityInstanceId, time.GetUtcNow()));

    public async Task LogAsync(CustomerLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (AlarmDecisions.CheckLog(log) is { } refusal)
        {
            throw refusal.ToException();
        }

        await EnsureSiteAsync(cancellationToken);
        await ExecuteAsync(_ => AlarmDecisions.Log(log, time.GetUtcNow()));
    }

    public Task<IReadOnlyList<Alarm>> ListAsync(AlarmFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return AlarmDecisions.CheckFilter(filter) is { } refusal
            ? throw refusal.ToException()
            : Task.FromResult(AlarmDecisions.List(State, SiteId, filter));
    }

    public Task<Alarm> GetAsync(string alarmId, string entityInstanceId, CancellationToken cancellationToken = default)
    {
        if ((AlarmRules.CheckId(alarmId) ?? AlarmRules.CheckEntity(entityInstanceId)) is { } refusal)
        {
            throw refusal.ToException();
        }

        return AlarmDecisions.Find(State, SiteId, alarmId, entityInstanceId) is { } alarm
            ? Task.FromResult(alarm)
            : throw new EdgeException(EdgeErrorCode.NotFound, $"alarm {alarmId} on {entityInstanceId} is not active in site {SiteId}", "alarm_id");
    }

    public async Task SuppressAsync(string alarmId, CancellationToken cancellationToken = default)
    {
        if (AlarmRules.CheckId(alarmId) is { } refusal)
        {
            throw refusal.ToException();
        }

        await EnsureSiteAsync(cancellationToken);
        await ExecuteAsync(state => AlarmDecisions.Suppress(state, alarmId));
    }

    public Task UnsuppressAsync(string alarmId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(state => AlarmDecisions.Unsuppress(state, alarmId));

    public Task<AlarmSummary> SummaryAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(AlarmDecisions.Summarize(State, SiteId));

    public Task<EventLogPage> ReadLogAsync(long fromVersion, int pageSize, CancellationToken cancellationToken = default) =>
        AlarmLog.CheckPage(fromVersion, pageSize) is { } refusal
            ? throw refusal.ToException()
            : AlarmLog.PageAsync(ReadStreamAsync(fromVersion, cancellationToken), pageSize, cancellationToken);

    /// <summary>The alarm stream from the event store, after <paramref name="fromVersion"/>: commands confirm before they return, so it holds every one that answered.</summary>
    private async IAsyncEnumerable<(long Version, IDomainEvent Event)> ReadStreamAsync(long fromVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var recorded in _store.ReadStreamAsync(StreamId, fromVersion, cancellationToken))
        {
            yield return (recorded.Version, (IDomainEvent)_registry.FromRecorded(recorded));
        }
    }

    /// <summary>
    /// Alarms, logs and suppressions are recorded only for a site that exists, so that a mistyped site id is refused
    /// instead of growing a log nobody lists. Asked once per activation: a site is never deleted.
    /// </summary>
    private async Task EnsureSiteAsync(CancellationToken cancellationToken)
    {
        if (!_siteKnown)
        {
            await GrainFactory.GetGrain<ISiteGrain>(SiteId).GetAsync(cancellationToken);
            _siteKnown = true;
        }
    }
}
