-- Coordinators' saved searches of the candidate pool, and the candidates
-- each has already reported, so the periodic job notifies once per new
-- match (issue 4).
-- +goose Up

CREATE TABLE saved_searches (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (name <> ''),
    query        TEXT NOT NULL DEFAULT '',
    japanese_min INT NOT NULL DEFAULT 0 CHECK (japanese_min BETWEEN 0 AND 6),
    prefecture   TEXT NOT NULL DEFAULT '',
    workplace    TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_run_at  TIMESTAMPTZ
);
CREATE INDEX saved_searches_user_idx ON saved_searches (user_id, id);

-- A candidate a saved search has found; the row is written in the
-- transaction that writes the notification, so each is reported once.
CREATE TABLE saved_search_hits (
    saved_search_id BIGINT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    candidate_id    BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    found_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (saved_search_id, candidate_id)
);

-- +goose Down
DROP TABLE saved_search_hits;
DROP TABLE saved_searches;
