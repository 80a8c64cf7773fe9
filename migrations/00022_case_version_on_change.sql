-- +goose Up
-- A case's version names its stage, residence track and coordinator, not
-- its last activity: recording activity (a note, a follow-up, an
-- introduction's step set last_activity_at and updated_at) keeps the
-- version, so a coordinator who has the case open is not told someone
-- else moved it when someone only wrote a note (issue 15.2). Any other
-- column changed bumps it as before. The other versioned tables keep
-- bumping on every UPDATE (00014): a candidate's or role's skills,
-- languages and history live in tables of their own, and the only trace
-- a save of those leaves on the record's row is its updated_at.
-- +goose StatementBegin
CREATE FUNCTION bump_case_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'version' - 'updated_at' - 'last_activity_at')
       IS DISTINCT FROM (to_jsonb(OLD) - 'version' - 'updated_at' - 'last_activity_at') THEN
        NEW.version := OLD.version + 1;
    ELSE
        NEW.version := OLD.version;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
DROP TRIGGER cases_version ON cases;
CREATE TRIGGER cases_version BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION bump_case_version();

-- +goose Down
DROP TRIGGER cases_version ON cases;
CREATE TRIGGER cases_version BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION bump_version();
DROP FUNCTION bump_case_version();
