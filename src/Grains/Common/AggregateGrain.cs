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
    private (string Site, string Name)? _key;

    /// <summary>
    /// Aggregates whose streams grow long (a site's ledger, a pool) keep snapshots; a host, VM or pod has a short
    /// history, and skipping the snapshot lets its activation read the store once instead of twice.
    /// </summary>
    protected virtual bool KeepsSnapshots => false;

    protected override (string Name, int SchemaVersion)? SnapshotContract => KeepsSnapshots ? ($"edge.{StreamKind}-state", 1) : null;

    protected sealed override void Apply(TState state, IDomainEvent domainEvent) => state.Apply(domainEvent);

    /// <summary>
    /// Decides on the current state and records the chosen events; throws the refusal as an <see cref="EdgeException"/>.
    /// If another activation moved the stream meanwhile (possible for a moment while membership changes), the state
    /// is re-read and the command decided again rather than appended blindly.
    /// Returns false when the decision recorded nothing (a repeated request, or nothing to change).
    /// </summary>
    internal Task<bool> ExecuteAsync(Func<TState, Decision> decide) =>
        DecideAsync(state =>
        {
            var decision = decide(state);
            return decision.Refusal is { } refusal ? throw refusal.ToException() : decision.Events;
        });

    /// <summary>The grain key split into its site and the name within the site (split once per activation).</summary>
    protected (string Site, string Name) Key => _key ??= ResourceNames.Split(this.GetPrimaryKeyString());
}
