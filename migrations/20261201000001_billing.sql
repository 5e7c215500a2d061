-- Billing, part 1: service codes and fees, charges that only a signed session can make, claims
-- with their history, and 837P batches stored byte for byte.

-- The practice as billing provider (837P loop 2010AA) and as submitter (1000A, ISA06).
ALTER TABLE practice
    ADD COLUMN billing_taxonomy  text CHECK (billing_taxonomy ~ '^[0-9A-Z]{9}X$'),
    ADD COLUMN billing_address   text CHECK (length(btrim(billing_address)) BETWEEN 1 AND 55),
    ADD COLUMN billing_city      text CHECK (length(btrim(billing_city)) BETWEEN 1 AND 30),
    ADD COLUMN billing_state     char(2) CHECK (billing_state ~ '^[A-Z]{2}$'),
    -- claims need ZIP+4 here; the form refuses a bare five-digit ZIP
    ADD COLUMN billing_zip       text CHECK (billing_zip ~ '^[0-9]{5}-[0-9]{4}$'),
    ADD COLUMN billing_phone     text CHECK (billing_phone ~ '^\+1[2-9][0-9]{9}$'),
    ADD COLUMN submitter_id      text CHECK (submitter_id ~ '^[A-Z0-9]{2,15}$');

-- Some payers want the supervising clinician as rendering provider on an intern's claims.
ALTER TABLE payers
    ADD COLUMN supervisor_renders_for_interns boolean NOT NULL DEFAULT false;

-- A client who pays for their sessions themselves: their charges go on no claim.
ALTER TABLE clients
    ADD COLUMN self_pay boolean NOT NULL DEFAULT false;

-- CPT/HCPCS codes the practice bills, with our own short descriptions (not the licensed text).
CREATE TABLE service_codes (
    code               text PRIMARY KEY CHECK (code ~ '^[0-9]{4}[0-9A-Z]$'),
    description        text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 80),
    -- the documented minutes a time-based code needs; NULL when the code is not timed
    min_minutes        integer CHECK (min_minutes BETWEEN 1 AND 480),
    max_minutes        integer CHECK (max_minutes BETWEEN 1 AND 480),
    -- billed only with a primary code on the same claim (90785, 90840, 90833 …)
    add_on             boolean NOT NULL DEFAULT false,
    default_fee_cents  bigint NOT NULL CHECK (default_fee_cents BETWEEN 0 AND 100000000),
    active             boolean NOT NULL DEFAULT true,
    CHECK (max_minutes IS NULL OR (min_minutes IS NOT NULL AND max_minutes >= min_minutes))
);

INSERT INTO service_codes (code, description, min_minutes, max_minutes, add_on, default_fee_cents) VALUES
    ('90791', 'Diagnostic evaluation', NULL, NULL, false, 20000),
    ('90792', 'Diagnostic evaluation with medical services', NULL, NULL, false, 25000),
    ('90832', 'Psychotherapy, 30 minutes', 16, 37, false, 8500),
    ('90834', 'Psychotherapy, 45 minutes', 38, 52, false, 12000),
    ('90837', 'Psychotherapy, 60 minutes', 53, NULL, false, 16000),
    ('90839', 'Crisis psychotherapy, first 60 minutes', 30, 74, false, 18000),
    ('90840', 'Crisis psychotherapy, each added 30 minutes', NULL, NULL, true, 8000),
    ('90846', 'Family psychotherapy without the client', 26, NULL, false, 13000),
    ('90847', 'Family psychotherapy with the client', 26, NULL, false, 14000),
    ('90853', 'Group psychotherapy', NULL, NULL, false, 6000),
    ('90785', 'Interactive complexity (add-on)', NULL, NULL, true, 2500),
    ('90833', 'Psychotherapy with E/M, 30 minutes (add-on)', 16, 37, true, 7500),
    ('90836', 'Psychotherapy with E/M, 45 minutes (add-on)', 38, 52, true, 10000),
    ('90838', 'Psychotherapy with E/M, 60 minutes (add-on)', 53, NULL, true, 13000),
    ('96127', 'Brief emotional/behavioral assessment, per instrument', NULL, NULL, false, 1000);

-- What a payer has contracted to pay per code, from a date (until the next amount, or an end date).
CREATE TABLE payer_fees (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payer_id        uuid NOT NULL REFERENCES payers (id),
    code            text NOT NULL REFERENCES service_codes (code),
    amount_cents    bigint NOT NULL CHECK (amount_cents BETWEEN 0 AND 100000000),
    effective_from  date NOT NULL,
    effective_to    date,
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (effective_to IS NULL OR effective_to >= effective_from),
    CONSTRAINT payer_fees_no_overlap EXCLUDE USING gist (
        payer_id WITH =, code WITH =, daterange(effective_from, effective_to, '[]') WITH &&
    )
);

-- The code a session of this type is billed with unless the biller picks another.
ALTER TABLE appointment_types
    ADD COLUMN service_code text REFERENCES service_codes (code);

-- One billed service of one client's session. Only a completed appointment documented by a signed
-- (and, where required, co-signed) progress or intake note of that client can have one: the trigger
-- below refuses any other row, whoever writes it.
CREATE TABLE charges (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id         uuid NOT NULL REFERENCES appointments (id),
    client_id              uuid NOT NULL REFERENCES clients (id),
    note_id                uuid NOT NULL REFERENCES clinical_notes (id),
    service_date           date NOT NULL,
    service_code           text NOT NULL REFERENCES service_codes (code),
    -- up to four two-character modifiers (95, GT, HO …), in claim order
    modifiers              text[] NOT NULL DEFAULT '{}'
                           CHECK (cardinality(modifiers) <= 4
                                  AND array_to_string(modifiers, '') ~ '^([A-Z0-9]{2})*$'
                                  AND array_position(modifiers, NULL) IS NULL),
    units                  integer NOT NULL CHECK (units BETWEEN 1 AND 99),
    unit_fee_cents         bigint NOT NULL CHECK (unit_fee_cents BETWEEN 0 AND 100000000),
    amount_cents           bigint GENERATED ALWAYS AS (unit_fee_cents * units) STORED,
    -- the client's current diagnoses, primary first; claim lines point at the first four
    diagnosis_codes        text[] NOT NULL CHECK (cardinality(diagnosis_codes) BETWEEN 1 AND 12
                                                  AND array_position(diagnosis_codes, NULL) IS NULL),
    -- the minutes the session lasted, as documented (the code check reads them)
    documented_minutes     integer NOT NULL CHECK (documented_minutes BETWEEN 1 AND 720),
    clinician_id           uuid NOT NULL REFERENCES users (id),
    rendering_provider_id  uuid NOT NULL REFERENCES users (id),
    place_of_service       text NOT NULL CHECK (place_of_service ~ '^[0-9]{2}$'),
    -- NULL for a self-pay client: such a charge never goes on a claim
    policy_id              uuid REFERENCES insurance_policies (id),
    prior_auth_id          uuid REFERENCES prior_authorizations (id),
    client_share_cents     bigint NOT NULL CHECK (client_share_cents >= 0),
    created_by             uuid NOT NULL REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (client_share_cents <= unit_fee_cents * units),
    CHECK (prior_auth_id IS NULL OR policy_id IS NOT NULL),
    CONSTRAINT charges_once_per_code UNIQUE (appointment_id, client_id, service_code)
);
CREATE INDEX charges_client_idx ON charges (client_id, service_date DESC);
CREATE INDEX charges_appointment_idx ON charges (appointment_id);
CREATE INDEX charges_clinician_idx ON charges (clinician_id, service_date DESC);
CREATE INDEX charges_policy_idx ON charges (policy_id) WHERE policy_id IS NOT NULL;
CREATE INDEX charges_prior_auth_idx ON charges (prior_auth_id) WHERE prior_auth_id IS NOT NULL;

CREATE FUNCTION charges_require_signed_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1
       FROM clinical_notes n
       JOIN appointments a ON a.id = n.appointment_id
       JOIN appointment_clients ac ON ac.appointment_id = a.id AND ac.client_id = NEW.client_id
      WHERE n.id = NEW.note_id
        AND n.appointment_id = NEW.appointment_id
        AND n.client_id = NEW.client_id
        AND n.kind IN ('progress', 'intake')
        AND n.status = 'signed'
        AND a.status = 'completed';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'a charge needs a completed appointment with a signed note of its client'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'charges_signed_note';
    END IF;
    PERFORM 1 FROM unnest(NEW.diagnosis_codes) AS d(code)
      WHERE NOT EXISTS (SELECT 1 FROM icd10_codes i WHERE i.code = d.code AND i.billable);
    IF FOUND THEN
        RAISE EXCEPTION 'a charge names only billable ICD-10-CM codes'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'charges_billable_diagnoses';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER charges_require_signed_note BEFORE INSERT OR UPDATE ON charges
    FOR EACH ROW EXECUTE FUNCTION charges_require_signed_note();

-- Name the visits check, so that a charge past the authorized visits is explained in a sentence.
ALTER TABLE prior_authorizations
    RENAME CONSTRAINT prior_authorizations_check1 TO prior_authorizations_visits_left;

-- One submission to a payer: an X12 837P interchange. The control number is ISA13, GS06 and ST02
-- (unique and increasing); the file is kept exactly as generated and never changes.
CREATE SEQUENCE claim_batch_control_seq START 1 MAXVALUE 999999999 NO CYCLE;
CREATE TABLE claim_batches (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    payer_id        uuid NOT NULL REFERENCES payers (id),
    control_number  integer NOT NULL UNIQUE DEFAULT nextval('claim_batch_control_seq')
                    CHECK (control_number BETWEEN 1 AND 999999999),
    file            bytea NOT NULL CHECK (length(file) > 0),
    claim_count     integer NOT NULL CHECK (claim_count BETWEEN 1 AND 5000),
    total_cents     bigint NOT NULL CHECK (total_cents >= 0),
    status          text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'rejected')),
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_batches_payer_idx ON claim_batches (payer_id, created_at DESC);

CREATE FUNCTION claim_batches_file_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.file IS DISTINCT FROM OLD.file OR NEW.control_number <> OLD.control_number THEN
        RAISE EXCEPTION 'a submitted batch file never changes'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_batches_file_fixed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER claim_batches_file_fixed BEFORE UPDATE ON claim_batches
    FOR EACH ROW EXECUTE FUNCTION claim_batches_file_fixed();
CREATE TRIGGER claim_batches_no_delete BEFORE DELETE ON claim_batches
    FOR EACH ROW EXECUTE FUNCTION claim_batches_file_fixed();

-- CLM01: the patient control number the payer echoes back on the 835.
CREATE SEQUENCE claim_number_seq START 100001;

-- A claim: one client, one policy (so one payer) and one rendering provider; its lines are charges.
-- Its total is always the sum of its lines (computed, never stored).
CREATE TABLE claims (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    claim_number           text NOT NULL UNIQUE DEFAULT ('MS' || nextval('claim_number_seq')),
    client_id              uuid NOT NULL REFERENCES clients (id),
    policy_id              uuid NOT NULL REFERENCES insurance_policies (id),
    payer_id               uuid NOT NULL REFERENCES payers (id),
    rendering_provider_id  uuid NOT NULL REFERENCES users (id),
    status                 text NOT NULL DEFAULT 'draft' CHECK (status IN (
                               'draft', 'ready', 'submitted', 'accepted', 'rejected', 'paid',
                               'partially_paid', 'denied', 'appealed', 'closed', 'void')),
    -- 1 original, 7 replacement (corrected), 8 void of an earlier claim (REF*F8)
    frequency              text NOT NULL DEFAULT '1' CHECK (frequency IN ('1', '7', '8')),
    original_claim_id      uuid REFERENCES claims (id),
    batch_id               uuid REFERENCES claim_batches (id),
    created_by             uuid NOT NULL REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK ((frequency = '1') = (original_claim_id IS NULL)),
    CHECK (status IN ('draft', 'ready', 'void') OR batch_id IS NOT NULL)
);
CREATE INDEX claims_status_idx ON claims (status, payer_id);
CREATE INDEX claims_client_idx ON claims (client_id);
CREATE INDEX claims_batch_idx ON claims (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX claims_created_idx ON claims (created_at DESC, claim_number DESC);

CREATE TABLE claim_lines (
    claim_id     uuid NOT NULL REFERENCES claims (id),
    line_number  integer NOT NULL CHECK (line_number BETWEEN 1 AND 50),
    charge_id    uuid NOT NULL REFERENCES charges (id),
    PRIMARY KEY (claim_id, line_number),
    CONSTRAINT claim_lines_charge_once UNIQUE (claim_id, charge_id)
);
CREATE INDEX claim_lines_charge_idx ON claim_lines (charge_id);

-- A charge is on one live original claim at most (a corrected or void claim repeats its lines).
CREATE FUNCTION claim_lines_charge_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1
       FROM claim_lines l
       JOIN claims c ON c.id = l.claim_id
       JOIN claims mine ON mine.id = NEW.claim_id
      WHERE l.charge_id = NEW.charge_id AND l.claim_id <> NEW.claim_id
        AND c.status <> 'void' AND c.frequency = '1' AND mine.frequency = '1';
    IF FOUND THEN
        RAISE EXCEPTION 'a charge is on one live claim'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_lines_charge_once';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER claim_lines_charge_once BEFORE INSERT OR UPDATE ON claim_lines
    FOR EACH ROW EXECUTE FUNCTION claim_lines_charge_once();

-- Every status change of a claim, with who, when and why.
CREATE TABLE claim_status_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id     uuid NOT NULL REFERENCES claims (id),
    from_status  text,
    to_status    text NOT NULL,
    reason       text CHECK (length(reason) <= 300),
    changed_by   uuid REFERENCES users (id),
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_status_history_claim_idx ON claim_status_history (claim_id, changed_at);

-- the biller's queue: completed sessions, oldest first
CREATE INDEX appointments_completed_time_idx ON appointments (starts_at) WHERE status = 'completed';
