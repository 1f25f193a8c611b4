using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Actors.EventStore.Sqlite;

/// <summary>
/// The event store in one SQLite file (WAL, <c>synchronous=FULL</c>) for a single server. SQLite has one writer
/// at a time, so positions commit in order; appends are still grouped so one flush acknowledges many.
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private const string EventColumns = "stream_id, version, position, event_id, event_type, schema_version, payload, recorded_at";

    private static readonly IReadOnlyList<(int Id, string Sql)> Migrations =
    [
        (1, """
            CREATE TABLE IF NOT EXISTS edge_events (
                position        INTEGER PRIMARY KEY,
                stream_id       TEXT    NOT NULL,
                version         INTEGER NOT NULL,
                event_id        TEXT    NOT NULL,
                event_type      TEXT    NOT NULL,
                schema_version  INTEGER NOT NULL,
                payload         TEXT    NOT NULL,
                recorded_at     TEXT    NOT NULL,
                UNIQUE (stream_id, version),
                UNIQUE (stream_id, event_id)
            );
            CREATE TABLE IF NOT EXISTS edge_snapshots (
                stream_id       TEXT    PRIMARY KEY,
                version         INTEGER NOT NULL,
                state_type      TEXT    NOT NULL,
                schema_version  INTEGER NOT NULL,
                payload         TEXT    NOT NULL,
                taken_at        TEXT    NOT NULL
            );
            """),
    ];

    private readonly string _connectionString;
    private readonly EventStoreOptions _options;
    private readonly SqliteConnection _writerConnection;
    private readonly GroupCommitter _committer;

    private SqliteEventStore(string connectionString, SqliteConnection writerConnection, EventStoreOptions options, ILogger logger)
    {
        _connectionString = connectionString;
        _options = options;
        _writerConnection = writerConnection;
        _committer = new GroupCommitter(new BatchWriter(writerConnection), options, logger);
    }

    /// <summary>Opens (creating if needed) the store in the file at <paramref name="path"/>.</summary>
    public static async Task<SqliteEventStore> OpenAsync(string path, EventStoreOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidEventStoreInputException(nameof(path), "the SQLite event store needs a file path");
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteEventStore>();
        var fullPath = Path.GetFullPath(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        SqliteConnection? writer = null;
        try
        {
            var folder = Path.GetDirectoryName(fullPath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            writer = await OpenConnectionAsync(connectionString, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(writer, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await MigrateAsync(writer, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            throw new EventStoreStartupException($"the SQLite event store file '{fullPath}' could not be opened for writing: {ex.Message}", ex);
        }

        return new SqliteEventStore(connectionString, writer, options ?? new EventStoreOptions(), logger);
    }

    private static async Task<SqliteConnection> OpenConnectionAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // FULL: an acknowledged commit is on disk, not only in the OS cache, as with synchronous_commit on PostgreSQL.
        await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task MigrateAsync(SqliteConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE takes the write lock, so two processes opening one file do not both migrate.
        await ExecuteAsync(connection, "BEGIN IMMEDIATE;", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS edge_schema_migrations (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<long>();
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT id FROM edge_schema_migrations;";
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            foreach (var (id, sql) in Migrations.Where(m => !applied.Contains(m.Id)))
            {
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await using var mark = connection.CreateCommand();
                mark.CommandText = "INSERT INTO edge_schema_migrations (id, applied_at) VALUES ($id, $at);";
                mark.Parameters.AddWithValue("$id", id);
                mark.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                logger.MigrationApplied((int)id);
            }

            await ExecuteAsync(connection, "COMMIT;", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ExecuteAsync(connection, "ROLLBACK;", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
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
        await using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM edge_events WHERE stream_id = $stream AND version > $after ORDER BY version;";
        command.Parameters.AddWithValue("$stream", streamId);
        command.Parameters.AddWithValue("$after", afterVersion);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadEvent(reader);
        }
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM edge_events WHERE position > $after ORDER BY position LIMIT $max;";
        command.Parameters.AddWithValue("$after", afterPosition);
        command.Parameters.AddWithValue("$max", maxCount);
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
        await using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(position), 0) FROM edge_events;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<StreamSnapshot?> ReadSnapshotAsync(string streamId, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateStreamId(streamId, _options);
        await using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, state_type, schema_version, payload FROM edge_snapshots WHERE stream_id = $stream;";
        command.Parameters.AddWithValue("$stream", streamId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StreamSnapshot(streamId, reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3))
            : null;
    }

    public async Task WriteSnapshotAsync(StreamSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        AppendValidation.ValidateSnapshot(snapshot, _options);
        await using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO edge_snapshots (stream_id, version, state_type, schema_version, payload, taken_at)
            VALUES ($stream, $version, $type, $schema, $payload, $at)
            ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, state_type = excluded.state_type,
                schema_version = excluded.schema_version, payload = excluded.payload, taken_at = excluded.taken_at
            WHERE edge_snapshots.version < excluded.version;
            """;
        command.Parameters.AddWithValue("$stream", snapshot.StreamId);
        command.Parameters.AddWithValue("$version", snapshot.Version);
        command.Parameters.AddWithValue("$type", snapshot.StateType);
        command.Parameters.AddWithValue("$schema", snapshot.SchemaVersion);
        command.Parameters.AddWithValue("$payload", snapshot.Payload);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static RecordedEvent ReadEvent(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetInt64(2),
        Guid.Parse(reader.GetString(3)),
        reader.GetString(4),
        reader.GetInt32(5),
        reader.GetString(6),
        DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await _committer.DisposeAsync().ConfigureAwait(false);
        await _writerConnection.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class BatchWriter(SqliteConnection connection) : IBatchWriter
    {
        public async Task<IReadOnlyList<BatchItemOutcome>> CommitAsync(IReadOnlyList<PendingAppend> batch, CancellationToken cancellationToken)
        {
            // Not deferred: BEGIN IMMEDIATE takes the write lock at once rather than failing to upgrade later.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var position = await ScalarAsync(transaction, "SELECT coalesce(max(position), 0) FROM edge_events;", cancellationToken).ConfigureAwait(false);
            var recordedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var outcomes = new List<BatchItemOutcome>(batch.Count);
            foreach (var append in batch)
            {
                var count = append.Events.Count;
                var current = await ScalarAsync(transaction, "SELECT coalesce(max(version), 0) FROM edge_events WHERE stream_id = $stream;", cancellationToken, ("$stream", append.StreamId)).ConfigureAwait(false);
                if (current == append.ExpectedVersion)
                {
                    if (await AnyIdStoredAsync(transaction, append, cancellationToken).ConfigureAwait(false))
                    {
                        outcomes.Add(BatchItemOutcome.Duplicate);
                        continue;
                    }

                    await InsertAsync(transaction, append, position, recordedAt, cancellationToken).ConfigureAwait(false);
                    outcomes.Add(BatchItemOutcome.Of(new AppendResult(AppendOutcome.Appended, current + count, position + 1, position + count)));
                    position += count;
                }
                else
                {
                    var first = await FirstPositionIfAlreadyStoredAsync(transaction, append, cancellationToken).ConfigureAwait(false);
                    outcomes.Add(first is { } p
                        ? BatchItemOutcome.Of(new AppendResult(AppendOutcome.AlreadyAppended, append.ExpectedVersion + count, p, p + count - 1))
                        : BatchItemOutcome.Of(new AppendResult(AppendOutcome.Conflict, current, 0, 0)));
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcomes;
        }

        private static async Task<bool> AnyIdStoredAsync(SqliteTransaction transaction, PendingAppend append, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT 1 FROM edge_events WHERE stream_id = $stream AND event_id = $id;";
            command.Parameters.AddWithValue("$stream", append.StreamId);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            foreach (var e in append.Events)
            {
                id.Value = e.EventId.ToString();
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        private static async Task<long?> FirstPositionIfAlreadyStoredAsync(SqliteTransaction transaction, PendingAppend append, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT position FROM edge_events WHERE stream_id = $stream AND version = $version AND event_id = $id;";
            command.Parameters.AddWithValue("$stream", append.StreamId);
            var version = command.Parameters.Add("$version", SqliteType.Integer);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            long? first = null;
            for (var k = 0; k < append.Events.Count; k++)
            {
                version.Value = append.ExpectedVersion + k + 1;
                id.Value = append.Events[k].EventId.ToString();
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long position)
                {
                    return null;
                }

                first ??= position;
            }

            return first;
        }

        private static async Task InsertAsync(SqliteTransaction transaction, PendingAppend append, long position, string recordedAt, CancellationToken cancellationToken)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO edge_events (position, stream_id, version, event_id, event_type, schema_version, payload, recorded_at)
                VALUES ($position, $stream, $version, $id, $type, $schema, $payload, $at);
                """;
            var positionParameter = command.Parameters.Add("$position", SqliteType.Integer);
            command.Parameters.AddWithValue("$stream", append.StreamId);
            var version = command.Parameters.Add("$version", SqliteType.Integer);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var type = command.Parameters.Add("$type", SqliteType.Text);
            var schema = command.Parameters.Add("$schema", SqliteType.Integer);
            var payload = command.Parameters.Add("$payload", SqliteType.Text);
            command.Parameters.AddWithValue("$at", recordedAt);
            for (var k = 0; k < append.Events.Count; k++)
            {
                var e = append.Events[k];
                positionParameter.Value = position + k + 1;
                version.Value = append.ExpectedVersion + k + 1;
                id.Value = e.EventId.ToString();
                type.Value = e.EventType;
                schema.Value = e.SchemaVersion;
                payload.Value = e.Payload;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task<long> ScalarAsync(SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
        {
            await using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        public bool IsTransient(Exception exception) =>
            exception is SqliteException { SqliteErrorCode: 5 or 6 }; // SQLITE_BUSY, SQLITE_LOCKED: another process holds the file
    }
}
