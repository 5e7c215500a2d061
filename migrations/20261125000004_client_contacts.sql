-- Emergency contacts and, for minors, guardians and responsible parties.
CREATE TABLE client_contacts (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id         uuid NOT NULL REFERENCES clients (id),
    kind              text NOT NULL CHECK (kind IN ('emergency', 'guardian', 'responsible_party')),
    name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    relationship      text NOT NULL CHECK (length(btrim(relationship)) BETWEEN 1 AND 60),
    phone             text CHECK (phone ~ '^\+1[2-9][0-9]{9}$'),
    email             citext CHECK (email LIKE '%_@_%.__%'),
    -- may this person receive information about the client (a release of information)
    may_receive_info  boolean NOT NULL DEFAULT false,
    active            boolean NOT NULL DEFAULT true,
    created_by        uuid REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX client_contacts_client_idx ON client_contacts (client_id) WHERE active;
