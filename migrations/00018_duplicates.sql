-- Likely duplicate candidates (issue 12.8), found on create, import and
-- sign-up and by the nightly scan, for a coordinator to merge or dismiss.
-- The pair is stored once, lower id first.
-- +goose Up
CREATE TABLE candidate_duplicate_pairs (
    first_id     BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    second_id    BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    reasons      TEXT[] NOT NULL DEFAULT '{}',
    found_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    dismissed_at TIMESTAMPTZ,
    dismissed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
);
CREATE INDEX candidate_duplicate_pairs_open_idx ON candidate_duplicate_pairs (found_at DESC) WHERE dismissed_at IS NULL;

-- +goose Down
DROP TABLE candidate_duplicate_pairs;
