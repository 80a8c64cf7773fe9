-- Keys for finding a candidate's likely duplicates by index instead of
-- comparing every stored candidate on each save (issue 12.8). The keys are
-- computed in Go (profile/names.go: the e-mail and phone as normalised, and
-- the name's consonant skeletons with their deletion neighbourhoods), so a
-- trigger only marks a candidate's keys stale when its name, e-mail or phone
-- is written; the profile service keys stale rows before it looks (the
-- partial index finds them). Every existing candidate starts stale. The
-- name index writes each entry in place (no pending list), so a look-up
-- right after many saves stays an index scan.
-- +goose Up
CREATE TABLE candidate_dup_keys (
    candidate_id BIGINT PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
    stale        BOOLEAN NOT NULL DEFAULT TRUE,
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    names        TEXT[] NOT NULL DEFAULT '{}'
);
CREATE INDEX candidate_dup_keys_stale_idx ON candidate_dup_keys (candidate_id) WHERE stale;
CREATE INDEX candidate_dup_keys_email_idx ON candidate_dup_keys (email) WHERE email <> '';
CREATE INDEX candidate_dup_keys_phone_idx ON candidate_dup_keys (phone) WHERE phone <> '';
CREATE INDEX candidate_dup_keys_names_idx ON candidate_dup_keys USING GIN (names) WITH (fastupdate = off);

INSERT INTO candidate_dup_keys (candidate_id) SELECT id FROM candidates;

-- +goose StatementBegin
CREATE FUNCTION candidate_dup_keys_stale() RETURNS trigger AS $$
BEGIN
    INSERT INTO candidate_dup_keys (candidate_id) VALUES (NEW.id)
    ON CONFLICT (candidate_id) DO UPDATE SET stale = TRUE;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER candidate_dup_keys_insert AFTER INSERT ON candidates
    FOR EACH ROW EXECUTE FUNCTION candidate_dup_keys_stale();
CREATE TRIGGER candidate_dup_keys_update AFTER UPDATE OF name, email, phone ON candidates
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.phone IS DISTINCT FROM NEW.phone)
    EXECUTE FUNCTION candidate_dup_keys_stale();

-- +goose Down
DROP TRIGGER candidate_dup_keys_update ON candidates;
DROP TRIGGER candidate_dup_keys_insert ON candidates;
DROP FUNCTION candidate_dup_keys_stale();
DROP TABLE candidate_dup_keys;
