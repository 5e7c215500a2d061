-- Clients (the people the practice serves), their status history and care team, and the staff
-- supervision relationship that the caseload rules need.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Who supervises whom (interns and pre-licensed clinicians). The rest of the staff profile comes later.
CREATE TABLE staff_profiles (
    user_id        uuid PRIMARY KEY REFERENCES users (id),
    supervisor_id  uuid REFERENCES users (id),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (supervisor_id IS DISTINCT FROM user_id)
);
CREATE INDEX staff_profiles_supervisor_idx ON staff_profiles (supervisor_id) WHERE supervisor_id IS NOT NULL;

CREATE TYPE client_status AS ENUM ('inquiry', 'waitlist', 'active', 'inactive', 'discharged');

CREATE SEQUENCE client_chart_number_seq START 1001;

CREATE TABLE clients (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chart_number           text NOT NULL UNIQUE DEFAULT ('C' || nextval('client_chart_number_seq')),
    legal_first_name       text NOT NULL CHECK (length(btrim(legal_first_name)) BETWEEN 1 AND 80),
    legal_last_name        text NOT NULL CHECK (length(btrim(legal_last_name)) BETWEEN 1 AND 80),
    preferred_name         text CHECK (length(preferred_name) <= 80),
    pronouns               text CHECK (length(pronouns) <= 40),
    date_of_birth          date NOT NULL CHECK (date_of_birth >= '1900-01-01'),
    sex_assigned_at_birth  text CHECK (sex_assigned_at_birth IN ('female', 'male', 'intersex', 'unknown', 'declined')),
    gender_identity        text CHECK (length(gender_identity) <= 60),
    phone_mobile           text CHECK (phone_mobile ~ '^\+1[2-9][0-9]{9}$'),
    phone_home             text CHECK (phone_home ~ '^\+1[2-9][0-9]{9}$'),
    phone_work             text CHECK (phone_work ~ '^\+1[2-9][0-9]{9}$'),
    sms_consent            boolean NOT NULL DEFAULT false,
    voicemail_consent      boolean NOT NULL DEFAULT false,
    email                  citext CHECK (email LIKE '%_@_%.__%'),
    email_consent          boolean NOT NULL DEFAULT false,
    address_line1          text CHECK (length(address_line1) <= 120),
    address_line2          text CHECK (length(address_line2) <= 120),
    city                   text CHECK (length(city) <= 80),
    state                  char(2) CHECK (state ~ '^[A-Z]{2}$'),
    zip                    text CHECK (zip ~ '^[0-9]{5}(-[0-9]{4})?$'),
    preferred_contact      text NOT NULL DEFAULT 'phone' CHECK (preferred_contact IN ('phone', 'sms', 'email', 'mail')),
    preferred_language     text NOT NULL DEFAULT 'English' CHECK (length(preferred_language) BETWEEN 1 AND 40),
    status                 client_status NOT NULL DEFAULT 'inquiry',
    primary_clinician_id   uuid REFERENCES users (id),
    referral_source        text CHECK (length(referral_source) <= 120),
    -- set when an admin merged this duplicate into another record; the row and its history stay
    merged_into_id         uuid REFERENCES clients (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    -- consent to text needs a mobile number; consent to email needs an address
    CHECK (NOT sms_consent OR phone_mobile IS NOT NULL),
    CHECK (NOT email_consent OR email IS NOT NULL),
    CHECK (merged_into_id IS DISTINCT FROM id),
    -- what typo-tolerant search matches names against
    search_name text GENERATED ALWAYS AS (
        lower(legal_first_name || ' ' || legal_last_name || coalesce(' ' || preferred_name, ''))
    ) STORED
);
CREATE INDEX clients_search_name_trgm_idx ON clients USING gin (search_name gin_trgm_ops);
CREATE INDEX clients_dob_idx ON clients (date_of_birth);
-- a phone search looks in all three numbers: each needs its index for the planner's BitmapOr
CREATE INDEX clients_phone_mobile_idx ON clients (phone_mobile) WHERE phone_mobile IS NOT NULL;
CREATE INDEX clients_phone_home_idx ON clients (phone_home) WHERE phone_home IS NOT NULL;
CREATE INDEX clients_phone_work_idx ON clients (phone_work) WHERE phone_work IS NOT NULL;
CREATE INDEX clients_email_idx ON clients (email) WHERE email IS NOT NULL;
CREATE INDEX clients_primary_clinician_idx ON clients (primary_clinician_id, status);
CREATE INDEX clients_status_name_idx ON clients (status, legal_last_name, legal_first_name);
CREATE INDEX clients_name_idx ON clients (legal_last_name, legal_first_name, id);
CREATE INDEX clients_chart_order_idx ON clients (length(chart_number), chart_number);
CREATE INDEX clients_created_idx ON clients (created_at DESC, id);

-- Every status change, with who, when and why. "discharged" needs a reason.
CREATE TABLE client_status_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id   uuid NOT NULL REFERENCES clients (id),
    from_status client_status,
    to_status   client_status NOT NULL,
    reason      text CHECK (length(reason) <= 500),
    changed_by  uuid REFERENCES users (id),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (to_status <> 'discharged' OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE INDEX client_status_history_client_idx ON client_status_history (client_id, changed_at DESC);

-- Staff besides the primary clinician who work with a client.
CREATE TABLE client_care_team (
    client_id  uuid NOT NULL REFERENCES clients (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, user_id)
);
CREATE INDEX client_care_team_user_idx ON client_care_team (user_id);
