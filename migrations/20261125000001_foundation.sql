-- Foundation: the practice, users and their sessions, login throttling, and the audit trail.

CREATE EXTENSION IF NOT EXISTS citext;

-- One deployment serves one practice: a single-row table.
CREATE TABLE practice (
    id                   boolean PRIMARY KEY DEFAULT true CHECK (id),
    name                 text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    time_zone            text NOT NULL DEFAULT 'America/New_York' CHECK (length(time_zone) BETWEEN 1 AND 64),
    idle_timeout_minutes integer NOT NULL DEFAULT 15 CHECK (idle_timeout_minutes BETWEEN 5 AND 120),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO practice (name) VALUES ('My practice');

CREATE TYPE user_role AS ENUM ('admin', 'clinician', 'intern', 'supervisor', 'front_desk', 'biller');

CREATE TABLE users (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email                 citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    display_name          text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 120),
    role                  user_role NOT NULL,
    password_hash         text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    -- set when an admin issued the password: the user is asked to choose their own
    must_change_password  boolean NOT NULL DEFAULT false,
    active                boolean NOT NULL DEFAULT true,
    failed_logins         integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until          timestamptz,
    password_changed_at   timestamptz NOT NULL DEFAULT now(),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_role_idx ON users (role) WHERE active;

-- A signed-in browser or API client. The JWT's jti names a row here; deleting it signs that client out.
CREATE TABLE sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ip            inet,
    user_agent    text CHECK (length(user_agent) <= 512),
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Every login attempt by source address, for per-IP rate limiting shared by all replicas.
CREATE TABLE login_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ip          inet,
    attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_ip_time_idx ON login_attempts (ip, attempted_at);

-- The audit trail: append-only and hash-chained. Each row's hash covers its content and the previous
-- row's hash, so editing or removing a row (even by a superuser with triggers off) breaks the chain.
CREATE TABLE audit_events (
    id           bigint PRIMARY KEY,          -- assigned in chain order by the trigger below
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid REFERENCES users (id),
    action       text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    entity_type  text CHECK (length(entity_type) <= 64),
    entity_id    text CHECK (length(entity_id) <= 64),
    client_id    uuid,
    ip           inet,
    user_agent   text CHECK (length(user_agent) <= 512),
    outcome      text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL
);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id DESC);
CREATE INDEX audit_events_client_idx ON audit_events (client_id, id DESC) WHERE client_id IS NOT NULL;
CREATE INDEX audit_events_action_idx ON audit_events (action, id DESC);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at);

-- The canonical digest of one row. Used by the insert trigger and by `server audit verify`.
CREATE FUNCTION audit_event_digest(e audit_events) RETURNS bytea
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
        ), 'UTF8'))
$$;

CREATE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_row audit_events%ROWTYPE;
BEGIN
    -- Serialise appends so the chain has one order; held until the inserting transaction ends.
    PERFORM pg_advisory_xact_lock(hashtext('audit_events_chain'));
    SELECT * INTO last_row FROM audit_events ORDER BY id DESC LIMIT 1;
    IF FOUND THEN
        NEW.id := last_row.id + 1;
        NEW.prev_hash := last_row.hash;
    ELSE
        NEW.id := 1;
        NEW.prev_hash := '\x'::bytea;
    END IF;
    NEW.occurred_at := date_trunc('microseconds', clock_timestamp());
    NEW.hash := audit_event_digest(NEW);
    RETURN NEW;
END $$;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
