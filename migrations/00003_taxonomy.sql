-- +goose Up
-- ESCO concepts (with the project's Japanese labels), loaded by
-- `tsunagu taxonomy load` from the data embedded in the binary. Skills and
-- occupations elsewhere refer to these by URI.
CREATE TABLE esco_occupations (
    uri         TEXT PRIMARY KEY,
    isco_group  TEXT NOT NULL DEFAULT '',
    label_en    TEXT NOT NULL,
    label_ja    TEXT NOT NULL DEFAULT '',
    label_ar    TEXT NOT NULL DEFAULT '',
    alt_labels  TEXT[] NOT NULL DEFAULT '{}',
    broader     TEXT[] NOT NULL DEFAULT '{}',
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX esco_occupations_isco_group_idx ON esco_occupations (isco_group);

CREATE TABLE esco_skills (
    uri          TEXT PRIMARY KEY,
    skill_type   TEXT NOT NULL DEFAULT '',
    reuse_level  TEXT NOT NULL DEFAULT '',
    label_en     TEXT NOT NULL,
    label_ja     TEXT NOT NULL DEFAULT '',
    alt_labels   TEXT[] NOT NULL DEFAULT '{}',
    broader      TEXT[] NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE esco_occupation_skills (
    occupation_uri  TEXT NOT NULL REFERENCES esco_occupations (uri) ON DELETE CASCADE,
    skill_uri       TEXT NOT NULL REFERENCES esco_skills (uri) ON DELETE CASCADE,
    relation        TEXT NOT NULL CHECK (relation IN ('essential', 'optional')),
    PRIMARY KEY (occupation_uri, skill_uri)
);
CREATE INDEX esco_occupation_skills_skill_uri_idx ON esco_occupation_skills (skill_uri);

-- +goose Down
DROP TABLE esco_occupation_skills;
DROP TABLE esco_skills;
DROP TABLE esco_occupations;
