using System.Text.Json;
using System.Text.Json.Nodes;

namespace Edge.Actors.EventStore.Serialization;

/// <summary>
/// Maps event classes to the stable type names and schema versions they are stored under, and back. An event
/// stored in an older shape is brought up to the current one by the upcasters registered for its type before it
/// is deserialized, so old events keep loading after their record changes.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<Type, (string Name, int SchemaVersion)> _byType = [];
    private readonly Dictionary<string, (Type Type, int SchemaVersion)> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int FromVersion), Func<JsonObject, JsonObject>> _upcasters = [];

    /// <summary>The JSON options every stored event and snapshot is written and read with.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        // Enum values are stored by name so that reordering an enum never changes what a stored event means.
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Registers <typeparamref name="TEvent"/> under <paramref name="name"/> at its current <paramref name="schemaVersion"/>.</summary>
    public EventTypeRegistry Register<TEvent>(string name, int schemaVersion = 1) => Register(typeof(TEvent), name, schemaVersion);

    /// <summary>Registers <paramref name="type"/> under <paramref name="name"/> at its current <paramref name="schemaVersion"/>.</summary>
    public EventTypeRegistry Register(Type type, string name, int schemaVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(schemaVersion, 1);
        if (_byName.TryGetValue(name, out var existing) && existing.Type != type)
        {
            throw new InvalidOperationException($"event type name '{name}' is already registered for {existing.Type.Name}");
        }

        _byType[type] = (name, schemaVersion);
        _byName[name] = (type, schemaVersion);
        return this;
    }

    /// <summary>Registers the step that turns a stored <paramref name="name"/> payload of <paramref name="fromSchemaVersion"/> into the next version's shape.</summary>
    public EventTypeRegistry AddUpcaster(string name, int fromSchemaVersion, Func<JsonObject, JsonObject> upcast)
    {
        ArgumentNullException.ThrowIfNull(upcast);
        _upcasters[(name, fromSchemaVersion)] = upcast;
        return this;
    }

    /// <summary>The stable name and schema version <paramref name="type"/> is stored under.</summary>
    public (string Name, int SchemaVersion) Describe(Type type) =>
        _byType.TryGetValue(type, out var described)
            ? described
            : throw new InvalidOperationException($"event class {type.FullName} is not registered with a stable type name");

    /// <summary>Serializes an event for storage under its stable name.</summary>
    public EventData ToEventData(object @event, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        var (name, schemaVersion) = Describe(type);
        return new EventData(eventId, name, schemaVersion, JsonSerializer.Serialize(@event, type, JsonOptions));
    }

    /// <summary>Loads a stored event as its current class, upcasting older shapes first.</summary>
    /// <exception cref="UnknownEventTypeException">No class is registered under the stored type name.</exception>
    public object FromRecorded(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (!_byName.TryGetValue(recorded.EventType, out var target))
        {
            throw new UnknownEventTypeException(recorded.EventType, recorded.StreamId, recorded.Version);
        }

        if (recorded.SchemaVersion == target.SchemaVersion)
        {
            return JsonSerializer.Deserialize(recorded.Payload, target.Type, JsonOptions)
                ?? throw new JsonException($"event {recorded.EventType} at {recorded.StreamId}/{recorded.Version} is null");
        }

        if (recorded.SchemaVersion > target.SchemaVersion)
        {
            throw new NotSupportedException($"event {recorded.EventType} at {recorded.StreamId}/{recorded.Version} has schema version {recorded.SchemaVersion}, newer than this build's {target.SchemaVersion}");
        }

        var node = JsonNode.Parse(recorded.Payload)?.AsObject()
            ?? throw new JsonException($"event {recorded.EventType} at {recorded.StreamId}/{recorded.Version} is not a JSON object");
        for (var version = recorded.SchemaVersion; version < target.SchemaVersion; version++)
        {
            if (!_upcasters.TryGetValue((recorded.EventType, version), out var upcast))
            {
                throw new NotSupportedException($"event {recorded.EventType} has no upcaster from schema version {version}");
            }

            node = upcast(node);
        }

        return node.Deserialize(target.Type, JsonOptions)
            ?? throw new JsonException($"event {recorded.EventType} at {recorded.StreamId}/{recorded.Version} is null after upcasting");
    }
}
