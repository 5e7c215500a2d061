-- Practice settings: billing identity and locations with their rooms.

ALTER TABLE practice
    ADD COLUMN billing_npi text CHECK (billing_npi ~ '^[0-9]{10}$'),
    ADD COLUMN tax_id      text CHECK (tax_id ~ '^[0-9]{2}-[0-9]{7}$');

CREATE TABLE locations (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    address_line1     text NOT NULL CHECK (length(btrim(address_line1)) BETWEEN 1 AND 120),
    address_line2     text CHECK (length(address_line2) <= 120),
    city              text NOT NULL CHECK (length(btrim(city)) BETWEEN 1 AND 80),
    state             char(2) NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    zip               text NOT NULL CHECK (zip ~ '^[0-9]{5}(-[0-9]{4})?$'),
    phone             text CHECK (phone ~ '^\+1[2-9][0-9]{9}$'),
    -- CMS place-of-service code put on claims for sessions here
    place_of_service  text NOT NULL DEFAULT '11' CHECK (place_of_service ~ '^[0-9]{2}$'),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT locations_name_key UNIQUE (name)
);

CREATE TABLE rooms (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id  uuid NOT NULL REFERENCES locations (id),
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
    active       boolean NOT NULL DEFAULT true,
    CONSTRAINT rooms_name_per_location UNIQUE (location_id, name)
);
