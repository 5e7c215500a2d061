-- Receivables at scale (100,000 clients owing). Aging reads two small summaries that the ledger's own
-- trigger keeps, instead of grouping every open balance of every client on each visit to the page;
-- posted charges become fixed (the summaries are keyed on them); each remittance keeps what it
-- posted.
--   open_by_day:  what is owed, by party (and the payer, for the insurer's share), per date of service
--                 (a few rows a day: the aging buckets are sums over dates). Every practice's posting
--                 touches the same few rows, so postings append their change to
--                 open_by_day_changes (no row is locked) and fold_open_by_day() adds the changes up
--                 now and then; readers use open_by_day_now, the two together.
--   client_owing: what each client owes on their charges (the top of the list is an index scan). Only
--                 that client's postings touch its row, and they hold the client's lock already.
-- Both are sums of ledger_balances, which are sums of ledger_entries; the tests prove them equal.

-- postings running on a server that still has the old trigger finish first (their rows are then in
-- the backfill below), and none starts until this commits
LOCK TABLE ledger_entries IN EXCLUSIVE MODE;

CREATE TABLE open_by_day (
    party         text NOT NULL CHECK (party IN ('insurance', 'client')),
    -- the payer of the insurer's share; NULL for the client's share
    payer_id      uuid REFERENCES payers (id),
    service_date  date NOT NULL,
    cents         bigint NOT NULL,
    CHECK ((party = 'insurance') = (payer_id IS NOT NULL)),
    CONSTRAINT open_by_day_key UNIQUE NULLS NOT DISTINCT (party, payer_id, service_date)
);
CREATE TABLE open_by_day_changes (
    party         text NOT NULL CHECK (party IN ('insurance', 'client')),
    payer_id      uuid REFERENCES payers (id),
    service_date  date NOT NULL,
    cents         bigint NOT NULL,
    CHECK ((party = 'insurance') = (payer_id IS NOT NULL))
);
CREATE VIEW open_by_day_now AS
    SELECT party, payer_id, service_date, cents FROM open_by_day
    UNION ALL
    SELECT party, payer_id, service_date, cents FROM open_by_day_changes;

CREATE TABLE client_owing (
    client_id  uuid PRIMARY KEY REFERENCES clients (id),
    cents      bigint NOT NULL
);
-- the clients who owe most, and how many owe anything
CREATE INDEX client_owing_top_idx ON client_owing (cents DESC) WHERE cents > 0;
-- credit on account: the few clients who hold some, without reading every open balance
CREATE INDEX ledger_balances_credit_idx ON ledger_balances (client_id)
    WHERE charge_id IS NULL AND cents <> 0;

-- The ledger's statement trigger now also records each statement's change to both summaries.
CREATE OR REPLACE FUNCTION ledger_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_balances AS b (client_id, charge_id, party, cents)
    SELECT client_id, charge_id, party, sum(amount_cents) FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT ledger_balances_key DO UPDATE SET cents = b.cents + EXCLUDED.cents;

    INSERT INTO open_by_day_changes (party, payer_id, service_date, cents)
    SELECT r.party, CASE WHEN r.party = 'insurance' THEN ip.payer_id END, ch.service_date,
           sum(r.amount_cents)
      FROM new_rows r
      JOIN charges ch ON ch.id = r.charge_id
      LEFT JOIN insurance_policies ip ON ip.id = ch.policy_id
     GROUP BY 1, 2, 3;

    INSERT INTO client_owing AS w (client_id, cents)
    SELECT client_id, sum(amount_cents) FROM new_rows
     WHERE party = 'client' AND charge_id IS NOT NULL
     GROUP BY 1
     ORDER BY 1
    ON CONFLICT (client_id) DO UPDATE SET cents = w.cents + EXCLUDED.cents;
    RETURN NULL;
END $$;

-- Adds the recorded changes into open_by_day, in one statement: a reader sees each change either
-- still recorded or already added, never both. Returns the days touched.
CREATE FUNCTION fold_open_by_day() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
BEGIN
    PERFORM set_config('mentalspace.folding_open_by_day', 'on', true);
    WITH moved AS (DELETE FROM open_by_day_changes RETURNING party, payer_id, service_date, cents)
    INSERT INTO open_by_day AS o (party, payer_id, service_date, cents)
    SELECT party, payer_id, service_date, sum(cents) FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT open_by_day_key DO UPDATE SET cents = o.cents + EXCLUDED.cents;
    GET DIAGNOSTICS folded = ROW_COUNT;
    PERFORM set_config('mentalspace.folding_open_by_day', 'off', true);
    RETURN folded;
END $$;

-- what is already owed
INSERT INTO open_by_day (party, payer_id, service_date, cents)
SELECT b.party, CASE WHEN b.party = 'insurance' THEN ip.payer_id END, ch.service_date, sum(b.cents)
  FROM ledger_balances b
  JOIN charges ch ON ch.id = b.charge_id
  LEFT JOIN insurance_policies ip ON ip.id = ch.policy_id
 GROUP BY 1, 2, 3;
INSERT INTO client_owing (client_id, cents)
SELECT client_id, sum(cents) FROM ledger_balances
 WHERE party = 'client' AND charge_id IS NOT NULL
 GROUP BY 1;

-- like the balances, the summaries follow the ledger and nothing else writes them: changes are
-- appended by the ledger's trigger and taken away by the fold, which alone writes open_by_day
CREATE FUNCTION open_by_day_written_by_fold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('mentalspace.folding_open_by_day', true) IS DISTINCT FROM 'on'
       AND NOT (TG_TABLE_NAME = 'open_by_day_changes' AND TG_OP = 'INSERT' AND pg_trigger_depth() >= 2) THEN
        RAISE EXCEPTION 'balances follow the ledger: post to it instead'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_fixed';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER open_by_day_fixed BEFORE INSERT OR UPDATE OR DELETE ON open_by_day
    FOR EACH ROW EXECUTE FUNCTION open_by_day_written_by_fold();
CREATE TRIGGER open_by_day_changes_fixed BEFORE INSERT OR UPDATE OR DELETE ON open_by_day_changes
    FOR EACH ROW EXECUTE FUNCTION open_by_day_written_by_fold();
CREATE TRIGGER client_owing_fixed BEFORE INSERT OR UPDATE OR DELETE ON client_owing
    FOR EACH ROW EXECUTE FUNCTION ledger_balances_fixed();
CREATE TRIGGER open_by_day_never_truncated BEFORE TRUNCATE ON open_by_day
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
CREATE TRIGGER open_by_day_changes_never_truncated BEFORE TRUNCATE ON open_by_day_changes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
CREATE TRIGGER client_owing_never_truncated BEFORE TRUNCATE ON client_owing
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();

-- A posted charge never changes: its client, date, policy, code and amount are what the ledger,
-- its balances and the aging summaries were written from. A mistake is put right by a corrected
-- claim, a write-off or an adjustment, never by editing or deleting the charge. (This widens the
-- payments migration's check from the amount, policy and client to the rest, and to deleting.)
CREATE OR REPLACE FUNCTION charges_amount_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR
       (NEW.client_id, NEW.service_date, NEW.policy_id, NEW.service_code, NEW.units,
        NEW.unit_fee_cents, NEW.client_share_cents, NEW.appointment_id)
       IS DISTINCT FROM
       (OLD.client_id, OLD.service_date, OLD.policy_id, OLD.service_code, OLD.units,
        OLD.unit_fee_cents, OLD.client_share_cents, OLD.appointment_id) THEN
        RAISE EXCEPTION 'a posted charge never changes'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'charges_amount_fixed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER charges_never_deleted BEFORE DELETE ON charges
    FOR EACH ROW EXECUTE FUNCTION charges_amount_fixed();

-- What each remittance posted (its insurance payments, net of the earlier payments its reversals
-- took back) and left unposted (unmatched claims and lines) is fixed the moment it is imported:
-- later postings belong to later remittances. Kept on the remittance, so the Payments and
-- Receivables pages read a column instead of re-adding every ledger row of the month.
ALTER TABLE eras ADD COLUMN posted_cents bigint, ADD COLUMN unposted_cents bigint;
UPDATE eras e SET
    posted_cents = coalesce((SELECT -sum(le.amount_cents) FROM ledger_entries le
                               JOIN era_claims ec ON ec.id = le.era_claim_id
                               LEFT JOIN ledger_entries undone ON undone.id = le.reversal_of
                              WHERE ec.era_id = e.id
                                AND (le.kind = 'insurance_payment' OR undone.kind = 'insurance_payment')), 0),
    unposted_cents = coalesce((SELECT sum(paid_cents) FROM era_claims
                                WHERE era_id = e.id AND unmatched_reason IS NOT NULL), 0)
                   + coalesce((SELECT sum(l.paid_cents) FROM era_lines l JOIN era_claims ec ON ec.id = l.era_claim_id
                                WHERE ec.era_id = e.id AND ec.unmatched_reason IS NULL AND ec.status_code <> '22'
                                  AND l.charge_id IS NULL), 0);
ALTER TABLE eras ALTER COLUMN posted_cents SET NOT NULL, ALTER COLUMN unposted_cents SET NOT NULL;
