-- A role's likeliest ESCO occupations (issue 14): what its title and skills
-- most probably name, best first, as [{"uri": ..., "score": ...}], worked out
-- when the role is saved so that pages can say "probably X (or Y)" and the
-- author can confirm one (which sets occupation_uri).
-- +goose Up
ALTER TABLE roles ADD COLUMN occupation_guesses JSONB NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE roles DROP COLUMN occupation_guesses;
