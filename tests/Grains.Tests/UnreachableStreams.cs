using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Edge.Actors.EventStore;

namespace Edge.Actors.Grains.Tests;

/// <summary>
/// The cluster's real store, except that reads of the streams a test names fail as an unreachable store does, so a
/// test can see what a grain answers when its store cannot be read.
/// </summary>
public sealed class UnreachableStreams(IEventStore inner) : IEventStore
{
    private readonly ConcurrentDictionary<string, bool> _unreachable = new(StringComparer.Ordinal);

    public void Cut(string streamId) => _unreachable[streamId] = true;

    public void Restore(string streamId) => _unreachable.TryRemove(streamId, out _);

    public Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Check(streamId);
        await foreach (var recorded in inner.ReadStreamAsync(streamId, afterVersion, cancellationToken))
        {
            yield return recorded;
        }
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);

    public Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default) => inner.ReadHeadPositionAsync(cancellationToken);

    public Task<StreamSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        Check(streamId);
        return inner.ReadSnapshotAsync(streamId, cancellationToken);
    }

    public Task WriteSnapshotAsync(StreamSnapshot snapshot, CancellationToken cancellationToken = default) => inner.WriteSnapshotAsync(snapshot, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Check(string streamId)
    {
        if (_unreachable.ContainsKey(streamId))
        {
            throw new EventStoreUnavailableException($"reads of {streamId} are cut by the test", null);
        }
    }
}
