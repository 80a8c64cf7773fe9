-- +goose Up
-- Staff read their notifications' mail as one daily digest, grouped by
-- kind, instead of a message each (fifty overdue check-ins on a Monday
-- were fifty mails). A row holds a user's choice (no row: staff get the
-- digest, everyone else a mail each) and how far the last digest went:
-- the id of the newest notification it carried.
CREATE TABLE notification_digests (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    daily      BOOLEAN NOT NULL,
    through_id BIGINT NOT NULL DEFAULT 0,
    sent_at    TIMESTAMPTZ
);

-- +goose Down
DROP TABLE notification_digests;
