namespace Edge.Actors.EventStore;

/// <summary>An event to append: its unique id (kept across retries), stable type name, schema version and JSON payload.</summary>
public sealed record EventData(Guid EventId, string EventType, int SchemaVersion, string Payload);
