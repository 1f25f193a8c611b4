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
    ];
}
