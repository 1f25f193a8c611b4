using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Edge.Actors.EventStore.Postgres;

/// <summary>
/// Coalesces concurrent stream reads into one query. Activations come in storms (a burst of creates, a failed host's
/// VMs rebuilt elsewhere), and each read alone is a round trip whose cost is mostly the trip: a send, a wake-up and a
/// statement on the server for a handful of rows. Reads that arrive while others are in flight wait for the next batch,
/// so a lone read goes out at once and a storm shares round trips, as group commit does for appends.
/// </summary>
internal sealed class StreamReadBatcher : IAsyncDisposable
{
    /// <summary>Events of one stream one batch returns at most; a longer stream is read page by page.</summary>
    public const int PageSize = 1000;

    private const int MaxReadsPerBatch = 128;

    // Batches in flight at once: enough that one long page does not hold every other activation behind it.
    private const int Readers = 3;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sql;
    private readonly Func<NpgsqlDataReader, int, RecordedEvent> _readEvent;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _loops;

    /// <summary>Starts the batch loops on <paramref name="dataSource"/>.</summary>
    /// <remarks>
    /// <paramref name="columns"/> are the event columns to select, qualified by <c>e.</c>; <paramref name="readEvent"/>
    /// reads them back from the given ordinal on.
    /// </remarks>
    public StreamReadBatcher(NpgsqlDataSource dataSource, string columns, Func<NpgsqlDataReader, int, RecordedEvent> readEvent)
    {
        _dataSource = dataSource;
        _readEvent = readEvent;
        _sql = $"""
            SELECT r.n, {columns}
            FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(stream_id, after_version, n)
            CROSS JOIN LATERAL (
                SELECT * FROM edge_events x
                WHERE x.stream_id = r.stream_id AND x.version > r.after_version
                ORDER BY x.version LIMIT {PageSize}) e
            ORDER BY r.n, e.version
            """;
        _loops = [.. Enumerable.Range(0, Readers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Up to <see cref="PageSize"/> events of the stream after <paramref name="afterVersion"/>, in version order.</summary>
    public async Task<List<RecordedEvent>> ReadPageAsync(string streamId, long afterVersion, CancellationToken cancellationToken)
    {
        var request = new Request(streamId, afterVersion);
        ObjectDisposedException.ThrowIf(!_requests.Writer.TryWrite(request), this);

        return await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Request>(MaxReadsPerBatch);
        while (await _requests.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxReadsPerBatch && _requests.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var pages = await ReadAsync(batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(pages[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task<List<RecordedEvent>[]> ReadAsync(List<Request> batch)
    {
        var streams = new string[batch.Count];
        var after = new long[batch.Count];
        var pages = new List<RecordedEvent>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            (streams[i], after[i]) = (batch[i].StreamId, batch[i].AfterVersion);
            pages[i] = [];
        }

        await using var command = _dataSource.CreateCommand(_sql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = streams });
        command.Parameters.Add(new NpgsqlParameter<long[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = after });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            pages[reader.GetInt64(0) - 1].Add(_readEvent(reader, 1));
        }

        return pages;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private sealed record Request(string StreamId, long AfterVersion)
    {
        public TaskCompletionSource<List<RecordedEvent>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
