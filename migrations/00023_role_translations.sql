-- +goose Up
-- A role's title and description as its author wrote them in other page
-- languages (issue 13.3): [{"lang", "title", "description"}], at most one
-- per language. Candidates read a role in their own language when its
-- author gave one, and as written otherwise; nothing is machine-translated.
ALTER TABLE roles ADD COLUMN translations JSONB NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE roles DROP COLUMN translations;
