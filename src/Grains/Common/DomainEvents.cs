using System.Globalization;
using System.Reflection;
using Edge.Actors.Abstractions;
using Edge.Actors.EventStore.Serialization;

namespace Edge.Actors.Grains.Common;

/// <summary>
/// Registers every domain event under the stable name its Orleans alias gives: <c>edge.host-locked.v1</c> is stored
/// as type <c>edge.host-locked</c>, schema version 1. A changed shape is a new record with the next <c>.vN</c> alias and
/// an upcaster from the old version, so one name carries an event's whole history.
/// </summary>
public static class DomainEvents
{
    public static void Register(EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var type in typeof(IDomainEvent).Assembly.GetTypes().Where(t => typeof(IDomainEvent).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface))
        {
            var alias = type.GetCustomAttribute<AliasAttribute>()?.Alias
                ?? throw new InvalidOperationException($"event {type.Name} has no [Alias]");
            var dot = alias.LastIndexOf(".v", StringComparison.Ordinal);
            registry.Register(type, alias[..dot], int.Parse(alias[(dot + 2)..], CultureInfo.InvariantCulture));
        }
    }
}
