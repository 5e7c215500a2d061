-- Audit without one global lock. Until now every append took one advisory lock held until the
-- inserting transaction ended, so every audited read and write in the practice waited in one line.
-- Now the trail is sixteen hash chains ("lanes"): an append locks only its own lane, and the lane is
-- the inserting connection's (backend pid mod 16), so one transaction always stays in one lane and
-- lanes never wait for each other. Each lane is gapless (`lane_seq`) and hash-chained exactly like
-- the one chain was; `server audit verify` walks every lane. Rows written before this migration
-- are lane 0's beginning (their `lane_seq` is their id, left NULL rather than rewriting them).

ALTER TABLE audit_events
    ADD COLUMN lane smallint NOT NULL DEFAULT 0 CHECK (lane BETWEEN 0 AND 15),
    ADD COLUMN lane_seq bigint CHECK (lane_seq > 0);

-- ids still order the whole trail (a row's id is drawn while its lane is locked, so within a lane
-- ids follow the chain); across lanes they may have gaps
CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;
SELECT setval('audit_events_id_seq', coalesce((SELECT max(id) FROM audit_events), 0) + 1, false);

-- the lane's last row, for each append
CREATE INDEX audit_events_lane_idx ON audit_events (lane, id DESC);

-- The digest now covers the lane and the place in it; rows from before keep their digest.
CREATE OR REPLACE FUNCTION audit_event_digest(e audit_events) RETURNS bytea
LANGUAGE sql STABLE AS $$
    SELECT sha256(
        e.prev_hash || convert_to(concat_ws(E'\x1f',
            e.id::text,
            to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
            coalesce(e.actor_id::text, ''),
            e.action,
            coalesce(e.entity_type, ''),
            coalesce(e.entity_id, ''),
            coalesce(e.client_id::text, ''),
            coalesce(host(e.ip), ''),
            coalesce(e.user_agent, ''),
            e.outcome,
            e.detail::text
        ) || CASE WHEN e.lane_seq IS NULL THEN ''
                  ELSE E'\x1f' || e.lane::text || E'\x1f' || e.lane_seq::text END, 'UTF8'))
$$;

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    lane_no smallint := pg_backend_pid() % 16;
    last_row audit_events%ROWTYPE;
BEGIN
    -- Serialise appends to this lane only; held until the inserting transaction ends.
    PERFORM pg_advisory_xact_lock(hashtext('audit_events_chain'), lane_no);
    SELECT * INTO last_row FROM audit_events WHERE lane = lane_no ORDER BY id DESC LIMIT 1;
    NEW.lane := lane_no;
    NEW.id := nextval('audit_events_id_seq');
    IF FOUND THEN
        NEW.lane_seq := coalesce(last_row.lane_seq, last_row.id) + 1;
        NEW.prev_hash := last_row.hash;
    ELSE
        NEW.lane_seq := 1;
        NEW.prev_hash := '\x'::bytea;
    END IF;
    NEW.occurred_at := date_trunc('microseconds', clock_timestamp());
    NEW.hash := audit_event_digest(NEW);
    RETURN NEW;
END $$;
