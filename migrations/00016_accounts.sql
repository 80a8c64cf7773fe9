-- +goose Up
-- Personal access tokens carry a scope (read: GET only; read_write) and an
-- expiry. Tokens issued before this migration had neither: they keep full
-- access and expire 30 days from now.
ALTER TABLE api_tokens
    ADD COLUMN scope      TEXT NOT NULL DEFAULT 'read_write' CHECK (scope IN ('read', 'read_write')),
    ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = now() + interval '30 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- A company admin invites and removes the company's members. The first
-- member of each existing company (the one who signed it up) is its admin.
ALTER TABLE company_members ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE company_members m SET is_admin = TRUE
WHERE NOT EXISTS (
    SELECT 1 FROM company_members o
    WHERE o.company_id = m.company_id AND (o.created_at, o.user_id) < (m.created_at, m.user_id));

-- Invitations: single-use, expiring links; only the SHA-256 of the token is
-- stored. kind "candidate": a coordinator invites the person behind an
-- account-less profile; "claim": someone signing up with the e-mail of such
-- a profile proves the address; "member": a company admin invites a colleague.
CREATE TABLE invitations (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('candidate', 'claim', 'member')),
    token_hash   BYTEA NOT NULL UNIQUE,
    email        TEXT NOT NULL DEFAULT '',
    locale       TEXT NOT NULL DEFAULT 'ja',
    candidate_id BIGINT REFERENCES candidates (id) ON DELETE CASCADE,
    company_id   BIGINT REFERENCES companies (id) ON DELETE CASCADE,
    invited_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ,
    used_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((kind IN ('candidate', 'claim')) = (candidate_id IS NOT NULL)),
    CHECK ((kind = 'member') = (company_id IS NOT NULL))
);
CREATE INDEX invitations_candidate_idx ON invitations (candidate_id) WHERE candidate_id IS NOT NULL;
CREATE INDEX invitations_company_idx ON invitations (company_id) WHERE company_id IS NOT NULL;

-- +goose Down
DROP TABLE invitations;
ALTER TABLE company_members DROP COLUMN is_admin;
DROP INDEX api_tokens_user_idx;
ALTER TABLE api_tokens DROP COLUMN expires_at, DROP COLUMN scope;
