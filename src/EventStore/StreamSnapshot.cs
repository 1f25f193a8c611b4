namespace Edge.Actors.EventStore;

/// <summary>A stream's folded state at <see cref="Version"/>, as JSON with its own stable type name and schema version.</summary>
public sealed record StreamSnapshot(string StreamId, long Version, string StateType, int SchemaVersion, string Payload);
