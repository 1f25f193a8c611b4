// Edge.Actors.EventStore owns the durable event log of every aggregate: appends with an expected
// version, per-stream reads, snapshots and the global feed in commit order, on PostgreSQL or SQLite.
namespace Edge.Actors.EventStore;

/// <summary>The append-only log that every aggregate of the control plane keeps its state in.</summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="streamId"/> if the stream holds exactly
    /// <paramref name="expectedVersion"/> events; all or nothing. A repeated append whose event ids are
    /// already stored at those versions reports <see cref="AppendOutcome.AlreadyAppended"/> and stores nothing.
    /// </summary>
    Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Reads the events of a stream whose version is greater than <paramref name="afterVersion"/>, in version order.</summary>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long afterVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of every stream whose global position is greater than
    /// <paramref name="afterPosition"/>, in commit order. A reader that continues from the last position it saw
    /// never misses an event that commits later.
    /// </summary>
    Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The position of the newest committed event in the global feed (0 when empty).</summary>
    Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the newest snapshot of a stream, if any.</summary>
    Task<StreamSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Stores a snapshot unless a newer one is already stored. Snapshots are derived data: losing one only costs replay time.</summary>
    Task WriteSnapshotAsync(StreamSnapshot snapshot, CancellationToken cancellationToken = default);
}
