using Edge.Actors.EventStore;
using Edge.Actors.EventStore.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Edge.Actors.Grains.EventSourcing;

/// <summary>Wires the project's event store into a silo for its event-sourced grains.</summary>
public static class EventSourcingExtensions
{
    /// <summary>
    /// The DI key of the clock that stamps domain times (an alarm's raised-at). It is apart from the unkeyed
    /// <see cref="TimeProvider"/> that Orleans' own membership and timers run on, so a test can stop or set the
    /// domain's time without stopping the cluster's.
    /// </summary>
    public const string DomainClock = "edge.domain-clock";

    /// <summary>Registers an opened <paramref name="store"/> and the event types of every aggregate.</summary>
    public static ISiloBuilder AddEdgeEventSourcing(this ISiloBuilder builder, IEventStore store, Action<EventTypeRegistry>? registerEvents = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registry = new EventTypeRegistry();
        registerEvents?.Invoke(registry);
        builder.Services.TryAddSingleton(store);
        builder.Services.TryAddSingleton(registry);
        builder.Services.TryAddKeyedSingleton(DomainClock, TimeProvider.System);
        return builder;
    }
}
