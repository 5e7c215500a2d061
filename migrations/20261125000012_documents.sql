-- Clinical documentation: notes that are drafted, signed and locked; addenda; co-signature by a
-- supervisor; psychotherapy notes kept apart from the record; scored measures (PHQ-9, GAD-7).
--
-- Clinical text is encrypted by the application (AES-256-GCM, `app::crypto`): these tables hold only
-- ciphertext (nonce ‖ ciphertext ‖ tag, sealed to the row's id) and the id of the key that made it, so
-- keys can be rotated (`server keys rotate`). Metadata (who, which client, when, status) stays plain
-- for billing and lists.

ALTER TABLE practice
    ADD COLUMN default_note_format text NOT NULL DEFAULT 'soap' CHECK (default_note_format IN ('soap', 'dap', 'birp')),
    -- a progress note is due this many hours after its appointment ends
    ADD COLUMN note_due_hours integer NOT NULL DEFAULT 72 CHECK (note_due_hours BETWEEN 1 AND 720);

CREATE DOMAIN data_key_id AS text CHECK (VALUE ~ '^[0-9a-f]{16}$');
CREATE DOMAIN sealed AS bytea CHECK (length(VALUE) >= 28);  -- 12-byte nonce + 16-byte tag at least
CREATE DOMAIN sha256_digest AS bytea CHECK (length(VALUE) = 32);

CREATE TABLE clinical_notes (
    -- made by the service (gen_random_uuid) before the content is sealed to it
    id              uuid PRIMARY KEY,
    client_id       uuid NOT NULL REFERENCES clients (id),
    appointment_id  uuid REFERENCES appointments (id),
    author_id       uuid NOT NULL REFERENCES users (id),
    kind            text NOT NULL CHECK (kind IN ('intake', 'progress', 'treatment_plan', 'discharge', 'contact', 'cancellation')),
    format          text CHECK (format IN ('soap', 'dap', 'birp')),
    service_date    date NOT NULL,
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'awaiting_cosign', 'returned', 'signed')),
    content         sealed NOT NULL,
    key_id          data_key_id NOT NULL,
    -- bumped by every save: a save from an older revision (another tab) is refused
    revision        integer NOT NULL DEFAULT 1 CHECK (revision > 0),
    -- sha256(id ‖ signer ‖ plaintext) when signed
    content_sha256  sha256_digest,
    signed_by       uuid REFERENCES users (id),
    signed_at       timestamptz,
    -- the supervisor whose co-signature the note waits for (or received)
    cosigner_id     uuid REFERENCES users (id),
    cosigned_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'progress') = (format IS NOT NULL)),
    CHECK (kind NOT IN ('progress', 'cancellation') OR appointment_id IS NOT NULL),
    CHECK (status IN ('draft', 'returned')
           OR (signed_by IS NOT NULL AND signed_at IS NOT NULL AND content_sha256 IS NOT NULL)),
    CHECK (status <> 'awaiting_cosign' OR cosigner_id IS NOT NULL),
    CHECK (cosigned_at IS NULL OR (status = 'signed' AND cosigner_id IS NOT NULL))
);
CREATE INDEX clinical_notes_client_idx ON clinical_notes (client_id, service_date DESC);
CREATE INDEX clinical_notes_author_idx ON clinical_notes (author_id, status);
CREATE INDEX clinical_notes_appointment_idx ON clinical_notes (appointment_id) WHERE appointment_id IS NOT NULL;
-- sessions still to document: a clinician's completed appointments
CREATE INDEX appointments_completed_idx ON appointments (clinician_id, ends_at) WHERE status = 'completed';
CREATE INDEX clinical_notes_cosign_queue_idx ON clinical_notes (cosigner_id) WHERE status = 'awaiting_cosign';

-- Snapshots of a draft as it was written (at most one per few minutes, and one at signing).
CREATE TABLE clinical_note_versions (
    note_id   uuid NOT NULL REFERENCES clinical_notes (id) ON DELETE CASCADE,
    revision  integer NOT NULL,
    content   sealed NOT NULL,
    key_id    data_key_id NOT NULL,
    saved_by  uuid NOT NULL REFERENCES users (id),
    saved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (note_id, revision)
);

-- Changes after signing: each addendum is signed when written and never changes.
CREATE TABLE note_addenda (
    id              uuid PRIMARY KEY,
    note_id         uuid NOT NULL REFERENCES clinical_notes (id),
    author_id       uuid NOT NULL REFERENCES users (id),
    content         sealed NOT NULL,
    key_id          data_key_id NOT NULL,
    content_sha256  sha256_digest NOT NULL,
    signed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX note_addenda_note_idx ON note_addenda (note_id, signed_at);

-- A supervisor's decision on a note waiting for co-signature (a returned note carries a comment).
CREATE TABLE note_reviews (
    id           uuid PRIMARY KEY,
    note_id      uuid NOT NULL REFERENCES clinical_notes (id),
    reviewer_id  uuid NOT NULL REFERENCES users (id),
    decision     text NOT NULL CHECK (decision IN ('approved', 'returned')),
    comment      sealed,
    key_id       data_key_id,
    decided_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((comment IS NULL) = (key_id IS NULL)),
    CHECK (decision = 'approved' OR comment IS NOT NULL)
);
CREATE INDEX note_reviews_note_idx ON note_reviews (note_id, decided_at);

-- Psychotherapy (process) notes: apart from the record, read only by their author, never exported
-- or billed.
CREATE TABLE psychotherapy_notes (
    id              uuid PRIMARY KEY,
    client_id       uuid NOT NULL REFERENCES clients (id),
    author_id       uuid NOT NULL REFERENCES users (id),
    appointment_id  uuid REFERENCES appointments (id),
    content         sealed NOT NULL,
    key_id          data_key_id NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX psychotherapy_notes_author_idx ON psychotherapy_notes (author_id, client_id, created_at DESC);

-- Re-encryption under a new key is the one change allowed to sealed values of locked rows; the
-- rotation command announces it for its transaction (SET LOCAL mentalspace.rekey = 'on').
CREATE FUNCTION rekeying() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('mentalspace.rekey', true), '') = 'on'
$$;

CREATE FUNCTION clinical_notes_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'a signed clinical note cannot be deleted' USING ERRCODE = 'restrict_violation',
                CONSTRAINT = 'clinical_notes_locked';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status IN ('awaiting_cosign', 'signed') THEN
        IF (NEW.content, NEW.key_id) IS DISTINCT FROM (OLD.content, OLD.key_id)
           AND NOT (rekeying() AND NEW.key_id <> OLD.key_id) THEN
            RAISE EXCEPTION 'a signed clinical note''s content cannot change' USING ERRCODE = 'restrict_violation',
                CONSTRAINT = 'clinical_notes_locked';
        END IF;
        IF (NEW.client_id, NEW.appointment_id, NEW.author_id, NEW.kind, NEW.format, NEW.service_date, NEW.revision)
           IS DISTINCT FROM
           (OLD.client_id, OLD.appointment_id, OLD.author_id, OLD.kind, OLD.format, OLD.service_date, OLD.revision) THEN
            RAISE EXCEPTION 'a signed clinical note cannot change' USING ERRCODE = 'restrict_violation',
                CONSTRAINT = 'clinical_notes_locked';
        END IF;
        -- signed is final; a note awaiting co-signature is approved (signed) or returned to its author
        IF OLD.status = 'signed' AND (NEW.status, NEW.content_sha256, NEW.signed_by, NEW.signed_at, NEW.cosigner_id, NEW.cosigned_at)
           IS DISTINCT FROM (OLD.status, OLD.content_sha256, OLD.signed_by, OLD.signed_at, OLD.cosigner_id, OLD.cosigned_at) THEN
            RAISE EXCEPTION 'a signed clinical note cannot change' USING ERRCODE = 'restrict_violation',
                CONSTRAINT = 'clinical_notes_locked';
        END IF;
        IF OLD.status = 'awaiting_cosign' AND NEW.status = 'draft' THEN
            RAISE EXCEPTION 'a note awaiting co-signature is approved or returned' USING ERRCODE = 'restrict_violation',
                CONSTRAINT = 'clinical_notes_locked';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER clinical_notes_lock BEFORE UPDATE OR DELETE ON clinical_notes
    FOR EACH ROW EXECUTE FUNCTION clinical_notes_lock();

-- Versions, addenda and reviews are written once: only a re-encryption may touch them, and only
-- a discarded draft's versions may go.
CREATE FUNCTION sealed_rows_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF TG_TABLE_NAME = 'clinical_note_versions'
           AND NOT EXISTS (SELECT 1 FROM clinical_notes n WHERE n.id = OLD.note_id AND n.status <> 'draft') THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '% rows cannot be deleted', TG_TABLE_NAME USING ERRCODE = 'restrict_violation',
            CONSTRAINT = 'clinical_notes_locked';
    END IF;
    IF rekeying() AND NEW.key_id IS DISTINCT FROM OLD.key_id
       AND (to_jsonb(NEW) - 'content' - 'comment' - 'key_id') = (to_jsonb(OLD) - 'content' - 'comment' - 'key_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows cannot change', TG_TABLE_NAME USING ERRCODE = 'restrict_violation',
        CONSTRAINT = 'clinical_notes_locked';
END $$;
CREATE TRIGGER clinical_note_versions_write_once BEFORE UPDATE OR DELETE ON clinical_note_versions
    FOR EACH ROW EXECUTE FUNCTION sealed_rows_write_once();
CREATE TRIGGER note_addenda_write_once BEFORE UPDATE OR DELETE ON note_addenda
    FOR EACH ROW EXECUTE FUNCTION sealed_rows_write_once();
CREATE TRIGGER note_reviews_write_once BEFORE UPDATE OR DELETE ON note_reviews
    FOR EACH ROW EXECUTE FUNCTION sealed_rows_write_once();

-- Addenda belong to signed notes only.
CREATE FUNCTION note_addenda_need_signed_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM clinical_notes n WHERE n.id = NEW.note_id AND n.status = 'signed') THEN
        RAISE EXCEPTION 'an addendum is added to a signed note' USING ERRCODE = 'check_violation',
            CONSTRAINT = 'note_addenda_signed_note';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER note_addenda_signed_note BEFORE INSERT ON note_addenda
    FOR EACH ROW EXECUTE FUNCTION note_addenda_need_signed_note();

-- Scored measures. The total is checked against the answers; the severity band is the service's.
CREATE FUNCTION measure_total(answers smallint[]) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(sum(a), 0)::integer FROM unnest(answers) AS a
$$;

CREATE TABLE measure_results (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id        uuid NOT NULL REFERENCES clients (id),
    instrument       text NOT NULL CHECK (instrument IN ('phq9', 'gad7')),
    answers          smallint[] NOT NULL,
    total            integer NOT NULL,
    severity         text NOT NULL CHECK (length(severity) BETWEEN 1 AND 40),
    administered_on  date NOT NULL,
    appointment_id   uuid REFERENCES appointments (id),
    entered_by       uuid NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (cardinality(answers) = CASE instrument WHEN 'phq9' THEN 9 ELSE 7 END),
    CHECK (0 <= ALL (answers) AND 3 >= ALL (answers)),
    CHECK (total = measure_total(answers))
);
CREATE INDEX measure_results_client_idx ON measure_results (client_id, instrument, administered_on);

-- Alerts for a clinician that need their eyes (PHQ-9 item 9 above zero), until they acknowledge them.
CREATE TABLE clinical_alerts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id),
    client_id        uuid NOT NULL REFERENCES clients (id),
    kind             text NOT NULL CHECK (kind IN ('phq9_item9')),
    measure_id       uuid REFERENCES measure_results (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz
);
CREATE INDEX clinical_alerts_open_idx ON clinical_alerts (user_id, created_at DESC) WHERE acknowledged_at IS NULL;
