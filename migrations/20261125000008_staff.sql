-- Staff profiles: identifiers for billing, scheduling defaults, licenses and weekly working hours.

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE staff_profiles
    ADD COLUMN npi                     text CHECK (npi ~ '^[0-9]{10}$'),
    ADD COLUMN taxonomy_code           text CHECK (taxonomy_code ~ '^[0-9A-Z]{9}X$'),
    ADD COLUMN default_session_minutes integer NOT NULL DEFAULT 53 CHECK (default_session_minutes BETWEEN 10 AND 240),
    ADD COLUMN calendar_color          text NOT NULL DEFAULT '#2f5d8a' CHECK (calendar_color ~ '^#[0-9a-f]{6}$'),
    -- notes of this person need a supervisor's co-signature (interns always; others when marked)
    ADD COLUMN requires_cosign         boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX staff_profiles_npi_key ON staff_profiles (npi) WHERE npi IS NOT NULL;

-- Professional licenses; a person may hold several (states, kinds).
CREATE TABLE staff_licenses (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id),
    license_type    text NOT NULL CHECK (license_type ~ '^[A-Za-z][A-Za-z0-9 .-]{0,19}$'),
    license_number  text NOT NULL CHECK (license_number ~ '^[A-Z0-9.-]{2,30}$'),
    state           char(2) NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    expires_on      date NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT staff_licenses_once UNIQUE (state, license_type, license_number)
);
CREATE INDEX staff_licenses_user_idx ON staff_licenses (user_id) WHERE active;
CREATE INDEX staff_licenses_expiry_idx ON staff_licenses (expires_on) WHERE active;

-- Wall-clock time ranges, for weekly hours that must not overlap.
CREATE TYPE timerange AS RANGE (subtype = time);

-- Weekly working hours per location (ISO weekday: 1 = Monday).
CREATE TABLE staff_working_hours (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id),
    location_id  uuid NOT NULL REFERENCES locations (id),
    weekday      smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts_at    time NOT NULL,
    ends_at      time NOT NULL,
    CHECK (ends_at > starts_at),
    -- one person is in one place at a time
    CONSTRAINT staff_working_hours_no_overlap EXCLUDE USING gist (
        user_id WITH =, weekday WITH =, timerange(starts_at, ends_at) WITH &&
    )
);
CREATE INDEX staff_working_hours_user_idx ON staff_working_hours (user_id, weekday, starts_at);
