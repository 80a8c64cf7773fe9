-- +goose Up
-- Every editable record carries a version: a form or an API client saves
-- "the record as I read it at version N" and the store updates only
-- WHERE id = $1 AND version = N, so a second writer that read the same
-- version gets a conflict instead of silently reverting the first one's
-- saved fields (issue 15, item 2). A trigger bumps the version on every
-- UPDATE, whatever statement makes it (a form save, a stage move, an
-- import, a training completion touching the candidate), so no writer can
-- forget to.
ALTER TABLE candidates    ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE companies     ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE roles         ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cases         ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE introductions ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE workshops     ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- +goose StatementBegin
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER candidates_version    BEFORE UPDATE ON candidates    FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER companies_version     BEFORE UPDATE ON companies     FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER roles_version         BEFORE UPDATE ON roles         FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER cases_version         BEFORE UPDATE ON cases         FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER introductions_version BEFORE UPDATE ON introductions FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER workshops_version     BEFORE UPDATE ON workshops     FOR EACH ROW EXECUTE FUNCTION bump_version();

-- +goose Down
DROP TRIGGER candidates_version ON candidates;
DROP TRIGGER companies_version ON companies;
DROP TRIGGER roles_version ON roles;
DROP TRIGGER cases_version ON cases;
DROP TRIGGER introductions_version ON introductions;
DROP TRIGGER workshops_version ON workshops;
DROP FUNCTION bump_version();
ALTER TABLE candidates DROP COLUMN version;
ALTER TABLE companies DROP COLUMN version;
ALTER TABLE roles DROP COLUMN version;
ALTER TABLE cases DROP COLUMN version;
ALTER TABLE introductions DROP COLUMN version;
ALTER TABLE workshops DROP COLUMN version;
