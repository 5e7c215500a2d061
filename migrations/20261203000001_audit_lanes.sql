-- Audit without one global lock. Until now every append took one advisory lock held until the
-- inserting transaction ended, so every audited read and write in the practice waited in one line.
-- Now the trail is sixteen hash chains ("lanes"). A transaction's first append takes the first free
-- lane (trying them without waiting, from its backend pid mod 16; it waits only when all sixteen
-- are taken) and keeps it for its other appends, so a transaction never waits for a second lane
-- and lanes never wait for each other. Each lane is gapless (`lane_seq`, unique per lane) and
-- hash-chained exactly like the one chain was; `server audit verify` walks every lane. Rows written
-- before this migration are lane 0's beginning (their place is their id, `lane_seq` left NULL rather
-- than rewriting them).

ALTER TABLE audit_events
    ADD COLUMN lane smallint NOT NULL DEFAULT 0 CHECK (lane BETWEEN 0 AND 15),
    ADD COLUMN lane_seq bigint CHECK (lane_seq > 0);

-- ids still order the whole trail (a row's id is drawn while its lane is locked, so within a lane
-- ids follow the chain); across lanes they may have gaps
CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;
SELECT setval('audit_events_id_seq', coalesce((SELECT max(id) FROM audit_events), 0) + 1, false);

-- one row per place in a lane (a fork of a lane's chain is refused), and each append's look-up of
-- its lane's last row
CREATE UNIQUE INDEX audit_events_lane_place ON audit_events (lane, (coalesce(lane_seq, id)));

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
    -- the lane this transaction already appends to, if any
    lane_no smallint := nullif(current_setting('audit.lane', true), '')::smallint;
    last_row audit_events%ROWTYPE;
    old_timeout text;
BEGIN
    -- the remembered lane must really be held by this transaction (re-taking it is free)
    IF lane_no IS NOT NULL
       AND NOT pg_try_advisory_xact_lock(hashtext('audit_events_chain'), lane_no) THEN
        lane_no := NULL;
    END IF;
    IF lane_no IS NULL THEN
        -- Serialise appends to one lane only; held until the inserting transaction ends. A free
        -- lane is taken without waiting: a transaction holding one lane while another connection
        -- of the same request appends (a refusal recorded on its own connection) cannot wait on it.
        FOR i IN 0..15 LOOP
            IF pg_try_advisory_xact_lock(hashtext('audit_events_chain'), (pg_backend_pid() + i) % 16) THEN
                lane_no := (pg_backend_pid() + i) % 16;
                EXIT;
            END IF;
        END LOOP;
        IF lane_no IS NULL THEN
            -- all sixteen taken: wait for one, but never forever (that wait could be on this very
            -- request's other connection); a timeout fails the append with lock_not_available
            lane_no := pg_backend_pid() % 16;
            old_timeout := current_setting('lock_timeout');
            PERFORM set_config('lock_timeout', '5s', true);
            PERFORM pg_advisory_xact_lock(hashtext('audit_events_chain'), lane_no);
            PERFORM set_config('lock_timeout', old_timeout, true);
        END IF;
        PERFORM set_config('audit.lane', lane_no::text, true);
    END IF;
    SELECT * INTO last_row FROM audit_events
     WHERE lane = lane_no ORDER BY coalesce(lane_seq, id) DESC LIMIT 1;
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
