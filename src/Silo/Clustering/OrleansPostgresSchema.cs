// Edge.Actors owns this PostgreSQL schema and the query texts that Orleans' ADO.NET clustering and reminder providers run on it.
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Edge.Actors.Silo.Clustering;

/// <summary>
/// The tables, functions and <c>OrleansQuery</c> rows behind <c>UseAdoNetClustering</c> and
/// <c>UseAdoNetReminderService</c> with the <c>Npgsql</c> invariant. Orleans ships no scripts in its packages; it
/// only fixes a contract: query keys, <c>@Name</c> parameters, result column names and types. What is behind the
/// query texts is ours.
/// </summary>
internal static partial class OrleansPostgresSchema
{
    /// <summary>Held for the whole transaction so silos starting together apply the schema one after another.</summary>
    /// <remarks>Distinct from the event store's keys: both schemas may live in one database.</remarks>
    public const long MigrationLockKey = 0x45_44_47_45_00_00_01_01;

    // SiloStatus.Dead as Orleans writes it; defunct-row cleanup must never touch a silo in any other state.
    private const int DeadStatus = 6;

    /// <summary>
    /// Numbered schema changes, each applied once, in order, and recorded in <c>edge_orleans_migrations</c>. A later
    /// change is a new number; an applied migration is never edited. Each is idempotent all the same, so a schema
    /// created by hand or half-applied by an older build is completed rather than rejected.
    /// </summary>
    public static readonly IReadOnlyList<(int Id, string Sql)> Migrations =
    [
        (1, """
            -- The table name and its two columns are fixed by Orleans, which runs an unquoted
            -- "SELECT QueryKey, QueryText FROM OrleansQuery". Other Orleans ADO.NET providers (grain storage,
            -- streams) keep their rows here too, so it may exist already and we touch only our keys.
            CREATE TABLE IF NOT EXISTS OrleansQuery (
                QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
                QueryText varchar(8000) NOT NULL
            );

            -- One row per cluster (Orleans' "deployment"). Its version is the etag of the whole membership view:
            -- every membership write must name the version it read, and bumps it.
            CREATE TABLE IF NOT EXISTS edge_orleans_clusters (
                cluster_id  text        PRIMARY KEY,
                version     int         NOT NULL DEFAULT 0,
                changed_at  timestamptz NOT NULL DEFAULT now()
            );

            -- One row per silo incarnation; generation tells a restarted silo on the same endpoint apart.
            CREATE TABLE IF NOT EXISTS edge_orleans_silos (
                cluster_id       text        NOT NULL REFERENCES edge_orleans_clusters (cluster_id) ON DELETE CASCADE,
                address          text        NOT NULL,
                port             int         NOT NULL,
                generation       int         NOT NULL,
                silo_name        text        NOT NULL,
                host_name        text        NOT NULL,
                status           int         NOT NULL,
                proxy_port       int         NOT NULL DEFAULT 0,
                suspect_times    text,
                start_time       timestamptz NOT NULL,
                i_am_alive_time  timestamptz NOT NULL,
                PRIMARY KEY (cluster_id, address, port, generation)
            );

            -- Adds a silo row if the caller's view of the cluster is current: 1 when added, 0 when the version moved
            -- on or the silo is already there (Orleans then re-reads and retries). The version moves only when a row
            -- was added, so a refused write leaves no trace.
            CREATE OR REPLACE FUNCTION edge_orleans_add_silo(
                p_cluster text, p_address text, p_port int, p_generation int, p_silo_name text, p_host_name text,
                p_status int, p_proxy_port int, p_start_time timestamptz, p_i_am_alive_time timestamptz,
                p_expected_version int)
            RETURNS int LANGUAGE plpgsql AS $fn$
            BEGIN
                -- The row lock queues membership writers of one cluster; a writer that waited re-checks the version
                -- against the committed row, so of two writers with the same view exactly one wins.
                PERFORM 1 FROM edge_orleans_clusters c
                WHERE c.cluster_id = p_cluster AND c.version = p_expected_version
                FOR UPDATE;
                IF NOT FOUND THEN
                    RETURN 0;
                END IF;

                INSERT INTO edge_orleans_silos (cluster_id, address, port, generation, silo_name, host_name, status,
                                                proxy_port, start_time, i_am_alive_time)
                VALUES (p_cluster, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
                        coalesce(p_proxy_port, 0), p_start_time, p_i_am_alive_time)
                ON CONFLICT DO NOTHING;
                IF NOT FOUND THEN
                    RETURN 0;
                END IF;

                UPDATE edge_orleans_clusters SET version = version + 1, changed_at = now() WHERE cluster_id = p_cluster;
                RETURN 1;
            END
            $fn$;

            -- Changes a silo row under the same rule as edge_orleans_add_silo; a missing row is a refusal too.
            CREATE OR REPLACE FUNCTION edge_orleans_change_silo(
                p_cluster text, p_address text, p_port int, p_generation int, p_status int, p_suspect_times text,
                p_i_am_alive_time timestamptz, p_expected_version int)
            RETURNS int LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM 1 FROM edge_orleans_clusters c
                WHERE c.cluster_id = p_cluster AND c.version = p_expected_version
                FOR UPDATE;
                IF NOT FOUND THEN
                    RETURN 0;
                END IF;

                -- An empty suspect list is stored as NULL so that "no votes" has one spelling.
                UPDATE edge_orleans_silos s
                SET status = p_status, suspect_times = nullif(p_suspect_times, ''), i_am_alive_time = p_i_am_alive_time
                WHERE s.cluster_id = p_cluster AND s.address = p_address AND s.port = p_port
                  AND s.generation = p_generation;
                IF NOT FOUND THEN
                    RETURN 0;
                END IF;

                UPDATE edge_orleans_clusters SET version = version + 1, changed_at = now() WHERE cluster_id = p_cluster;
                RETURN 1;
            END
            $fn$;
            """),
        (2, """
            -- Orleans' reminder service is partitioned over a hash ring: each silo reads the reminders whose
            -- grain_hash falls in its range, hence the index. The hash is Orleans' uint stored as a signed int,
            -- which is what the range queries compare.
            CREATE TABLE IF NOT EXISTS edge_orleans_reminders (
                service_id     text        NOT NULL,
                grain_id       text        NOT NULL,
                reminder_name  text        NOT NULL,
                grain_hash     int         NOT NULL,
                start_time     timestamptz NOT NULL,
                period_ms      bigint      NOT NULL,
                version        int         NOT NULL DEFAULT 0,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            );
            CREATE INDEX IF NOT EXISTS edge_orleans_reminders_ring ON edge_orleans_reminders (service_id, grain_hash);
            """),
    ];

    // Orleans finds result columns by name; quoting them keeps the exact spelling instead of relying on Npgsql's
    // case-insensitive fallback for names PostgreSQL folded to lower case.
    private const string SiloColumns = """
        s.address AS "Address", s.port AS "Port", s.generation AS "Generation", s.silo_name AS "SiloName",
        s.host_name AS "HostName", s.status AS "Status", s.proxy_port AS "ProxyPort", s.suspect_times AS "SuspectTimes",
        s.start_time AS "StartTime", s.i_am_alive_time AS "IAmAliveTime"
        """;

    private const string ReminderColumns = """
        grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period",
        version AS "Version"
        """;

    /// <summary>
    /// The <c>OrleansQuery</c> rows, by key. Parameter names are Orleans' (bound by name from <c>@Name</c>); the
    /// providers send ints as int4, strings as text and DateTimes as timestamptz (UTC).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Queries = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // ---- clustering ----

        // Run by every silo at start-up; the answer says whether this call created the cluster's row.
        ["InsertMembershipVersionKey"] = """
            WITH created AS (
                INSERT INTO edge_orleans_clusters (cluster_id) VALUES (@DeploymentId)
                ON CONFLICT (cluster_id) DO NOTHING
                RETURNING 1)
            SELECT count(*)::int AS "Created" FROM created
            """,

        ["InsertMembershipKey"] = """
            SELECT edge_orleans_add_silo(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
                                         @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Added"
            """,

        ["UpdateMembershipKey"] = """
            SELECT edge_orleans_change_silo(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                            @IAmAliveTime, @Version) AS "Changed"
            """,

        // The heartbeat is a liveness hint, not a membership change: it leaves the cluster version alone, so
        // writers holding a view read before the heartbeat are not refused because of it.
        ["UpdateIAmAlivetimeKey"] = """
            UPDATE edge_orleans_silos SET i_am_alive_time = @IAmAliveTime
            WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
            """,

        // Orleans takes the version from the first row even when there are no silos, so the cluster row drives the
        // join and a silo-less cluster still yields one row (with a NULL StartTime, which Orleans reads as "none").
        // One statement, one snapshot: the version and the rows always belong together.
        ["MembershipReadAllKey"] = $"""
            SELECT c.version AS "Version", {SiloColumns}
            FROM edge_orleans_clusters c
            LEFT JOIN edge_orleans_silos s ON s.cluster_id = c.cluster_id
            WHERE c.cluster_id = @DeploymentId
            """,

        ["MembershipReadRowKey"] = $"""
            SELECT c.version AS "Version", {SiloColumns}
            FROM edge_orleans_clusters c
            LEFT JOIN edge_orleans_silos s ON s.cluster_id = c.cluster_id
                AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
            WHERE c.cluster_id = @DeploymentId
            """,

        // Orleans clients pick their gateways here; @Status is Active. A silo without a gateway has port 0.
        ["GatewaysQueryKey"] = """
            SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
            FROM edge_orleans_silos
            WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
            """,

        // The silo rows go with the cluster row (ON DELETE CASCADE).
        ["DeleteMembershipTableEntriesKey"] = """
            DELETE FROM edge_orleans_clusters WHERE cluster_id = @DeploymentId
            """,

        // Orleans 10.4 prefers the per-row key below and uses this one only when that is missing; it is required
        // all the same. Limited to Dead rows: a silo that is merely quiet must never lose its row.
        ["CleanupDefunctSiloEntriesKey"] = $"""
            DELETE FROM edge_orleans_silos
            WHERE cluster_id = @DeploymentId AND status = {DeadStatus} AND i_am_alive_time < @IAmAliveTime
            """,

        // Orleans decides in .NET which Dead rows are old enough and passes back the values it read; the row goes
        // only if none of them changed since, so a row that was just rewritten survives this round.
        ["CleanupDefunctSiloEntryKey"] = $"""
            DELETE FROM edge_orleans_silos
            WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
              AND status = {DeadStatus} AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
              AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
            """,

        // ---- reminders ----

        // The version is the reminder's etag: a fresh row starts at 0, every rewrite moves it on.
        ["UpsertReminderRowKey"] = """
            INSERT INTO edge_orleans_reminders AS r (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms)
            VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
            SET grain_hash = excluded.grain_hash, start_time = excluded.start_time, period_ms = excluded.period_ms,
                version = r.version + 1
            RETURNING r.version AS "Version"
            """,

        ["ReadReminderRowsKey"] = $"""
            SELECT {ReminderColumns}
            FROM edge_orleans_reminders
            WHERE service_id = @ServiceId AND grain_id = @GrainId
            """,

        ["ReadReminderRowKey"] = $"""
            SELECT {ReminderColumns}
            FROM edge_orleans_reminders
            WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
            """,

        // The ring range (begin, end]. Orleans picks this key when begin < end compared as signed ints, the same
        // order as the stored hashes, so the range does not wrap here...
        ["ReadRangeRows1Key"] = $"""
            SELECT {ReminderColumns}
            FROM edge_orleans_reminders
            WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
            """,

        // ...and this one otherwise: the range wraps past the end of the ring (begin = end is the whole ring).
        ["ReadRangeRows2Key"] = $"""
            SELECT {ReminderColumns}
            FROM edge_orleans_reminders
            WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
            """,

        // Only the holder of the current etag may delete; the answer is 1 when it did, 0 when the etag was stale.
        ["DeleteReminderRowKey"] = """
            WITH removed AS (
                DELETE FROM edge_orleans_reminders
                WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
                  AND version = @Version
                RETURNING 1)
            SELECT count(*)::int AS "Removed" FROM removed
            """,

        ["DeleteReminderRowsKey"] = """
            DELETE FROM edge_orleans_reminders WHERE service_id = @ServiceId
            """,
    };

    /// <summary>Brings the database's Orleans schema and query texts up to this build; safe to run from many silos at once.</summary>
    public static Task ApplyAsync(string connectionString, CancellationToken ct) =>
        ApplyAsync(connectionString, NullLogger.Instance, ct);

    /// <inheritdoc cref="ApplyAsync(string, CancellationToken)"/>
    public static async Task ApplyAsync(string connectionString, ILogger logger, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // One transaction for everything: a failure leaves the database as it was, and the transaction-scoped lock
        // cannot outlive it, even on a pooled connection that is handed back broken.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", ct);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS edge_orleans_migrations (id int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", ct);

        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand("SELECT id FROM edge_orleans_migrations", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (id, sql) in Migrations.Where(m => !applied.Contains(m.Id)).OrderBy(m => m.Id))
        {
            await ExecuteAsync(connection, transaction, sql, ct);
            await using var mark = new NpgsqlCommand("INSERT INTO edge_orleans_migrations (id) VALUES ($1)", connection, transaction);
            mark.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
            await mark.ExecuteNonQueryAsync(ct);
            LogMigrationApplied(logger, id);
        }

        // Query texts are rewritten on every start rather than migrated: they belong to the provider version this
        // build runs, and providers read them only when they initialise. Unchanged rows are left alone.
        var keys = Queries.Keys.ToArray();
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO OrleansQuery (QueryKey, QueryText)
            SELECT q.key, q.text FROM unnest($1, $2) AS q(key, text)
            ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText
            WHERE OrleansQuery.QueryText IS DISTINCT FROM excluded.QueryText
            """, connection, transaction))
        {
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys.Select(k => Queries[k]).ToArray() });
            var changed = await upsert.ExecuteNonQueryAsync(ct);
            if (changed > 0)
            {
                LogQueriesWritten(logger, changed);
            }
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans PostgreSQL schema: applied migration {Id}")]
    private static partial void LogMigrationApplied(ILogger logger, int id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans PostgreSQL schema: wrote {Count} query texts")]
    private static partial void LogQueriesWritten(ILogger logger, int count);
}
