using System.Globalization;
using Edge.Actors.EventStore;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Edge.Actors.EventStoreBench;

/// <summary>The event every writer appends: a host heartbeat of about 200 bytes of JSON.</summary>
internal static class Heartbeat
{
    public const string EventType = "host.heartbeat_received";

    public const string Json =
        """{"hostId":"edge-host-0042","site":"eu-west-3b","status":"healthy","cpuPercent":37.5,"memoryUsedMb":2816,"memoryTotalMb":8192,"diskFreeGb":112.4,"uptimeSeconds":864231,"agentVersion":"2.14.3","sentAt":"2025-11-25T13:38:00.000Z"}""";

    public static string StreamId(int round, int writer) => string.Create(CultureInfo.InvariantCulture, $"host-r{round}-w{writer:D2}");
}

/// <summary>The event store under test: each writer appends one event at a time at its stream's current version.</summary>
internal sealed class StoreSide(IEventStore store) : IAppendSide
{
    public Task<IReadOnlyList<IAppender>> OpenAppendersAsync(int round, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IAppender>>(
            [.. Enumerable.Range(0, count).Select(writer => new StoreAppender(store, Heartbeat.StreamId(round, writer)))]);

    public Task<long> CountStoredAsync(CancellationToken cancellationToken) => store.ReadHeadPositionAsync(cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();

    private sealed class StoreAppender(IEventStore store, string streamId) : IAppender
    {
        private long _version;

        public bool Blocks => false;

        public async ValueTask AppendAsync(CancellationToken cancellationToken)
        {
            var result = await store.AppendAsync(streamId, _version, [new EventData(Guid.NewGuid(), Heartbeat.EventType, 1, Heartbeat.Json)], cancellationToken);
            if (result.Outcome != AppendOutcome.Appended || result.StreamVersion != _version + 1)
            {
                throw new InvalidOperationException($"append to {streamId} at version {_version} ended {result.Outcome} at version {result.StreamVersion}");
            }

            _version = result.StreamVersion;
        }

        public ValueTask DisposeAsync() => default;
    }
}

/// <summary>The PostgreSQL baseline: one prepared single-row INSERT per autocommit transaction, one connection per writer.</summary>
internal sealed class PostgresInsertSide : IAppendSide
{
    private const string Insert = "INSERT INTO bench_events (stream_id, version, event_id, event_type, payload) VALUES ($1, $2, $3, $4, $5)";

    private readonly NpgsqlDataSource _dataSource;

    private PostgresInsertSide(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public static async Task<PostgresInsertSide> CreateAsync(string connectionString, int maxWriters, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Pooling = true;
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(builder.ConnectionStringBuilder.MaxPoolSize, maxWriters + 8);
        var dataSource = builder.Build();
        try
        {
            await using var command = dataSource.CreateCommand("""
                CREATE TABLE bench_events (
                    id          bigserial   PRIMARY KEY,
                    stream_id   text,
                    version     bigint,
                    event_id    uuid,
                    event_type  text,
                    payload     jsonb,
                    recorded_at timestamptz DEFAULT now()
                )
                """);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresInsertSide(dataSource);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<IAppender>> OpenAppendersAsync(int round, int count, CancellationToken cancellationToken)
    {
        var appenders = new List<IAppender>(count);
        try
        {
            for (var writer = 0; writer < count; writer++)
            {
                appenders.Add(await InsertAppender.OpenAsync(_dataSource, Heartbeat.StreamId(round, writer), cancellationToken));
            }

            return appenders;
        }
        catch
        {
            foreach (var appender in appenders)
            {
                await appender.DisposeAsync();
            }

            throw;
        }
    }

    public async Task<long> CountStoredAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM bench_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private sealed class InsertAppender : IAppender
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _command;
        private readonly NpgsqlParameter<long> _version;
        private readonly NpgsqlParameter<Guid> _eventId;

        private InsertAppender(NpgsqlConnection connection, NpgsqlCommand command, NpgsqlParameter<long> version, NpgsqlParameter<Guid> eventId)
        {
            _connection = connection;
            _command = command;
            _version = version;
            _eventId = eventId;
        }

        public bool Blocks => false;

        public static async Task<InsertAppender> OpenAsync(NpgsqlDataSource dataSource, string streamId, CancellationToken cancellationToken)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var command = new NpgsqlCommand(Insert, connection);
            try
            {
                var version = new NpgsqlParameter<long> { TypedValue = 0 };
                var eventId = new NpgsqlParameter<Guid> { TypedValue = Guid.Empty };
                command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = streamId });
                command.Parameters.Add(version);
                command.Parameters.Add(eventId);
                command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = Heartbeat.EventType });
                command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = Heartbeat.Json });
                await command.PrepareAsync(cancellationToken);
                return new InsertAppender(connection, command, version, eventId);
            }
            catch
            {
                await command.DisposeAsync();
                await connection.DisposeAsync();
                throw;
            }
        }

        public async ValueTask AppendAsync(CancellationToken cancellationToken)
        {
            _version.TypedValue++;
            _eventId.TypedValue = Guid.NewGuid();
            if (await _command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException("the baseline INSERT stored no row");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _command.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}

/// <summary>
/// The SQLite baseline: one prepared single-row INSERT per autocommit transaction in a WAL file with
/// <c>synchronous=FULL</c>, one connection per writer, <c>busy_timeout</c> so that a writer waits for the lock.
/// </summary>
internal sealed class SqliteInsertSide : IAppendSide
{
    private const string Insert = "INSERT INTO bench_events (stream_id, version, event_id, event_type, payload) VALUES ($stream, $version, $id, $type, $payload);";

    private readonly string _connectionString;

    private SqliteInsertSide(string connectionString) => _connectionString = connectionString;

    public static async Task<SqliteInsertSide> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE bench_events (
                id          INTEGER PRIMARY KEY,
                stream_id   TEXT,
                version     INTEGER,
                event_id    TEXT,
                event_type  TEXT,
                payload     TEXT,
                recorded_at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            );
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new SqliteInsertSide(connectionString);
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<IAppender>> OpenAppendersAsync(int round, int count, CancellationToken cancellationToken)
    {
        var appenders = new List<IAppender>(count);
        try
        {
            for (var writer = 0; writer < count; writer++)
            {
                var connection = await OpenAsync(_connectionString, cancellationToken);
                appenders.Add(new InsertAppender(connection, Heartbeat.StreamId(round, writer)));
            }

            return appenders;
        }
        catch
        {
            foreach (var appender in appenders)
            {
                await appender.DisposeAsync();
            }

            throw;
        }
    }

    public async Task<long> CountStoredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM bench_events;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public ValueTask DisposeAsync() => default;

    private sealed class InsertAppender : IAppender
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _version;
        private readonly SqliteParameter _eventId;
        private long _next;

        public InsertAppender(SqliteConnection connection, string streamId)
        {
            _connection = connection;
            _command = connection.CreateCommand();
            _command.CommandText = Insert;
            _command.Parameters.AddWithValue("$stream", streamId);
            _version = _command.Parameters.Add("$version", SqliteType.Integer);
            _eventId = _command.Parameters.Add("$id", SqliteType.Text);
            _command.Parameters.AddWithValue("$type", Heartbeat.EventType);
            _command.Parameters.AddWithValue("$payload", Heartbeat.Json);
            _command.Prepare();
        }

        public bool Blocks => true;

        public ValueTask AppendAsync(CancellationToken cancellationToken)
        {
            _version.Value = ++_next;
            _eventId.Value = Guid.NewGuid().ToString();
            // Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway.
            return _command.ExecuteNonQuery() == 1
                ? default
                : throw new InvalidOperationException("the baseline INSERT stored no row");
        }

        public async ValueTask DisposeAsync()
        {
            await _command.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
