-- Scheduling: appointment types, appointments and who attends them. PostgreSQL itself refuses a
-- double booking: no clinician, room or client has two overlapping appointments that still hold
-- their time (everything but cancelled and no-show).

-- Kinds of appointment the practice offers, with their default length and calendar colour.
CREATE TABLE appointment_types (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    default_minutes  integer NOT NULL CHECK (default_minutes BETWEEN 5 AND 480),
    color            text NOT NULL DEFAULT '#2f5d8a' CHECK (color ~ '^#[0-9a-f]{6}$'),
    -- how many clients attend at most (2 for couples, more for family and group sessions)
    max_clients      integer NOT NULL DEFAULT 1 CHECK (max_clients BETWEEN 1 AND 30),
    active           boolean NOT NULL DEFAULT true,
    CONSTRAINT appointment_types_name_key UNIQUE (name)
);

CREATE TYPE appointment_status AS ENUM
    ('scheduled', 'confirmed', 'checked_in', 'completed', 'no_show', 'cancelled');

CREATE TABLE appointments (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_type_id  uuid NOT NULL REFERENCES appointment_types (id),
    clinician_id         uuid NOT NULL REFERENCES users (id),
    location_id          uuid REFERENCES locations (id),
    room_id              uuid REFERENCES rooms (id),
    telehealth           boolean NOT NULL DEFAULT false,
    meeting_url          text CHECK (meeting_url ~ '^https://[^[:space:]]{3,300}$'),
    starts_at            timestamptz NOT NULL,
    ends_at              timestamptz NOT NULL,
    status               appointment_status NOT NULL DEFAULT 'scheduled',
    -- why it was cancelled: by the client, by the practice, or late (a fee may apply)
    cancel_kind          text CHECK (cancel_kind IN ('client', 'practice', 'late')),
    cancel_reason        text CHECK (length(cancel_reason) <= 300),
    late_fee             boolean NOT NULL DEFAULT false,
    front_desk_note      text CHECK (length(front_desk_note) <= 500),
    created_by           uuid REFERENCES users (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '12 hours'),
    CHECK ((status = 'cancelled') = (cancel_kind IS NOT NULL)),
    CHECK (NOT late_fee OR cancel_kind = 'late'),
    -- in person somewhere, or telehealth
    CHECK (telehealth OR location_id IS NOT NULL),
    CHECK (room_id IS NULL OR location_id IS NOT NULL),
    CONSTRAINT appointments_clinician_no_overlap EXCLUDE USING gist (
        clinician_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status NOT IN ('cancelled', 'no_show')),
    CONSTRAINT appointments_room_no_overlap EXCLUDE USING gist (
        room_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (room_id IS NOT NULL AND status NOT IN ('cancelled', 'no_show'))
);
-- the calendar's queries: one clinician's (or several clinicians') appointments in a date range
CREATE INDEX appointments_clinician_time_idx ON appointments (clinician_id, starts_at);
CREATE INDEX appointments_time_idx ON appointments (starts_at);

-- Who attends. The appointment's time and whether it holds its time are copied here (kept in step by
-- the triggers below) so that PostgreSQL can refuse overlapping appointments for one client too.
CREATE TABLE appointment_clients (
    appointment_id  uuid NOT NULL REFERENCES appointments (id),
    client_id       uuid NOT NULL REFERENCES clients (id),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    holds_time      boolean NOT NULL,
    PRIMARY KEY (appointment_id, client_id),
    CONSTRAINT appointments_client_no_overlap EXCLUDE USING gist (
        client_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (holds_time)
);
CREATE INDEX appointment_clients_client_idx ON appointment_clients (client_id, starts_at);

CREATE FUNCTION appointment_clients_copy_time() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.starts_at, a.ends_at, a.status NOT IN ('cancelled', 'no_show')
      INTO NEW.starts_at, NEW.ends_at, NEW.holds_time
      FROM appointments a WHERE a.id = NEW.appointment_id;
    RETURN NEW;
END $$;
CREATE TRIGGER appointment_clients_copy_time BEFORE INSERT OR UPDATE ON appointment_clients
    FOR EACH ROW EXECUTE FUNCTION appointment_clients_copy_time();

-- touching the attendance rows is enough: their BEFORE trigger copies the new time and state
CREATE FUNCTION appointments_sync_clients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE appointment_clients SET holds_time = holds_time WHERE appointment_id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER appointments_sync_clients AFTER UPDATE OF starts_at, ends_at, status ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_sync_clients();

-- Every status change of an appointment, with who, when and why.
CREATE TABLE appointment_status_history (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appointment_id  uuid NOT NULL REFERENCES appointments (id),
    from_status     appointment_status,
    to_status       appointment_status NOT NULL,
    reason          text CHECK (length(reason) <= 300),
    changed_by      uuid REFERENCES users (id),
    changed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_status_history_appointment_idx ON appointment_status_history (appointment_id, changed_at);
