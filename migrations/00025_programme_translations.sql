-- +goose Up
-- A training programme's title and description in the page languages
-- besides Japanese and English (which have columns of their own), as its
-- author wrote them (issue 13.3): [{"lang", "title", "description"}].
ALTER TABLE training_programmes ADD COLUMN translations JSONB NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE training_programmes DROP COLUMN translations;
