namespace Edge.Actors.EventStore;

/// <summary>An event as stored: its stream and version within it, its global position and when it was recorded.</summary>
public sealed record RecordedEvent(
    string StreamId,
    long Version,
    long Position,
    Guid EventId,
    string EventType,
    int SchemaVersion,
    string Payload,
    DateTimeOffset RecordedAt);
