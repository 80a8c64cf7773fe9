-- Consent given outside the platform (issue 12): a coordinator records a
-- candidate's answer to an introduction obtained by phone, in person, on
-- paper or by a messaging app, with when, the person's words or the
-- document's reference, and who recorded it. Rows are never edited: a
-- later answer (the candidate's own, or another record) moves the
-- introduction on and the record stays as history.
-- +goose Up
CREATE TABLE recorded_consents (
    id              BIGSERIAL PRIMARY KEY,
    introduction_id BIGINT NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    answer          TEXT NOT NULL CHECK (answer IN ('consent', 'decline')),
    method          TEXT NOT NULL CHECK (method IN ('phone', 'in_person', 'paper', 'messaging')),
    obtained_at     TIMESTAMPTZ NOT NULL,
    words           TEXT NOT NULL,
    recorded_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX recorded_consents_intro_idx ON recorded_consents (introduction_id, recorded_at);

-- The record behind an introduction's current answer (NULL: the candidate
-- answered on the platform, or has not answered).
ALTER TABLE introductions ADD COLUMN consent_record_id BIGINT REFERENCES recorded_consents (id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE introductions DROP COLUMN consent_record_id;
DROP TABLE recorded_consents;
