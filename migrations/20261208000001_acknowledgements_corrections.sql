-- Billing, part 1 finished: the receiver's 999 acknowledgement settles a batch, and a claim the
-- payer has answered can be corrected (frequency 7) or voided (8) by a new claim that quotes the
-- payer's own number for it.

-- A 999 as received: one row settles one batch (one functional group), accepted or rejected.
CREATE TABLE batch_acknowledgements (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    batch_id           uuid NOT NULL UNIQUE REFERENCES claim_batches (id),
    -- ISA13 of the 999 itself
    interchange_number integer NOT NULL CHECK (interchange_number BETWEEN 0 AND 999999999),
    -- AK901: A accepted, E accepted with errors, R/M/W/X rejected (P, partly accepted, needs a
    -- group of several transaction sets: ours hold one)
    ack_code           text NOT NULL CHECK (ack_code IN ('A', 'E', 'R', 'M', 'W', 'X')),
    accepted           boolean NOT NULL,
    CHECK (accepted = (ack_code IN ('A', 'E'))),
    -- what the receiver found wrong, in words (the service keeps the first 200)
    errors             text[] NOT NULL DEFAULT '{}' CHECK (cardinality(errors) <= 200),
    file               bytea NOT NULL CHECK (length(file) > 0),
    imported_by        uuid NOT NULL REFERENCES users (id),
    imported_at        timestamptz NOT NULL DEFAULT now()
);

-- A batch is settled once: from submitted to accepted or rejected, never back.
CREATE OR REPLACE FUNCTION claim_batches_file_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.file IS DISTINCT FROM OLD.file OR NEW.control_number <> OLD.control_number THEN
        RAISE EXCEPTION 'a submitted batch file never changes'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_batches_file_fixed';
    END IF;
    IF NEW.status <> OLD.status AND OLD.status <> 'submitted' THEN
        RAISE EXCEPTION 'a batch is acknowledged once'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_batches_settled_once';
    END IF;
    RETURN NEW;
END $$;

-- The payer's claim control number (CLP07 of its 835) for the claim a correction replaces or
-- voids: REF*F8 carries it, and payers match corrections by it, not by our number.
-- Printable ASCII without the delimiters of our 837P (* : ~ ^), so it is written as it came.
ALTER TABLE claims ADD COLUMN original_payer_claim_number text
    CHECK (original_payer_claim_number ~ '^[!-~]{1,50}$' AND original_payer_claim_number !~ '[*:~^]');
ALTER TABLE claims ADD CONSTRAINT claims_correction_quotes_payer_number
    CHECK ((frequency = '1') = (original_payer_claim_number IS NULL));
-- One live correction of a claim at a time; to correct again, correct the correction.
CREATE UNIQUE INDEX claims_one_live_correction ON claims (original_claim_id)
    WHERE original_claim_id IS NOT NULL AND status <> 'void';

-- Why a file sent from a plain upload form (835, 999) was refused, kept for the page the form
-- returns to: the page shows only what the server wrote for that person, never text from its
-- address. Each person's older refusals are dropped as new ones come.
CREATE TABLE upload_refusals (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    message     text NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX upload_refusals_user_idx ON upload_refusals (user_id, created_at);
