-- Alerts on a chart. Clinical-risk flags are clinical information: only clinical staff see them.
CREATE TABLE client_flags (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id   uuid NOT NULL REFERENCES clients (id),
    category    text NOT NULL CHECK (category IN ('clinical_risk', 'billing', 'administrative')),
    severity    text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    text        text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 200),
    active      boolean NOT NULL DEFAULT true,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    cleared_by  uuid REFERENCES users (id),
    cleared_at  timestamptz,
    CHECK (active = (cleared_at IS NULL))
);
CREATE INDEX client_flags_client_idx ON client_flags (client_id) WHERE active;
