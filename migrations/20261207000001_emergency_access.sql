-- Emergency access ("break the glass"): a clinician or supervisor reads a chart outside their
-- caseload for a stated reason, for a limited time, read-only; every read under it is audited with
-- the grant's id, and an administrator reviews each one afterwards.

CREATE TYPE emergency_reason AS ENUM (
    'imminent_risk',
    'crisis_coverage',
    'treating_clinician_unavailable',
    'continuity_of_care',
    'other'
);

-- How long a grant lasts, set by the practice (the issue's default: an hour).
ALTER TABLE practice
    ADD COLUMN emergency_access_minutes integer NOT NULL DEFAULT 60
        CHECK (emergency_access_minutes BETWEEN 5 AND 480);

CREATE TABLE emergency_access (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id),
    client_id       uuid NOT NULL REFERENCES clients (id),
    reason          emergency_reason NOT NULL,
    explanation     text NOT NULL CHECK (length(btrim(explanation)) BETWEEN 10 AND 1000),
    started_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    reviewed_by     uuid REFERENCES users (id),
    reviewed_at     timestamptz,
    review_comment  text CHECK (length(btrim(review_comment)) BETWEEN 1 AND 1000),
    CONSTRAINT emergency_access_lasts CHECK (
        expires_at > started_at AND expires_at <= started_at + interval '8 hours'),
    -- a review names who, when and what they concluded, all three or none
    CONSTRAINT emergency_access_review_whole CHECK (
        (reviewed_by IS NULL) = (reviewed_at IS NULL)
        AND (reviewed_at IS NULL) = (review_comment IS NULL)),
    CONSTRAINT emergency_access_not_self_reviewed CHECK (reviewed_by IS DISTINCT FROM user_id)
);
-- the read path: "does this person hold an open grant for this client?"
CREATE INDEX emergency_access_holder_idx ON emergency_access (user_id, client_id, expires_at DESC);
-- the administrators' queue
CREATE INDEX emergency_access_unreviewed_idx ON emergency_access (started_at DESC) WHERE reviewed_at IS NULL;
-- the audited events recorded under a grant (the review list counts them)
CREATE INDEX audit_events_emergency_idx ON audit_events ((detail->>'emergency_access'))
    WHERE detail ? 'emergency_access';

-- Only clinicians and supervisors break the glass (never front desk, billers, interns or admins,
-- whatever the application asks for).
CREATE FUNCTION emergency_access_holder_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND active
                     AND role IN ('clinician', 'supervisor')) THEN
        RAISE EXCEPTION 'only an active clinician or supervisor may take emergency access'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'emergency_access_holder_role';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER emergency_access_holder BEFORE INSERT ON emergency_access
    FOR EACH ROW EXECUTE FUNCTION emergency_access_holder_check();

-- A grant is a record of what happened: it is never deleted; its holder may end it early (never
-- extend it); once it has ended an administrator adds the review, once.
CREATE FUNCTION emergency_access_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'emergency access records are kept'
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'emergency_access_kept';
    END IF;
    IF (NEW.id, NEW.user_id, NEW.client_id, NEW.reason, NEW.explanation, NEW.started_at)
       IS DISTINCT FROM (OLD.id, OLD.user_id, OLD.client_id, OLD.reason, OLD.explanation, OLD.started_at)
       OR NEW.expires_at > OLD.expires_at
       OR (NEW.expires_at < OLD.expires_at AND OLD.expires_at <= now()) THEN
        RAISE EXCEPTION 'an emergency access record only ends early or gains its review'
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'emergency_access_kept';
    END IF;
    IF (NEW.reviewed_by, NEW.reviewed_at, NEW.review_comment)
       IS DISTINCT FROM (OLD.reviewed_by, OLD.reviewed_at, OLD.review_comment) THEN
        IF OLD.reviewed_at IS NOT NULL THEN
            RAISE EXCEPTION 'an emergency access is reviewed once'
                USING ERRCODE = 'restrict_violation', CONSTRAINT = 'emergency_access_kept';
        END IF;
        IF NEW.expires_at > now() THEN
            RAISE EXCEPTION 'an emergency access is reviewed once it has ended'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'emergency_access_review_after_end';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.reviewed_by AND role = 'admin' AND active) THEN
            RAISE EXCEPTION 'emergency access is reviewed by an administrator'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'emergency_access_reviewer_role';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER emergency_access_keep BEFORE UPDATE OR DELETE ON emergency_access
    FOR EACH ROW EXECUTE FUNCTION emergency_access_keep();
CREATE TRIGGER emergency_access_no_truncate BEFORE TRUNCATE ON emergency_access
    FOR EACH STATEMENT EXECUTE FUNCTION emergency_access_keep();
