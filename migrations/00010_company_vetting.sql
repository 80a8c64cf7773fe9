-- +goose Up
-- A company that signs up by itself waits in "pending" until a coordinator
-- has checked it (what was checked, who, when). Only members of a verified
-- company see candidate cards, matches or identities. Companies that staff
-- created or imported before this migration were entered by the programme
-- itself, so they start verified; so do those staff create from now on (the
-- column default): only the sign-up path inserts "pending".
ALTER TABLE companies
    ADD COLUMN status            TEXT NOT NULL DEFAULT 'verified'
        CHECK (status IN ('pending', 'verified')),
    ADD COLUMN verified_by       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN verified_at       TIMESTAMPTZ,
    ADD COLUMN verification_note TEXT NOT NULL DEFAULT '';
CREATE INDEX companies_pending_idx ON companies (created_at) WHERE status = 'pending';

-- +goose Down
DROP INDEX companies_pending_idx;
ALTER TABLE companies DROP COLUMN verification_note, DROP COLUMN verified_at,
    DROP COLUMN verified_by, DROP COLUMN status;
