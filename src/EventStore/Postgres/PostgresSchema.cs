namespace Edge.Actors.EventStore.Postgres;

/// <summary>The event store's own PostgreSQL schema, as numbered migrations applied once each, in order.</summary>
internal static class PostgresSchema
{
    /// <summary>Taken for the whole migration so that silos starting together do not race.</summary>
    public const long MigrationLockKey = 0x45_44_47_45_00_00_00_01;

    /// <summary>Held by every appending transaction until it commits; see <c>edge_append</c>.</summary>
    public const long FeedLockKey = 0x45_44_47_45_00_00_00_02;

    public static readonly IReadOnlyList<(int Id, string Sql)> Migrations =
    [
        (1, """
            CREATE TABLE IF NOT EXISTS edge_events (
                position        bigint      PRIMARY KEY,
                stream_id       text        NOT NULL,
                version         bigint      NOT NULL,
                event_id        uuid        NOT NULL,
                event_type      text        NOT NULL,
                schema_version  int         NOT NULL,
                payload         jsonb       NOT NULL,
                recorded_at     timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT edge_events_stream_version UNIQUE (stream_id, version),
                CONSTRAINT edge_events_stream_event_id UNIQUE (stream_id, event_id)
            );
            CREATE TABLE IF NOT EXISTS edge_snapshots (
                stream_id       text        PRIMARY KEY,
                version         bigint      NOT NULL,
                state_type      text        NOT NULL,
                schema_version  int         NOT NULL,
                payload         jsonb       NOT NULL,
                taken_at        timestamptz NOT NULL DEFAULT now()
            );
            """),
        (2, $$"""
            -- Commits a group of appends (of any streams) in the caller's transaction. Each append is checked
            -- against its own expected version; a conflict refuses that append only. Feed positions are handed
            -- out under one transaction-scoped lock held until commit, so positions become visible in order and
            -- a feed reader that has seen position p can never later find a lower one. A plain sequence would
            -- not do: transactions that draw from it commit in any order.
            -- Outcomes: 0 appended, 1 already appended (same ids at these versions), 2 conflict, 3 ids reused.
            CREATE OR REPLACE FUNCTION edge_append(
                p_streams text[], p_expected bigint[], p_counts int[],
                p_ids uuid[], p_types text[], p_schemas int[], p_payloads jsonb[])
            RETURNS TABLE (outcome int, stream_version bigint, first_position bigint)
            LANGUAGE plpgsql AS $fn$
            DECLARE
                v_position bigint;
                v_offset int := 0;
                v_count int;
                v_current bigint;
                v_ids uuid[];
                v_first bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock({{FeedLockKey}});
                SELECT coalesce(max(e.position), 0) INTO v_position FROM edge_events e;
                FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
                    v_count := p_counts[i];
                    v_ids := p_ids[v_offset + 1 : v_offset + v_count];
                    SELECT coalesce(max(e.version), 0) INTO v_current FROM edge_events e WHERE e.stream_id = p_streams[i];
                    IF v_current = p_expected[i] THEN
                        IF EXISTS (SELECT 1 FROM edge_events e WHERE e.stream_id = p_streams[i] AND e.event_id = ANY (v_ids)) THEN
                            outcome := 3; stream_version := v_current; first_position := 0;
                        ELSE
                            INSERT INTO edge_events (position, stream_id, version, event_id, event_type, schema_version, payload)
                            SELECT v_position + t.n, p_streams[i], v_current + t.n, t.id, t.typ, t.sv, t.pl
                            FROM unnest(v_ids,
                                        p_types[v_offset + 1 : v_offset + v_count],
                                        p_schemas[v_offset + 1 : v_offset + v_count],
                                        p_payloads[v_offset + 1 : v_offset + v_count]) WITH ORDINALITY AS t(id, typ, sv, pl, n);
                            outcome := 0; stream_version := v_current + v_count; first_position := v_position + 1;
                            v_position := v_position + v_count;
                        END IF;
                    ELSE
                        SELECT min(e.position) INTO v_first FROM edge_events e
                        WHERE e.stream_id = p_streams[i]
                          AND e.version > p_expected[i] AND e.version <= p_expected[i] + v_count
                          AND e.event_id = v_ids[(e.version - p_expected[i])::int]
                        HAVING count(*) = v_count;
                        IF v_first IS NOT NULL THEN
                            outcome := 1; stream_version := p_expected[i] + v_count; first_position := v_first;
                        ELSE
                            outcome := 2; stream_version := v_current; first_position := 0;
                        END IF;
                    END IF;
                    v_offset := v_offset + v_count;
                    RETURN NEXT;
                END LOOP;
            END
            $fn$;
            """),
        (3, $$"""
            -- The same contract as migration 2, set-based: one version lookup per append and one INSERT for the
            -- whole group, instead of a statement per append. The group committer puts at most one append per
            -- stream in a group, so every append is checked against the stream as it was before the group.
            -- Reused event ids are left to the unique constraint (the caller then commits appends one by one),
            -- which keeps that check off the hot path.
            CREATE OR REPLACE FUNCTION edge_append(
                p_streams text[], p_expected bigint[], p_counts int[],
                p_ids uuid[], p_types text[], p_schemas int[], p_payloads jsonb[])
            RETURNS TABLE (outcome int, stream_version bigint, first_position bigint)
            LANGUAGE plpgsql
            -- The arrays' sizes change every call; custom plans would re-plan the statement below every time.
            SET plan_cache_mode = force_generic_plan
            AS $fn$
            DECLARE
                v_position bigint;
                v_inserted bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock({{FeedLockKey}});
                SELECT coalesce(max(e.position), 0) INTO v_position FROM edge_events e;
                -- A group of one (a lone writer) skips the set-based statement when it simply fits.
                IF array_length(p_streams, 1) = 1 THEN
                    INSERT INTO edge_events (position, stream_id, version, event_id, event_type, schema_version, payload)
                    SELECT v_position + t.n, p_streams[1], p_expected[1] + t.n, t.id, t.typ, t.sv, t.pl
                    FROM unnest(p_ids, p_types, p_schemas, p_payloads) WITH ORDINALITY AS t(id, typ, sv, pl, n)
                    WHERE (SELECT coalesce(max(e.version), 0) FROM edge_events e WHERE e.stream_id = p_streams[1]) = p_expected[1];
                    GET DIAGNOSTICS v_inserted = ROW_COUNT;
                    IF v_inserted > 0 THEN
                        outcome := 0; stream_version := p_expected[1] + p_counts[1]; first_position := v_position + 1;
                        RETURN NEXT;
                        RETURN;
                    END IF;
                END IF;

                RETURN QUERY
                WITH appends AS MATERIALIZED (
                    SELECT a.n, a.stream, a.expected, a.cnt,
                           (sum(a.cnt) OVER (ORDER BY a.n) - a.cnt)::int AS event_offset,
                           coalesce((SELECT max(e.version) FROM edge_events e WHERE e.stream_id = a.stream), 0) AS current
                    FROM unnest(p_streams, p_expected, p_counts) WITH ORDINALITY AS a(stream, expected, cnt, n)
                ),
                accepted AS MATERIALIZED (
                    SELECT ap.n, ap.stream, ap.expected, ap.cnt, ap.event_offset,
                           sum(ap.cnt) OVER (ORDER BY ap.n) - ap.cnt AS position_offset
                    FROM appends ap
                    WHERE ap.current = ap.expected
                ),
                inserted AS (
                    INSERT INTO edge_events (position, stream_id, version, event_id, event_type, schema_version, payload)
                    SELECT v_position + ac.position_offset + k, ac.stream, ac.expected + k,
                           p_ids[ac.event_offset + k], p_types[ac.event_offset + k], p_schemas[ac.event_offset + k], p_payloads[ac.event_offset + k]
                    FROM accepted ac, generate_series(1, ac.cnt) AS k
                    RETURNING 1
                ),
                already AS (
                    SELECT ap.n, min(e.position) AS first
                    FROM appends ap
                    JOIN edge_events e ON e.stream_id = ap.stream AND e.version > ap.expected AND e.version <= ap.expected + ap.cnt
                    WHERE ap.current <> ap.expected AND e.event_id = p_ids[ap.event_offset + (e.version - ap.expected)::int]
                    GROUP BY ap.n, ap.cnt
                    HAVING count(*) = ap.cnt
                )
                SELECT CASE WHEN ac.n IS NOT NULL THEN 0 WHEN al.n IS NOT NULL THEN 1 ELSE 2 END,
                       CASE WHEN ac.n IS NOT NULL OR al.n IS NOT NULL THEN ap.expected + ap.cnt ELSE ap.current END,
                       CASE WHEN ac.n IS NOT NULL THEN v_position + ac.position_offset + 1 WHEN al.n IS NOT NULL THEN al.first ELSE 0 END
                FROM appends ap
                LEFT JOIN accepted ac ON ac.n = ap.n
                LEFT JOIN already al ON al.n = ap.n
                ORDER BY ap.n;
            END
            $fn$;
            """),
        (4, """
            -- A snapshot is only ever read back whole by the store, never queried inside: keep it as text, and
            -- uncompressed, so writing a big site ledger costs no JSON parse and no compression on the server.
            ALTER TABLE edge_snapshots ALTER COLUMN payload TYPE text USING payload::text;
            ALTER TABLE edge_snapshots ALTER COLUMN payload SET STORAGE EXTERNAL;
            """),
    ];
}
