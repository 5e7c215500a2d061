-- Nothing about a client is hard-deleted: leaving the care team is recorded, not erased.
ALTER TABLE client_care_team
    ADD COLUMN added_by   uuid REFERENCES users (id),
    ADD COLUMN removed_at timestamptz,
    ADD COLUMN removed_by uuid REFERENCES users (id),
    ADD CHECK (removed_by IS NULL OR removed_at IS NOT NULL);
CREATE INDEX client_care_team_current_idx ON client_care_team (user_id, client_id) WHERE removed_at IS NULL;

-- who took a contact off the chart, and when
ALTER TABLE client_contacts
    ADD COLUMN removed_at timestamptz,
    ADD COLUMN removed_by uuid REFERENCES users (id),
    ADD CHECK (active = (removed_at IS NULL));
