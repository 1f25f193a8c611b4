using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Edge.Actors.EventStore.Postgres;

/// <summary>The event store on PostgreSQL: group-committed appends through <c>edge_append</c>, durable with <c>synchronous_commit</c> on.</summary>
public sealed class PostgresEventStore : IEventStore
{
    private const string EventColumns = "stream_id, version, position, event_id, event_type, schema_version, payload::text, recorded_at";
    private const string QualifiedEventColumns = "e.stream_id, e.version, e.position, e.event_id, e.event_type, e.schema_version, e.payload::text, e.recorded_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly EventStoreOptions _options;
    private readonly BatchWriter _writer;
    private readonly GroupCommitter _committer;
    private readonly StreamReadBatcher _reads;

    private PostgresEventStore(NpgsqlDataSource dataSource, bool ownsDataSource, EventStoreOptions options, ILogger logger)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _options = options;
        _writer = new BatchWriter(dataSource);
        _committer = new GroupCommitter(_writer, options, logger);
        _reads = new StreamReadBatcher(dataSource, QualifiedEventColumns, ReadEvent);
    }

    /// <summary>Opens the store on <paramref name="connectionString"/>, creating or migrating its schema first.</summary>
    public static Task<PostgresEventStore> OpenAsync(string connectionString, EventStoreOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        NpgsqlDataSource dataSource;
        try
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            // Every activation reads its stream with the same few statements: prepared once per connection they skip
            // PostgreSQL's parse and plan (measured at three times the execution of a stream read). A pooled connection
            // carries no session state this store relies on, so handing it back needs no DISCARD ALL either.
            if (!HasSetting(connectionString, "Max Auto Prepare"))
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
                builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }

            if (!HasSetting(connectionString, "No Reset On Close"))
            {
                builder.ConnectionStringBuilder.NoResetOnClose = true;
            }

            if (loggerFactory is not null)
            {
                builder.UseLoggerFactory(loggerFactory);
            }

            dataSource = builder.Build();
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreStartupException($"the PostgreSQL connection string is not valid: {ex.Message}", ex);
        }

        return OpenAsync(dataSource, ownsDataSource: true, options, loggerFactory, cancellationToken);
    }

    /// <summary>Whether the user's connection string sets <paramref name="keyword"/> (spelt with or without spaces).</summary>
    private static bool HasSetting(string connectionString, string keyword)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey(keyword) || given.ContainsKey(keyword.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    /// <summary>Opens the store on a data source the caller owns, creating or migrating its schema first.</summary>
    public static Task<PostgresEventStore> OpenAsync(NpgsqlDataSource dataSource, EventStoreOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        OpenAsync(dataSource, ownsDataSource: false, options, loggerFactory, cancellationToken);

    private static async Task<PostgresEventStore> OpenAsync(NpgsqlDataSource dataSource, bool ownsDataSource, EventStoreOptions? options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresEventStore>();
        try
        {
            await MigrateAsync(dataSource, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            if (ownsDataSource)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            var where = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new EventStoreStartupException($"the PostgreSQL event store at host '{where.Host}', port {where.Port}, database '{where.Database}' could not be opened: {ex.Message}", ex);
        }

        return new PostgresEventStore(dataSource, ownsDataSource, options ?? new EventStoreOptions(), logger);
    }

    private static async Task MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresSchema.MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS edge_schema_migrations (id int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT id FROM edge_schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            foreach (var (id, sql) in PostgresSchema.Migrations.Where(m => !applied.Contains(m.Id)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await using (var mark = new NpgsqlCommand("INSERT INTO edge_schema_migrations (id) VALUES ($1)", connection))
                {
                    mark.Parameters.AddWithValue(id);
                    await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                logger.MigrationApplied((int)id);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgresSchema.MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var bytes = AppendValidation.Validate(streamId, expectedVersion, events, _options);
        return _committer.SubmitAsync(new PendingAppend(streamId, expectedVersion, events, bytes), cancellationToken);
    }

    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId, _options);
        while (true)
        {
            var page = await _reads.ReadPageAsync(streamId, afterVersion, cancellationToken).ConfigureAwait(false);
            foreach (var recorded in page)
            {
                yield return recorded;
            }

            if (page.Count < StreamReadBatcher.PageSize)
            {
                yield break;
            }

            afterVersion = page[^1].Version;
        }
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var command = _dataSource.CreateCommand($"SELECT {EventColumns} FROM edge_events WHERE position > $1 ORDER BY position LIMIT $2");
        command.Parameters.AddWithValue(afterPosition);
        command.Parameters.AddWithValue(maxCount);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<RecordedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    public async Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT coalesce(max(position), 0) FROM edge_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<StreamSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId, _options);
        await using var command = _dataSource.CreateCommand("SELECT version, state_type, schema_version, payload FROM edge_snapshots WHERE stream_id = $1");
        command.Parameters.AddWithValue(streamId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StreamSnapshot(streamId, reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3))
            : null;
    }

    public async Task WriteSnapshotAsync(StreamSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateSnapshot(snapshot, _options);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO edge_snapshots (stream_id, version, state_type, schema_version, payload) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, state_type = excluded.state_type,
                schema_version = excluded.schema_version, payload = excluded.payload, taken_at = now()
            WHERE edge_snapshots.version < excluded.version
            """);
        command.Parameters.AddWithValue(snapshot.StreamId);
        command.Parameters.AddWithValue(snapshot.Version);
        command.Parameters.AddWithValue(snapshot.StateType);
        command.Parameters.AddWithValue(snapshot.SchemaVersion);
        command.Parameters.AddWithValue(snapshot.Payload);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static RecordedEvent ReadEvent(NpgsqlDataReader reader) => ReadEvent(reader, 0);

    private static RecordedEvent ReadEvent(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetInt64(first + 1),
        reader.GetInt64(first + 2),
        reader.GetGuid(first + 3),
        reader.GetString(first + 4),
        reader.GetInt32(first + 5),
        reader.GetString(first + 6),
        reader.GetFieldValue<DateTimeOffset>(first + 7));

    public async ValueTask DisposeAsync()
    {
        await _reads.DisposeAsync().ConfigureAwait(false);
        await _committer.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits groups on one long-lived connection with <c>edge_append</c> prepared on it: a pooled connection per
    /// group would be reset (DISCARD ALL) each time and lose the prepared statement and the function's cached plans.
    /// Only the committer loop uses it, so it needs no locking; it is replaced after any failure.
    /// </summary>
    private sealed class BatchWriter(NpgsqlDataSource dataSource) : IBatchWriter, IAsyncDisposable
    {
        private NpgsqlConnection? _connection;
        private NpgsqlCommand? _append;

        public async Task<IReadOnlyList<BatchItemOutcome>> CommitAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken)
        {
            var eventCount = batch.Sum(a => a.Events.Count);
            var streams = new string[batch.Count];
            var expected = new long[batch.Count];
            var counts = new int[batch.Count];
            var ids = new Guid[eventCount];
            var types = new string[eventCount];
            var schemas = new int[eventCount];
            var payloads = new string[eventCount];
            var k = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                streams[i] = batch[i].StreamId;
                expected[i] = batch[i].ExpectedVersion;
                counts[i] = batch[i].Events.Count;
                foreach (var e in batch[i].Events)
                {
                    ids[k] = e.EventId;
                    types[k] = e.EventType;
                    schemas[k] = e.SchemaVersion;
                    payloads[k] = e.Payload;
                    k++;
                }
            }

            try
            {
                var command = await PreparedAppendAsync(cancellationToken).ConfigureAwait(false);
                command.Parameters[0].Value = streams;
                command.Parameters[1].Value = expected;
                command.Parameters[2].Value = counts;
                command.Parameters[3].Value = ids;
                command.Parameters[4].Value = types;
                command.Parameters[5].Value = schemas;
                command.Parameters[6].Value = payloads;
                var outcomes = new List<BatchItemOutcome>(batch.Count);
                // One statement in autocommit: one round trip and one durable commit for the whole group.
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var i = outcomes.Count;
                        var version = reader.GetInt64(1);
                        var first = reader.GetInt64(2);
                        outcomes.Add(reader.GetInt32(0) switch
                        {
                            0 => BatchItemOutcome.Of(new AppendResult(AppendOutcome.Appended, version, first, first + counts[i] - 1)),
                            1 => BatchItemOutcome.Of(new AppendResult(AppendOutcome.AlreadyAppended, version, first, first + counts[i] - 1)),
                            _ => BatchItemOutcome.Of(new AppendResult(AppendOutcome.Conflict, version, 0, 0)),
                        });
                    }

                    // Rows arrive before the implicit commit; only the end of the exchange (ReadyForQuery) proves it
                    // durable, so nothing is acknowledged until the reader is closed.
                    await reader.CloseAsync().ConfigureAwait(false);
                }

                return outcomes;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "edge_events_stream_event_id" && batch.Count == 1)
            {
                return [BatchItemOutcome.Duplicate];
            }
            catch (Exception ex) when (ex is not PostgresException)
            {
                // The connection's state is unknown (broken, or mid-exchange after a cancellation): start afresh.
                await ResetAsync().ConfigureAwait(false);
                throw;
            }
        }

        private async Task<NpgsqlCommand> PreparedAppendAsync(CancellationToken cancellationToken)
        {
            if (_append is not null && _connection is { State: System.Data.ConnectionState.Open })
            {
                return _append;
            }

            await ResetAsync().ConfigureAwait(false);
            _connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            _append = new NpgsqlCommand("SELECT outcome, stream_version, first_position FROM edge_append($1, $2, $3, $4, $5, $6, $7)", _connection);
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            _append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            await _append.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return _append;
        }

        private async Task ResetAsync()
        {
            if (_append is not null)
            {
                await _append.DisposeAsync().ConfigureAwait(false);
                _append = null;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
        }

        public bool IsTransient(Exception exception) => exception switch
        {
            NpgsqlException npgsql => npgsql.IsTransient,
            TimeoutException or IOException or System.Net.Sockets.SocketException => true,
            _ => false,
        };

        public ValueTask DisposeAsync() => new(ResetAsync());
    }
}
