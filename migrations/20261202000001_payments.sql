-- Billing, part 2: money in. Remittances (X12 835), client payments and refunds, and one ledger of
-- postings from which every balance is computed (no stored total can drift).

-- One remittance advice (an 835 transaction set) as received. The payer's trace number (TRN02) and
-- the payer's identifier (TRN03) name it: a file imported twice is recognised and posts nothing.
CREATE TABLE eras (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trace_number      text NOT NULL CHECK (length(trace_number) BETWEEN 1 AND 50),
    payer_identifier  text NOT NULL CHECK (length(payer_identifier) BETWEEN 1 AND 10),
    payer_name        text NOT NULL CHECK (length(payer_name) BETWEEN 1 AND 60),
    -- the payer on our list whose claims it pays (by N1*PR's id or REF*2U), when known
    payer_id          uuid REFERENCES payers (id),
    -- BPR02: the money sent (may be zero for an ERA of denials only)
    payment_cents     bigint NOT NULL CHECK (payment_cents >= 0),
    -- BPR04: ACH, CHK, BOP, FWT or NON
    payment_method    text NOT NULL CHECK (payment_method IN ('ACH', 'CHK', 'BOP', 'FWT', 'NON')),
    payment_date      date NOT NULL,
    file              bytea NOT NULL CHECK (length(file) > 0),
    imported_by       uuid NOT NULL REFERENCES users (id),
    imported_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT eras_once UNIQUE (payer_identifier, trace_number)
);
CREATE INDEX eras_imported_idx ON eras (imported_at DESC);
CREATE INDEX eras_payer_idx ON eras (payer_id, payment_date DESC);

-- One CLP loop: the payer's decision on one claim. `claim_id` is NULL when no claim of ours has
-- that patient control number; then `unmatched_reason` says why and nothing of it is posted.
CREATE TABLE era_claims (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    era_id                uuid NOT NULL REFERENCES eras (id),
    position              integer NOT NULL CHECK (position >= 1),
    patient_control_number text NOT NULL,
    claim_id              uuid REFERENCES claims (id),
    -- CLP02: 1/2/3 processed (primary/secondary/tertiary), 4 denied, 19-21 forwarded, 22 reversal
    status_code           text NOT NULL CHECK (status_code ~ '^[0-9]{1,2}$'),
    charge_cents          bigint NOT NULL,
    paid_cents            bigint NOT NULL,
    patient_share_cents   bigint NOT NULL,
    payer_claim_number    text NOT NULL DEFAULT '',
    patient_name          text NOT NULL DEFAULT '',
    -- MOA/MIA remark codes of the claim
    remark_codes          text[] NOT NULL DEFAULT '{}',
    unmatched_reason      text CHECK (length(unmatched_reason) <= 300),
    -- how many of its service lines matched no line we sent (they wait in the queue too)
    lines_unmatched       integer NOT NULL DEFAULT 0 CHECK (lines_unmatched >= 0),
    -- set once a later reversal (CLP02 22) undid what this one posted
    reversed_by           uuid REFERENCES era_claims (id),
    resolved_by           uuid REFERENCES users (id),
    resolved_at           timestamptz,
    resolution            text CHECK (length(resolution) <= 300),
    UNIQUE (era_id, position),
    CHECK (claim_id IS NOT NULL OR unmatched_reason IS NOT NULL),
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE INDEX era_claims_claim_idx ON era_claims (claim_id) WHERE claim_id IS NOT NULL;
-- the biller's queue: what posted nothing, or not all of it, and is not resolved yet
CREATE INDEX era_claims_queue_idx ON era_claims (era_id, position)
    WHERE resolved_at IS NULL AND (unmatched_reason IS NOT NULL OR lines_unmatched > 0);

-- One SVC loop: the payer's decision on one service line, matched to our charge.
CREATE TABLE era_lines (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    era_claim_id      uuid NOT NULL REFERENCES era_claims (id),
    position          integer NOT NULL CHECK (position >= 1),
    charge_id         uuid REFERENCES charges (id),
    procedure_code    text NOT NULL,
    modifiers         text[] NOT NULL DEFAULT '{}',
    charge_cents      bigint NOT NULL,
    paid_cents        bigint NOT NULL,
    units             integer NOT NULL,
    service_date      date,
    remark_codes      text[] NOT NULL DEFAULT '{}',
    unmatched_reason  text CHECK (length(unmatched_reason) <= 300),
    UNIQUE (era_claim_id, position),
    CHECK (charge_id IS NOT NULL OR unmatched_reason IS NOT NULL)
);
CREATE INDEX era_lines_charge_idx ON era_lines (charge_id) WHERE charge_id IS NOT NULL;

-- CAS: why the paid amount differs from the charge, on a claim or on one of its lines.
CREATE TABLE era_adjustments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    era_claim_id  uuid NOT NULL REFERENCES era_claims (id),
    era_line_id   uuid REFERENCES era_lines (id),
    group_code    text NOT NULL CHECK (group_code IN ('CO', 'PR', 'OA', 'PI', 'CR')),
    reason_code   text NOT NULL CHECK (reason_code ~ '^[A-Z0-9]{1,5}$'),
    amount_cents  bigint NOT NULL,
    quantity      integer
);
CREATE INDEX era_adjustments_claim_idx ON era_adjustments (era_claim_id);

-- PLB: money the payer withholds or adds at the provider level (recoupments, interest).
-- A positive amount reduces the payment.
CREATE TABLE era_provider_adjustments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    era_id        uuid NOT NULL REFERENCES eras (id),
    reason_code   text NOT NULL CHECK (reason_code ~ '^[A-Z0-9]{2}$'),
    reference     text NOT NULL DEFAULT '',
    amount_cents  bigint NOT NULL
);
CREATE INDEX era_provider_adjustments_era_idx ON era_provider_adjustments (era_id);

-- Money a client hands over (a payment) or is given back (a refund). Cards are recorded by a
-- reference only: the database refuses anything that looks like a card number.
CREATE TABLE client_payments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    receipt_number   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    client_id        uuid NOT NULL REFERENCES clients (id),
    kind             text NOT NULL CHECK (kind IN ('payment', 'refund')),
    method           text NOT NULL CHECK (method IN ('cash', 'check', 'card')),
    check_number     text CHECK (check_number ~ '^[A-Za-z0-9-]{1,20}$'),
    card_reference   text CHECK (length(card_reference) BETWEEN 1 AND 40),
    amount_cents     bigint NOT NULL CHECK (amount_cents BETWEEN 1 AND 100000000),
    -- the session it was collected for (a copay at check-in)
    appointment_id   uuid REFERENCES appointments (id),
    note             text CHECK (length(note) <= 300),
    received_by      uuid NOT NULL REFERENCES users (id),
    received_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((method = 'check') = (check_number IS NOT NULL)),
    CHECK (method = 'card' OR card_reference IS NULL),
    CONSTRAINT client_payments_no_card_number
        CHECK (card_reference IS NULL OR regexp_replace(card_reference, '[^0-9]', '', 'g') !~ '[0-9]{9,}')
);
CREATE INDEX client_payments_client_idx ON client_payments (client_id, received_at DESC);
CREATE INDEX client_payments_appointment_idx ON client_payments (appointment_id)
    WHERE appointment_id IS NOT NULL;

-- The ledger: every change to what a client or their insurer owes, one signed row each (positive:
-- more is owed to the practice). A row on a charge moves that charge's insurance or client share;
-- a row without a charge is money on the client's account (credit, negative when held).
-- Rows are never changed or deleted: a mistake is undone by a row that reverses it.
CREATE TABLE ledger_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id      uuid NOT NULL REFERENCES clients (id),
    charge_id      uuid REFERENCES charges (id),
    party          text NOT NULL CHECK (party IN ('insurance', 'client')),
    kind           text NOT NULL CHECK (kind IN (
                       'charge', 'insurance_payment', 'contractual', 'insurance_adjustment',
                       'transfer', 'client_payment', 'allocation', 'refund', 'write_off',
                       'adjustment', 'reversal')),
    amount_cents   bigint NOT NULL CHECK (amount_cents <> 0),
    era_claim_id   uuid REFERENCES era_claims (id),
    era_line_id    uuid REFERENCES era_lines (id),
    payment_id     uuid REFERENCES client_payments (id),
    reversal_of    bigint UNIQUE REFERENCES ledger_entries (id),
    -- the CARC (group-reason) of an insurance adjustment, or the person's reason for a write-off
    reason         text CHECK (length(reason) <= 300),
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (charge_id IS NOT NULL OR party = 'client'),
    CHECK (kind NOT IN ('write_off', 'adjustment') OR reason IS NOT NULL),
    CHECK (kind <> 'reversal' OR reversal_of IS NOT NULL)
);
CREATE INDEX ledger_entries_client_idx ON ledger_entries (client_id, id);
CREATE INDEX ledger_entries_charge_idx ON ledger_entries (charge_id, party) WHERE charge_id IS NOT NULL;
CREATE INDEX ledger_entries_payment_idx ON ledger_entries (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX ledger_entries_era_claim_idx ON ledger_entries (era_claim_id) WHERE era_claim_id IS NOT NULL;

CREATE FUNCTION ledger_entries_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a ledger entry never changes: post a reversal'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_fixed';
END $$;
CREATE TRIGGER ledger_entries_fixed BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_fixed();

-- What each charge's insurer and client owe, and what each client holds on account, kept equal to
-- the sum of the ledger's rows by the trigger below (a test proves it after every kind of posting):
-- balances, aging and statements read these few open rows instead of summing the whole ledger.
CREATE TABLE ledger_balances (
    client_id  uuid NOT NULL REFERENCES clients (id),
    charge_id  uuid REFERENCES charges (id),
    party      text NOT NULL CHECK (party IN ('insurance', 'client')),
    cents      bigint NOT NULL,
    CONSTRAINT ledger_balances_key UNIQUE NULLS NOT DISTINCT (client_id, charge_id, party)
);
CREATE INDEX ledger_balances_open_idx ON ledger_balances (party, client_id) WHERE cents <> 0;
CREATE INDEX ledger_balances_charge_idx ON ledger_balances (charge_id) WHERE charge_id IS NOT NULL;

CREATE FUNCTION ledger_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_balances AS b (client_id, charge_id, party, cents)
    SELECT client_id, charge_id, party, sum(amount_cents) FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT ledger_balances_key DO UPDATE SET cents = b.cents + EXCLUDED.cents;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_balance();

CREATE FUNCTION ledger_balances_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'balances follow the ledger: post to it instead'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_fixed';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER ledger_balances_fixed BEFORE INSERT OR UPDATE OR DELETE ON ledger_balances
    FOR EACH ROW EXECUTE FUNCTION ledger_balances_fixed();
CREATE FUNCTION ledger_never_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is never emptied'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_fixed';
END $$;
CREATE TRIGGER ledger_entries_never_truncated BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
CREATE TRIGGER ledger_balances_never_truncated BEFORE TRUNCATE ON ledger_balances
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();

-- At the end of every transaction that posts to a client: no charge's client share below zero
-- (no payment applied twice over), and no more money taken off the account than it holds.
CREATE FUNCTION ledger_balances_hold() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    now_cents bigint;
BEGIN
    SELECT cents INTO now_cents FROM ledger_balances
     WHERE client_id = NEW.client_id AND charge_id IS NOT DISTINCT FROM NEW.charge_id
       AND party = NEW.party;
    IF NEW.party = 'client' AND NEW.charge_id IS NOT NULL AND now_cents < 0 THEN
        RAISE EXCEPTION 'a charge''s client share cannot fall below zero'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_client_share_not_negative';
    END IF;
    IF NEW.charge_id IS NULL AND now_cents > 0 THEN
        RAISE EXCEPTION 'more was taken off the account than it holds'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_credit_not_negative';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_balances_hold AFTER INSERT OR UPDATE ON ledger_balances
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_balances_hold();

-- Every charge enters the ledger the moment it exists: owed by the insurer when a policy is
-- billed, by the client when self-pay.
CREATE FUNCTION charges_post_to_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.amount_cents > 0 THEN
        INSERT INTO ledger_entries (client_id, charge_id, party, kind, amount_cents, created_by, created_at)
        VALUES (NEW.client_id, NEW.id,
                CASE WHEN NEW.policy_id IS NULL THEN 'client' ELSE 'insurance' END,
                'charge', NEW.amount_cents, NEW.created_by, NEW.created_at);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER charges_post_to_ledger AFTER INSERT ON charges
    FOR EACH ROW EXECUTE FUNCTION charges_post_to_ledger();

-- A charge's amount and payer are what the ledger recorded: they never change once posted.
CREATE FUNCTION charges_amount_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.unit_fee_cents <> OLD.unit_fee_cents OR NEW.units <> OLD.units
       OR NEW.policy_id IS DISTINCT FROM OLD.policy_id OR NEW.client_id <> OLD.client_id THEN
        RAISE EXCEPTION 'a charge''s amount and payer never change once posted'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'charges_amount_fixed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER charges_amount_fixed BEFORE UPDATE ON charges
    FOR EACH ROW EXECUTE FUNCTION charges_amount_fixed();

-- Charges made before the ledger existed enter it now.
INSERT INTO ledger_entries (client_id, charge_id, party, kind, amount_cents, created_by, created_at)
SELECT client_id, id, CASE WHEN policy_id IS NULL THEN 'client' ELSE 'insurance' END,
       'charge', amount_cents, created_by, created_at
  FROM charges WHERE amount_cents > 0;
