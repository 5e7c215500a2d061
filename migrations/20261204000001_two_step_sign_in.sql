-- Two-step sign-in (TOTP, RFC 6238) for staff accounts.

-- A person's authenticator secret, sealed with the data key ring (AES-GCM, bound to the row id) and
-- re-sealed by `server keys rotate`. `confirmed_at` is NULL while enrolment waits for its first code.
CREATE TABLE user_mfa (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    secret          bytea NOT NULL CHECK (length(secret) BETWEEN 28 AND 256),
    key_id          text NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64),
    created_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_at    timestamptz,
    -- the last 30-second time step whose code was accepted: a code is never taken twice
    last_used_step  bigint CHECK (last_used_step > 0),
    CONSTRAINT user_mfa_step_needs_confirmation CHECK (last_used_step IS NULL OR confirmed_at IS NOT NULL)
);

-- One-time recovery codes, stored as SHA-256 of the normalised code (each code has ~50 random bits
-- and the code step is rate limited, so a slow hash would only slow sign-in).
CREATE TABLE mfa_recovery_codes (
    user_mfa_id  uuid NOT NULL REFERENCES user_mfa (id) ON DELETE CASCADE,
    code_hash    bytea NOT NULL CHECK (length(code_hash) = 32),
    used_at      timestamptz,
    PRIMARY KEY (user_mfa_id, code_hash)
);

-- A sign-in between its password step and its second step. No session exists until the second step
-- succeeds; the browser holds only the challenge token (stored here as SHA-256).
CREATE TABLE mfa_challenges (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- verify: enter a code; enrol: the practice requires two-step sign-in and it is not set up yet
    purpose     text NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    failures    integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);
CREATE INDEX mfa_challenges_expires_idx ON mfa_challenges (expires_at);

-- Wrong codes in a row across challenges: the code step's own lockout, apart from the password's.
ALTER TABLE users
    ADD COLUMN mfa_failures     integer NOT NULL DEFAULT 0 CHECK (mfa_failures >= 0),
    ADD COLUMN mfa_locked_until timestamptz;

-- The roles whose members must use two-step sign-in.
ALTER TABLE practice ADD COLUMN mfa_required_roles user_role[] NOT NULL DEFAULT '{}';

-- When the person last proved who they are in this session (signing in, or confirming again):
-- releasing records and changing security settings ask again once this is 5 minutes old.
ALTER TABLE sessions ADD COLUMN proved_at timestamptz NOT NULL DEFAULT now();
