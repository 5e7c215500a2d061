-- Insurance: the practice's payer list, each client's policies and their prior authorizations.

-- Payers the practice bills. `payer_code` is the electronic payer id used on claims.
CREATE TABLE payers (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    payer_code  text NOT NULL CHECK (payer_code ~ '^[A-Z0-9]{2,10}$'),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payers_payer_code_key UNIQUE (payer_code)
);

CREATE TABLE insurance_policies (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id                uuid NOT NULL REFERENCES clients (id),
    payer_id                 uuid NOT NULL REFERENCES payers (id),
    priority                 text NOT NULL CHECK (priority IN ('primary', 'secondary')),
    member_id                text NOT NULL CHECK (member_id ~ '^[A-Z0-9-]{2,30}$'),
    group_number             text CHECK (group_number ~ '^[A-Z0-9-]{1,30}$'),
    subscriber_relationship  text NOT NULL CHECK (subscriber_relationship IN ('self', 'spouse', 'child', 'other')),
    subscriber_name          text CHECK (length(btrim(subscriber_name)) BETWEEN 1 AND 120),
    subscriber_dob           date CHECK (subscriber_dob >= '1900-01-01'),
    coverage_start           date NOT NULL,
    coverage_end             date,
    copay_cents              bigint NOT NULL DEFAULT 0 CHECK (copay_cents BETWEEN 0 AND 100000000),
    deductible_cents         bigint NOT NULL DEFAULT 0 CHECK (deductible_cents BETWEEN 0 AND 100000000),
    active                   boolean NOT NULL DEFAULT true,
    created_by               uuid REFERENCES users (id),
    created_at               timestamptz NOT NULL DEFAULT now(),
    ended_by                 uuid REFERENCES users (id),
    ended_at                 timestamptz,
    CHECK (coverage_end IS NULL OR coverage_end >= coverage_start),
    -- someone else's policy names its subscriber
    CHECK (subscriber_relationship = 'self' OR (subscriber_name IS NOT NULL AND subscriber_dob IS NOT NULL)),
    CHECK (active = (ended_at IS NULL))
);
-- at most one active primary and one active secondary policy per client
CREATE UNIQUE INDEX insurance_policies_one_per_priority ON insurance_policies (client_id, priority) WHERE active;
CREATE INDEX insurance_policies_client_idx ON insurance_policies (client_id);
CREATE INDEX insurance_policies_payer_idx ON insurance_policies (payer_id);

-- Visits a payer authorized in advance, counted down as sessions are billed.
CREATE TABLE prior_authorizations (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    policy_id          uuid NOT NULL REFERENCES insurance_policies (id),
    auth_number        text NOT NULL CHECK (auth_number ~ '^[A-Z0-9-]{3,30}$'),
    visits_authorized  integer NOT NULL CHECK (visits_authorized BETWEEN 1 AND 1000),
    visits_used        integer NOT NULL DEFAULT 0 CHECK (visits_used >= 0),
    start_on           date NOT NULL,
    end_on             date NOT NULL,
    created_by         uuid REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (end_on >= start_on),
    CHECK (visits_used <= visits_authorized),
    CONSTRAINT prior_authorizations_number_once UNIQUE (policy_id, auth_number)
);
CREATE INDEX prior_authorizations_policy_idx ON prior_authorizations (policy_id, end_on DESC);
