-- +goose Up
-- A message sent on behalf of something that may be handled twice (a
-- notification's mail task delivered again after a crash) carries a key:
-- the second insert finds the first and sends nothing.
ALTER TABLE mail_outbox ADD COLUMN dedupe_key TEXT UNIQUE;

-- +goose Down
ALTER TABLE mail_outbox DROP COLUMN dedupe_key;
