using Edge.Actors.Abstractions;
using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Edge.Actors.Grains.EventSourcing;
using Microsoft.Extensions.Logging;

namespace Edge.Actors.Grains.Common;

/// <summary>An event-sourced aggregate whose commands are pure decisions over its state.</summary>
public abstract class AggregateGrain<TState>(IEventStore store, EventTypeRegistry registry, ILogger logger)
    : EventSourcedGrain<TState, IDomainEvent>(store, registry, logger)
    where TState : AggregateState, new()
{
    /// <summary>
    /// Aggregates whose streams grow long (a site's ledger, a pool) keep snapshots; a host, VM or pod has a short
    /// history, and skipping the snapshot lets its activation read the store once instead of twice.
    /// </summary>
    protected virtual bool KeepsSnapshots => false;

    protected override (string Name, int SchemaVersion)? SnapshotContract => KeepsSnapshots ? ($"edge.{StreamKind}-state", 1) : null;

    protected sealed override void Apply(TState state, IDomainEvent domainEvent) => state.Apply(domainEvent);

    /// <summary>
    /// Decides on the current state and records the chosen events; throws the refusal as an <see cref="EdgeException"/>.
    /// The events are raised conditionally: if another activation moved the stream meanwhile (possible for a moment
    /// while membership changes), the state is re-read and the command decided again rather than appended blindly.
    /// Returns false when the decision recorded nothing (a repeated request, or nothing to change).
    /// </summary>
    internal async Task<bool> ExecuteAsync(Func<TState, Decision> decide)
    {
        while (true)
        {
            var decision = decide(StateToDecideOn());
            if (decision.Refusal is { } refusal)
            {
                throw refusal.ToException();
            }

            if (decision.Events.Count == 0)
            {
                return false;
            }

            if (await RaiseConditionalEvents(decision.Events))
            {
                await SnapshotIfDueAsync();
                return true;
            }
        }
    }

    // With nothing pending the tentative state is the confirmed one; asking Orleans for it would deep-copy the
    // confirmed state (it drops its tentative copy after every write), once per command of a VM or host.
    // Decisions are pure, so deciding on the confirmed object itself is safe.
    private TState StateToDecideOn() =>
        UnconfirmedEvents.TryGetNonEnumeratedCount(out var pending) && pending == 0 ? State : TentativeState;

    /// <summary>The grain key split into its site and the name within the site.</summary>
    protected (string Site, string Name) Key => ResourceNames.Split(this.GetPrimaryKeyString());
}
