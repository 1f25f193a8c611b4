namespace Edge.Actors.EventStore;

/// <summary>Limits and batching of an event store.</summary>
public sealed class EventStoreOptions
{
    /// <summary>The largest payload of one event, in UTF-8 bytes; a larger one is refused before anything is stored.</summary>
    public int MaxEventBytes { get; set; } = 1024 * 1024;

    /// <summary>The longest stream id, in characters.</summary>
    public int MaxStreamIdLength { get; set; } = 256;

    /// <summary>The most events committed in one shared transaction (group commit).</summary>
    public int MaxBatchEvents { get; set; } = 1000;

    /// <summary>The most payload bytes committed in one shared transaction.</summary>
    public int MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How many times a commit that failed for a transient reason is tried again before the appends fail.</summary>
    public int MaxCommitRetries { get; set; } = 8;
}
