using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Edge.Actors.EventStore;

namespace Edge.Actors.InventoryBench;

/// <summary>
/// A pass-through <see cref="IEventStore"/> that counts and times what the grains ask of the real store, by
/// stream kind (the stream id up to its first slash: <c>site</c>, <c>host</c>, <c>instance</c>): appends and
/// their events, activation reads (snapshot, then stream), snapshot writes and their size. A few interlocked
/// additions per call; it changes nothing of what reaches the store.
/// </summary>
internal sealed class CountingEventStore(IEventStore inner) : IEventStore
{
    private readonly ConcurrentDictionary<string, KindCounters> _kinds = new(StringComparer.Ordinal);

    public IEventStore Inner => inner;

    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var counters = For(streamId);
        var started = Stopwatch.GetTimestamp();
        var result = await inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        counters.Add(Op.Append, Stopwatch.GetTimestamp() - started, events.Count);
        if (result.Outcome == AppendOutcome.Conflict)
        {
            counters.Add(Op.Conflict, 0, 1);
        }

        return result;
    }

    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var counters = For(streamId);
        var started = Stopwatch.GetTimestamp();
        long read = 0;
        await foreach (var recorded in inner.ReadStreamAsync(streamId, afterVersion, cancellationToken))
        {
            read++;
            yield return recorded;
        }

        counters.Add(Op.ReadStream, Stopwatch.GetTimestamp() - started, read);
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);

    public Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default) => inner.ReadHeadPositionAsync(cancellationToken);

    public async Task<StreamSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        var counters = For(streamId);
        var started = Stopwatch.GetTimestamp();
        var snapshot = await inner.ReadSnapshotAsync(streamId, cancellationToken);
        counters.Add(Op.ReadSnapshot, Stopwatch.GetTimestamp() - started, snapshot is null ? 0 : 1);
        return snapshot;
    }

    public async Task WriteSnapshotAsync(StreamSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var counters = For(snapshot.StreamId);
        var started = Stopwatch.GetTimestamp();
        await inner.WriteSnapshotAsync(snapshot, cancellationToken);
        counters.Add(Op.WriteSnapshot, Stopwatch.GetTimestamp() - started, snapshot.Payload.Length);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>The counters so far, by stream kind; subtract two of these to get a window's.</summary>
    public IReadOnlyDictionary<string, KindStats> Snapshot() =>
        _kinds.ToDictionary(k => k.Key, k => k.Value.Read(), StringComparer.Ordinal);

    private KindCounters For(string streamId)
    {
        var slash = streamId.IndexOf('/', StringComparison.Ordinal);
        var kind = slash < 0 ? streamId : streamId[..slash];
        return _kinds.GetOrAdd(kind, static _ => new KindCounters());
    }

    internal enum Op
    {
        Append,
        Conflict,
        ReadSnapshot,
        ReadStream,
        WriteSnapshot,
    }

    private sealed class KindCounters
    {
        private const int Ops = 5;
        private readonly long[] _calls = new long[Ops];
        private readonly long[] _ticks = new long[Ops];
        private readonly long[] _amount = new long[Ops];

        public void Add(Op op, long ticks, long amount)
        {
            Interlocked.Increment(ref _calls[(int)op]);
            Interlocked.Add(ref _ticks[(int)op], ticks);
            Interlocked.Add(ref _amount[(int)op], amount);
        }

        // 64-bit reads are atomic on the 64-bit runtimes this runs on; a read racing an Add is off by one call at most.
        public KindStats Read() => new([.. _calls], [.. _ticks], [.. _amount]);
    }
}

/// <summary>Counters of one stream kind: calls, summed Stopwatch ticks and an amount (events, snapshot bytes) per operation.</summary>
internal sealed record KindStats(long[] Calls, long[] Ticks, long[] Amount)
{
    public static readonly KindStats Zero = new(new long[5], new long[5], new long[5]);

    public long CallsOf(CountingEventStore.Op op) => Calls[(int)op];

    public long AmountOf(CountingEventStore.Op op) => Amount[(int)op];

    /// <summary>Mean duration of one call, in milliseconds (NaN when there were none).</summary>
    public double MeanMs(CountingEventStore.Op op) => Calls[(int)op] == 0 ? double.NaN : Latency.Ms(Ticks[(int)op]) / Calls[(int)op];

    public KindStats Minus(KindStats earlier) => new(
        [.. Calls.Zip(earlier.Calls, (a, b) => a - b)],
        [.. Ticks.Zip(earlier.Ticks, (a, b) => a - b)],
        [.. Amount.Zip(earlier.Amount, (a, b) => a - b)]);

    public static IReadOnlyDictionary<string, KindStats> Delta(IReadOnlyDictionary<string, KindStats> after, IReadOnlyDictionary<string, KindStats> before) =>
        after.ToDictionary(k => k.Key, k => k.Value.Minus(before.GetValueOrDefault(k.Key, Zero)), StringComparer.Ordinal);
}
