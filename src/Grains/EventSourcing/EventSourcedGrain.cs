// Edge.Actors.Grains owns the grain implementations: each aggregate's events go through the project's event
// store by way of EventSourcedGrain, with pure Apply (fold) and decisions beside every state.
using System.Runtime.CompilerServices;
using System.Text.Json;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.EventSourcing.CustomStorage;

namespace Edge.Actors.Grains.EventSourcing;

/// <summary>
/// An Orleans journaled grain whose log lives in the project's <see cref="IEventStore"/>. Activation reads the
/// newest snapshot and the events after it; every batch Orleans confirms is one atomic append with the version
/// Orleans expects, so a second activation of the same grain (possible while membership changes) loses the race
/// instead of forking the stream.
/// </summary>
public abstract class EventSourcedGrain<TState, TEvent> : JournaledGrain<TState, TEvent>, ICustomStorageInterface<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    // The adaptor hands the same event objects back when it retries a batch after an exception, so the ids a
    // failed batch was sent with stay attached to its objects: the store then recognises one that was committed
    // but not acknowledged. Only such batches are remembered (created on the first): a table per activation and a
    // GC handle per event cost every create, and an answered append is never retried with the same objects.
    private ConditionalWeakTable<TEvent, StrongBox<Guid>>? _unsettledIds;
    private readonly IEventStore _store;
    private readonly EventTypeRegistry _registry;
    private readonly ILogger _logger;
    private long _snapshotVersion;
    private long _snapshotBytes;
    private bool _snapshotting;

    protected EventSourcedGrain(IEventStore store, EventTypeRegistry registry, ILogger logger)
    {
        _store = store;
        _registry = registry;
        _logger = logger;
    }

    /// <summary>The event stream this grain's log is kept in; by default its kind and key, e.g. <c>host/s-042/worker-3</c>.</summary>
    protected virtual string StreamId => $"{StreamKind}/{this.GetPrimaryKeyString()}";

    /// <summary>The kind of aggregate, the first segment of <see cref="StreamId"/>.</summary>
    protected abstract string StreamKind { get; }

    /// <summary>The stable name and schema version a snapshot of the state is stored under; null stores no snapshots.</summary>
    protected virtual (string Name, int SchemaVersion)? SnapshotContract => null;

    /// <summary>How many events may accumulate after the newest snapshot before another is taken.</summary>
    protected virtual int SnapshotEvery => 100;

    private const int SnapshotBytesPerEvent = 256;

    /// <summary>Folds one event into the state: deterministic, no I/O, never throws.</summary>
    protected abstract void Apply(TState state, TEvent domainEvent);

    // A switch in the derived Apply instead of Orleans' default dynamic dispatch: no binder, no silent misses.
    protected sealed override void TransitionState(TState state, TEvent @event) => Apply(state, @event);

    /// <summary>Waits until every raised event is durable, then takes a snapshot if one is due.</summary>
    protected async Task CommitAsync()
    {
        await ConfirmEvents();
        await SnapshotIfDueAsync();
    }

    /// <summary>
    /// Takes a snapshot of the confirmed state when at least <see cref="SnapshotEvery"/> events have passed since the
    /// last, and at least one per <see cref="SnapshotBytesPerEvent"/> bytes of that snapshot: a big state (a site's
    /// ledger of thousands of workloads) is not re-serialized every hundred events, so the snapshot bytes written
    /// per event stay about the size of an event, and replay after the snapshot reads about as much again.
    /// </summary>
    protected async Task SnapshotIfDueAsync()
    {
        var since = Version - _snapshotVersion;
        if (SnapshotContract is not { } contract || _snapshotting || since < SnapshotEvery || since < _snapshotBytes / SnapshotBytesPerEvent)
        {
            return;
        }

        // One snapshot at a time: in a reentrant grain every command finishing while one is written would
        // otherwise find a snapshot due and serialize the whole state again.
        _snapshotting = true;
        try
        {
            var version = Version;
            var payload = JsonSerializer.Serialize(State, EventTypeRegistry.JsonOptions);
            await _store.WriteSnapshotAsync(new StreamSnapshot(StreamId, version, contract.Name, contract.SchemaVersion, payload));
            _snapshotVersion = version;
            _snapshotBytes = payload.Length;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A snapshot is derived data; without it activation replays more events, nothing is lost.
            _logger.SnapshotFailed(ex, StreamId, Version);
        }
        finally
        {
            _snapshotting = false;
        }
    }

    async Task<KeyValuePair<int, TState>> ICustomStorageInterface<TState, TEvent>.ReadStateFromStorage()
    {
        // Always a fresh state object: the adaptor folds into it in place.
        var state = new TState();
        long version = 0;
        if (SnapshotContract is { } contract && await _store.ReadSnapshotAsync(StreamId) is { } snapshot)
        {
            if (snapshot.StateType == contract.Name && snapshot.SchemaVersion == contract.SchemaVersion)
            {
                try
                {
                    state = JsonSerializer.Deserialize<TState>(snapshot.Payload, EventTypeRegistry.JsonOptions) ?? new TState();
                    version = snapshot.Version;
                    _snapshotBytes = snapshot.Payload.Length;
                }
                catch (JsonException ex)
                {
                    _logger.SnapshotUnreadable(ex, StreamId, snapshot.Version);
                    state = new TState();
                }
            }
        }

        _snapshotVersion = version;
        await foreach (var recorded in _store.ReadStreamAsync(StreamId, version))
        {
            Apply(state, (TEvent)_registry.FromRecorded(recorded));
            version = recorded.Version;
        }

        return new KeyValuePair<int, TState>(checked((int)version), state);
    }

    async Task<bool> ICustomStorageInterface<TState, TEvent>.ApplyUpdatesToStorage(IReadOnlyList<TEvent> updates, int expectedVersion)
    {
        var events = new EventData[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var id = _unsettledIds is not null && _unsettledIds.TryGetValue(updates[i], out var unsettled) ? unsettled.Value : Guid.NewGuid();
            events[i] = _registry.ToEventData(updates[i], id);
        }

        // The adaptor treats an exception as "not stored", re-reads and re-submits at a new version; after a
        // commit whose acknowledgement was lost that would store the events twice. So an unknown outcome is
        // settled here, by retrying the same append (same ids, same expected version) until the store answers.
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var result = await _store.AppendAsync(StreamId, expectedVersion, events);
                return result.Succeeded;
            }
            catch (EventStoreUnavailableException ex)
            {
                _logger.AppendOutcomeUnknown(ex, StreamId, expectedVersion, delay);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
            catch (Exception)
            {
                // Any other failure goes back to the adaptor, which retries these same objects: keep their ids.
                _unsettledIds ??= [];
                for (var i = 0; i < updates.Count; i++)
                {
                    _unsettledIds.AddOrUpdate(updates[i], new StrongBox<Guid>(events[i].EventId));
                }

                throw;
            }
        }
    }
}
