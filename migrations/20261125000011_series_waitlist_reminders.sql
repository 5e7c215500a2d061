-- Scheduling, second part: recurring series, the waitlist and slot offers, the message outbox
-- (reminders, offers) and private calendar feeds.

-- Reminder lead times (0 turns a channel off) and how long an offered slot is held.
ALTER TABLE practice
    ADD COLUMN reminder_email_hours integer NOT NULL DEFAULT 48 CHECK (reminder_email_hours BETWEEN 0 AND 336),
    ADD COLUMN reminder_sms_hours   integer NOT NULL DEFAULT 24 CHECK (reminder_sms_hours BETWEEN 0 AND 336),
    ADD COLUMN offer_hold_minutes   integer NOT NULL DEFAULT 120 CHECK (offer_hold_minutes BETWEEN 15 AND 2880);

-- A recurring series. Its occurrences are ordinary appointments (each can be changed alone); the
-- rule is kept to describe the series and to extend it.
CREATE TABLE appointment_series (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- the RFC 5545 rule, e.g. FREQ=WEEKLY;INTERVAL=2;COUNT=10
    rule        text NOT NULL CHECK (rule ~ '^FREQ=(WEEKLY|MONTHLY)[A-Z0-9=;,+-]{0,200}$'),
    -- "Every 2 weeks on Tuesday, 10 times"
    summary     text NOT NULL CHECK (length(summary) BETWEEN 1 AND 200),
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE appointments
    ADD COLUMN series_id        uuid REFERENCES appointment_series (id),
    -- changed alone ("this one"): later edits of the series leave it as it is
    ADD COLUMN series_exception boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT appointments_exception_needs_series CHECK (series_id IS NOT NULL OR NOT series_exception);
CREATE INDEX appointments_series_idx ON appointments (series_id, starts_at) WHERE series_id IS NOT NULL;

-- Clients waiting for a time, with what suits them.
CREATE TABLE waitlist_entries (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id            uuid NOT NULL REFERENCES clients (id),
    -- no preference when empty
    clinician_id         uuid REFERENCES users (id),
    appointment_type_id  uuid REFERENCES appointment_types (id),
    -- ISO weekdays (1 = Monday); empty = any day
    weekdays             smallint[] NOT NULL DEFAULT '{}' CHECK (weekdays <@ '{1,2,3,4,5,6,7}'::smallint[]),
    earliest             time NOT NULL DEFAULT '08:00',
    latest               time NOT NULL DEFAULT '20:00',
    modality             text NOT NULL DEFAULT 'either' CHECK (modality IN ('in_person', 'telehealth', 'either')),
    -- 1 routine, 2 soon, 3 urgent
    urgency              smallint NOT NULL DEFAULT 1 CHECK (urgency BETWEEN 1 AND 3),
    note                 text CHECK (length(note) <= 300),
    added_by             uuid REFERENCES users (id),
    added_at             timestamptz NOT NULL DEFAULT now(),
    closed_at            timestamptz,
    closed_by            uuid REFERENCES users (id),
    closed_reason        text CHECK (closed_reason IN ('booked', 'withdrawn')),
    CHECK (latest > earliest),
    CHECK ((closed_at IS NULL) = (closed_reason IS NULL))
);
-- one open entry per client (their preferences are edited, not duplicated)
CREATE UNIQUE INDEX waitlist_one_open_per_client ON waitlist_entries (client_id) WHERE closed_at IS NULL;
CREATE INDEX waitlist_open_idx ON waitlist_entries (urgency DESC, added_at) WHERE closed_at IS NULL;

-- A free slot offered to a waitlisted client, held for them until `hold_until`.
CREATE TABLE slot_offers (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    waitlist_entry_id  uuid NOT NULL REFERENCES waitlist_entries (id),
    clinician_id       uuid NOT NULL REFERENCES users (id),
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    hold_until         timestamptz NOT NULL,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'booked', 'released')),
    offered_by         uuid REFERENCES users (id),
    offered_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    -- one open offer holds a clinician's time at once
    CONSTRAINT slot_offers_one_hold EXCLUDE USING gist (
        clinician_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status = 'open')
);
CREATE INDEX slot_offers_entry_idx ON slot_offers (waitlist_entry_id);

-- Messages to clients, written in the same transaction as what caused them and sent by a worker.
-- Texts carry no clinical information.
CREATE TABLE outbox_messages (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind             text NOT NULL CHECK (kind IN ('reminder', 'slot_offer')),
    channel          text NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient        text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    subject          text NOT NULL CHECK (length(subject) <= 200),
    body             text NOT NULL CHECK (length(body) <= 2000),
    client_id        uuid NOT NULL REFERENCES clients (id),
    appointment_id   uuid REFERENCES appointments (id),
    offer_id         uuid REFERENCES slot_offers (id),
    -- not sent before this time (a reminder's lead time)
    send_after       timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'failed', 'no_transport', 'superseded')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    last_error       text CHECK (length(last_error) <= 500),
    sent_at          timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX outbox_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_appointment_idx ON outbox_messages (appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX outbox_problems_idx ON outbox_messages (created_at DESC) WHERE status IN ('failed', 'no_transport');

-- A clinician's private calendar feed: the secret is in the URL, only its SHA-256 is stored.
CREATE TABLE calendar_feeds (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE UNIQUE INDEX calendar_feeds_one_active ON calendar_feeds (user_id) WHERE revoked_at IS NULL;

-- The link in a reminder (confirm or cancel) carries this random token; the sender puts the
-- practice's address in front of it.
ALTER TABLE outbox_messages ADD COLUMN reply_token uuid NOT NULL UNIQUE DEFAULT gen_random_uuid();
