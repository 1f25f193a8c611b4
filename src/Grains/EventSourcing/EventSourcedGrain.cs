// Edge.Actors.Grains owns the grain implementations: each aggregate's events go through the project's event
// store by way of EventSourcedGrain, with pure Apply (fold) and decisions beside every state.
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.EventSourcing;

/// <summary>
/// An Orleans grain whose state is the fold of its stream in the project's <see cref="IEventStore"/>. Activation
/// reads the newest snapshot and the events after it. A decision's events are folded into <see cref="State"/> at
/// once and appended at the version the state was folded from, so a second activation of the same grain (possible
/// for a moment while membership changes) loses the race instead of forking the stream; the loser re-reads and
/// decides again.
/// </summary>
/// <remarks>
/// Orleans' JournaledGrain does this too, but it paid for what this project never uses on every activation and
/// write: a reflection lookup of its provider attribute and a log adaptor per activation, a worker turn and a deep
/// copy of the whole state after every confirmed batch (for a site: its ledger of thousands of workloads), and each
/// event folded twice, into the confirmed and the tentative state. Here each event is folded once, into the one
/// state. Decisions made while a batch is being written (a reentrant grain) join the next batch, which is written as
/// soon as the one in flight is stored, so concurrent commands share appends.
/// </remarks>
public abstract class EventSourcedGrain<TState, TEvent> : Grain
    where TState : class, new()
    where TEvent : class
{
    private const int SnapshotBytesPerEvent = 64;

    private readonly IEventStore _store;
    private readonly EventTypeRegistry _registry;
    private readonly ILogger _logger;
    private TState _state = new();
    private long _version;
    private long _snapshotVersion;
    private long _snapshotBytes;

    // Decided but not yet sent (the next batch), and the newest batch decided (sent or not): a command that decides
    // nothing waits for it, so that it answers from stored facts only.
    private PendingBatch? _open;
    private PendingBatch? _newest;
    private bool _writing;

    // While set, decisions wait: the state is being re-read, or a snapshot waits for the batch in flight to land.
    private TaskCompletionSource? _paused;
    private ExceptionDispatchInfo? _unreadable;

    protected EventSourcedGrain(IEventStore store, EventTypeRegistry registry, ILogger logger)
    {
        _store = store;
        _registry = registry;
        _logger = logger;
    }

    /// <summary>The state: every stored event folded, and in a reentrant grain the decisions being written too.</summary>
    protected TState State => _state;

    /// <summary>How many events of the stream are stored and folded into <see cref="State"/>.</summary>
    protected int Version => checked((int)_version);

    /// <summary>The event stream this grain's log is kept in; by default its kind and key, e.g. <c>host/s-042/worker-3</c>.</summary>
    protected virtual string StreamId => $"{StreamKind}/{this.GetPrimaryKeyString()}";

    /// <summary>The kind of aggregate, the first segment of <see cref="StreamId"/>.</summary>
    protected abstract string StreamKind { get; }

    /// <summary>The stable name and schema version a snapshot of the state is stored under; null stores no snapshots.</summary>
    protected virtual (string Name, int SchemaVersion)? SnapshotContract => null;

    /// <summary>How many events may accumulate after the newest snapshot before another is taken.</summary>
    protected virtual int SnapshotEvery => 100;

    /// <summary>Folds one event into the state: deterministic, no I/O, never throws.</summary>
    protected abstract void Apply(TState state, TEvent domainEvent);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            (_state, _version) = await ReadAsync();
        }
        catch (EventStoreUnavailableException ex)
        {
            // The store's exception does not travel through Orleans to a client in another process; this does, and
            // the gateway answers it as UNAVAILABLE. The next call activates afresh.
            throw Unreachable(ex);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    private static EdgeException Unreachable(EventStoreUnavailableException ex) =>
        new(EdgeErrorCode.Unavailable, $"the event store is unreachable ({ex.Message}); retry with the same request_id");

    /// <summary>
    /// Decides on the state and stores what was decided; returns false when the decision chose nothing. A decision
    /// that chooses nothing while earlier decisions are still being written waits until they are stored, and if the
    /// stream moved meanwhile (another activation wrote) the state is re-read and the command decided again, so the
    /// answer never rests on a write that did not land. <paramref name="decide"/> may throw to refuse.
    /// </summary>
    protected async Task<bool> DecideAsync(Func<TState, IReadOnlyList<TEvent>> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        while (true)
        {
            while (_paused is { } paused)
            {
                await paused.Task;
            }

            _unreadable?.Throw();
            var events = decide(_state);
            if (events.Count == 0)
            {
                if (_newest is { } newest && !newest.Settled.IsCompleted && !await newest.Settled)
                {
                    continue;
                }

                return false;
            }

            var batch = Raise(events);
            if (await batch.Settled)
            {
                return true;
            }

            batch.Failure?.Throw();
        }
    }

    private PendingBatch Raise(IReadOnlyList<TEvent> events)
    {
        foreach (var domainEvent in events)
        {
            Apply(_state, domainEvent);
        }

        var batch = _open ??= _newest = new PendingBatch();
        batch.Add(events);
        if (!_writing)
        {
            _ = WriteAsync();
        }

        return batch;
    }

    /// <summary>Writes the open batches one after another until none is left; never throws.</summary>
    private async Task WriteAsync()
    {
        _writing = true;
        try
        {
            while (_open is { } batch)
            {
                _open = null;
                Exception? failure = null;
                var stored = false;
                try
                {
                    stored = await AppendToStreamAsync(StreamId, batch.Events, _version);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                if (stored)
                {
                    _version += batch.Events.Count;
                    await SnapshotIfDueAsync();
                    Settle(batch, stored: true);
                    continue;
                }

                // The state holds this batch and any decided after it, none of which is stored: read it again, then
                // let every command of those batches decide anew. A refusal by the store is the answer only for a
                // batch of one decision; the decisions of a shared batch decide again, the first of them alone, so
                // one bad event fails only its own command.
                var later = _open;
                _open = null;
                await RereadAsync();
                Settle(batch, stored: false, batch.Decisions == 1 ? failure : null);
                if (later is not null)
                {
                    Settle(later, stored: false);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private void Settle(PendingBatch batch, bool stored, Exception? failure = null)
    {
        // An idle activation keeps no batch: a silo holds many thousands of them.
        if (_newest == batch)
        {
            _newest = null;
        }

        batch.Settle(stored, failure);
    }

    /// <summary>
    /// Takes a snapshot when at least <see cref="SnapshotEvery"/> events have passed since the last, and at least one
    /// per <see cref="SnapshotBytesPerEvent"/> bytes of that snapshot: a big state (a site's ledger of thousands of
    /// workloads) is not re-serialized every hundred events, so snapshots add about a quarter to the bytes an event
    /// writes (serializing a site's ledger took a twentieth of a silo's CPU in a storm of creates when they added as
    /// much again), and an activation replays a few times the snapshot's size in events at most. Only a state holding
    /// nothing unstored may be snapshotted, so while a batch is still open decisions pause until it is written.
    /// </summary>
    private async Task SnapshotIfDueAsync()
    {
        var since = _version - _snapshotVersion;
        if (SnapshotContract is not { } contract || since < SnapshotEvery || since < _snapshotBytes / SnapshotBytesPerEvent)
        {
            return;
        }

        if (_open is not null)
        {
            _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return;
        }

        try
        {
            var version = _version;
            var payload = JsonSerializer.Serialize(_state, EventTypeRegistry.JsonOptions);
            Resume();
            await _store.WriteSnapshotAsync(new StreamSnapshot(StreamId, version, contract.Name, contract.SchemaVersion, payload));
            _snapshotVersion = version;
            _snapshotBytes = payload.Length;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A snapshot is derived data; without it activation replays more events, nothing is lost.
            _logger.SnapshotFailed(ex, StreamId, _version);
        }
        finally
        {
            Resume();
        }
    }

    /// <summary>Rebuilds the state from the store after a write that did not land, pausing decisions meanwhile.</summary>
    private async Task RereadAsync()
    {
        _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            (_state, _version) = await ReadAsync();
        }
        catch (Exception ex)
        {
            // The stream cannot be read or folded now (the store is unreachable, or an event no type answers to):
            // refuse every command and let the next call find a fresh activation.
            _unreadable = ExceptionDispatchInfo.Capture(ex is EventStoreUnavailableException unavailable ? Unreachable(unavailable) : ex);
            DeactivateOnIdle();
        }
        finally
        {
            Resume();
        }
    }

    private void Resume()
    {
        var paused = _paused;
        _paused = null;
        paused?.TrySetResult();
    }

    private async Task<(TState State, long Version)> ReadAsync()
    {
        var state = new TState();
        long version = 0;
        if (SnapshotContract is { } contract && await _store.ReadSnapshotAsync(StreamId) is { } snapshot
            && snapshot.StateType == contract.Name && snapshot.SchemaVersion == contract.SchemaVersion)
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

        _snapshotVersion = version;
        await foreach (var recorded in _store.ReadStreamAsync(StreamId, version))
        {
            Apply(state, (TEvent)_registry.FromRecorded(recorded));
            version = recorded.Version;
        }

        return (state, version);
    }

    /// <summary>
    /// Appends events to another aggregate's stream at <paramref name="expectedVersion"/>: a grain that decides another's
    /// first events (the site's scheduler creating a VM) records them without waking that grain. False when the stream
    /// has moved past <paramref name="expectedVersion"/>; then that grain must decide.
    /// </summary>
    protected async Task<bool> AppendToStreamAsync(string streamId, IReadOnlyList<TEvent> updates, long expectedVersion)
    {
        var events = new EventData[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            events[i] = _registry.ToEventData(updates[i], Guid.NewGuid());
        }

        // An unknown outcome (the store did not answer) is settled here, by retrying the same append (same ids, same
        // expected version) until the store answers: it recognises the ids of a commit whose acknowledgement was lost,
        // where a fresh decision would store the events twice.
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var result = await _store.AppendAsync(streamId, expectedVersion, events);
                return result.Succeeded;
            }
            catch (EventStoreUnavailableException ex)
            {
                _logger.AppendOutcomeUnknown(ex, streamId, expectedVersion, delay);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
            catch (InvalidEventStoreInputException ex)
            {
                // The store's own type does not travel through Orleans; the refusal does, as bad input of the command.
                throw new EdgeException(EdgeErrorCode.InvalidArgument, $"the change cannot be recorded: {ex.Message}");
            }
        }
    }

    /// <summary>The events of one or more decisions, appended together, and how that ended.</summary>
    private sealed class PendingBatch
    {
        private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<TEvent> Events { get; } = [];

        /// <summary>True once stored; false when the write did not land (the state was re-read). Never faults.</summary>
        public Task<bool> Settled => _settled.Task;

        /// <summary>Why the write failed, when the store refused it rather than a newer stream version.</summary>
        public ExceptionDispatchInfo? Failure { get; private set; }

        /// <summary>How many decisions the batch holds.</summary>
        public int Decisions { get; private set; }

        public void Add(IReadOnlyList<TEvent> events)
        {
            Events.AddRange(events);
            Decisions++;
        }

        public void Settle(bool stored, Exception? failure = null)
        {
            Failure = failure is null ? null : ExceptionDispatchInfo.Capture(failure);
            _settled.TrySetResult(stored);
        }
    }
}
