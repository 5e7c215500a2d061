-- Receivables at scale: aging reads two small summaries that the ledger's own trigger keeps, instead
-- of grouping every open balance of every client on each visit to the page.
--   open_by_day:  what is owed, by party (and the payer, for the insurer's share), per date of service
--                 (a few rows a day: the aging buckets are sums over dates);
--   client_owing: what each client owes on their charges (the top of the list is an index scan).
-- Both are sums of ledger_balances, which are sums of ledger_entries; the tests prove them equal.

CREATE TABLE open_by_day (
    party         text NOT NULL CHECK (party IN ('insurance', 'client')),
    -- the payer of the insurer's share; NULL for the client's share
    payer_id      uuid REFERENCES payers (id),
    service_date  date NOT NULL,
    cents         bigint NOT NULL,
    CHECK ((party = 'insurance') = (payer_id IS NOT NULL)),
    CONSTRAINT open_by_day_key UNIQUE NULLS NOT DISTINCT (party, payer_id, service_date)
);

CREATE TABLE client_owing (
    client_id  uuid PRIMARY KEY REFERENCES clients (id),
    cents      bigint NOT NULL
);
-- the clients who owe most, and how many owe anything
CREATE INDEX client_owing_top_idx ON client_owing (cents DESC) WHERE cents > 0;
-- credit on account: the few clients who hold some, without reading every open balance
CREATE INDEX ledger_balances_credit_idx ON ledger_balances (client_id)
    WHERE charge_id IS NULL AND cents <> 0;

-- The ledger's statement trigger now also adds each statement's rows to both summaries. Rows are
-- written in key order, so two postings that touch the same days lock them in the same order.
CREATE OR REPLACE FUNCTION ledger_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_balances AS b (client_id, charge_id, party, cents)
    SELECT client_id, charge_id, party, sum(amount_cents) FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT ledger_balances_key DO UPDATE SET cents = b.cents + EXCLUDED.cents;

    INSERT INTO open_by_day AS o (party, payer_id, service_date, cents)
    SELECT r.party, CASE WHEN r.party = 'insurance' THEN ip.payer_id END, ch.service_date,
           sum(r.amount_cents)
      FROM new_rows r
      JOIN charges ch ON ch.id = r.charge_id
      LEFT JOIN insurance_policies ip ON ip.id = ch.policy_id
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
    ON CONFLICT ON CONSTRAINT open_by_day_key DO UPDATE SET cents = o.cents + EXCLUDED.cents;

    INSERT INTO client_owing AS w (client_id, cents)
    SELECT client_id, sum(amount_cents) FROM new_rows
     WHERE party = 'client' AND charge_id IS NOT NULL
     GROUP BY 1
     ORDER BY 1
    ON CONFLICT (client_id) DO UPDATE SET cents = w.cents + EXCLUDED.cents;
    RETURN NULL;
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

-- like the balances, the summaries follow the ledger and nothing else writes them
CREATE TRIGGER open_by_day_fixed BEFORE INSERT OR UPDATE OR DELETE ON open_by_day
    FOR EACH ROW EXECUTE FUNCTION ledger_balances_fixed();
CREATE TRIGGER client_owing_fixed BEFORE INSERT OR UPDATE OR DELETE ON client_owing
    FOR EACH ROW EXECUTE FUNCTION ledger_balances_fixed();
CREATE TRIGGER open_by_day_never_truncated BEFORE TRUNCATE ON open_by_day
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
CREATE TRIGGER client_owing_never_truncated BEFORE TRUNCATE ON client_owing
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_never_truncated();
