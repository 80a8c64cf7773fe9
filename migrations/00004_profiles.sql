-- Candidate profiles, companies and their roles (issue 3).
-- +goose Up
CREATE TABLE candidates (
    id                    BIGSERIAL PRIMARY KEY,
    external_id           TEXT UNIQUE,
    user_id               BIGINT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    name                  TEXT NOT NULL,
    email                 TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    photo_url             TEXT NOT NULL DEFAULT '',
    nationality           TEXT NOT NULL DEFAULT '',
    residence_status      TEXT NOT NULL DEFAULT '',
    residence_expiry      DATE,
    headline              TEXT NOT NULL DEFAULT '',
    summary               TEXT NOT NULL DEFAULT '',
    country               TEXT NOT NULL DEFAULT '',
    prefecture            TEXT NOT NULL DEFAULT '',
    willing_to_relocate   BOOLEAN NOT NULL DEFAULT FALSE,
    certifications        TEXT[] NOT NULL DEFAULT '{}',
    desired_occupations   TEXT[] NOT NULL DEFAULT '{}',
    preferred_prefectures TEXT[] NOT NULL DEFAULT '{}',
    workplace_preference  TEXT NOT NULL DEFAULT ''
        CHECK (workplace_preference IN ('', 'onsite', 'hybrid', 'remote')),
    available_from        DATE,
    visibility            TEXT NOT NULL DEFAULT 'coordinators'
        CHECK (visibility IN ('hidden', 'coordinators', 'companies')),
    speaker_opt_in        BOOLEAN NOT NULL DEFAULT FALSE,
    locale                TEXT NOT NULL DEFAULT '',
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX candidates_visibility_idx ON candidates (visibility, id);
CREATE INDEX candidates_updated_at_idx ON candidates (updated_at DESC);

-- Child rows are replaced whole on every save; position keeps the order.
CREATE TABLE candidate_skills (
    candidate_id BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position     INT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    esco_uri     TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL DEFAULT '',
    years        DOUBLE PRECISION NOT NULL DEFAULT 0,
    verified     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (candidate_id, position)
);
CREATE INDEX candidate_skills_esco_uri_idx ON candidate_skills (esco_uri) WHERE esco_uri <> '';

CREATE TABLE candidate_languages (
    candidate_id BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position     INT NOT NULL,
    code         TEXT NOT NULL,
    level        TEXT NOT NULL,
    PRIMARY KEY (candidate_id, position),
    UNIQUE (candidate_id, code)
);

CREATE TABLE candidate_work_history (
    candidate_id   BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position       INT NOT NULL,
    title          TEXT NOT NULL,
    occupation_uri TEXT NOT NULL DEFAULT '',
    years          DOUBLE PRECISION NOT NULL DEFAULT 0,
    country        TEXT NOT NULL DEFAULT '',
    employer       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (candidate_id, position)
);

CREATE TABLE candidate_education (
    candidate_id BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position     INT NOT NULL,
    level        TEXT NOT NULL,
    field        TEXT NOT NULL DEFAULT '',
    institution  TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    completed    BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (candidate_id, position)
);

CREATE TABLE companies (
    id            BIGSERIAL PRIMARY KEY,
    external_id   TEXT UNIQUE,
    name          TEXT NOT NULL,
    industry      TEXT NOT NULL DEFAULT '',
    size          TEXT NOT NULL DEFAULT '',
    prefecture    TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The interchange format names a role's company by name: names are unique.
CREATE UNIQUE INDEX companies_name_key ON companies (lower(name));

CREATE TABLE company_members (
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX company_members_user_idx ON company_members (user_id);

CREATE TABLE roles (
    id              BIGSERIAL PRIMARY KEY,
    external_id     TEXT UNIQUE,
    company_id      BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    occupation_uri  TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    prefecture      TEXT NOT NULL DEFAULT '',
    workplace       TEXT NOT NULL CHECK (workplace IN ('onsite', 'hybrid', 'remote')),
    employment_type TEXT NOT NULL DEFAULT 'full_time'
        CHECK (employment_type IN ('full_time', 'part_time', 'contract', 'internship')),
    salary_min      INT NOT NULL DEFAULT 0,
    salary_max      INT NOT NULL DEFAULT 0,
    visa_support    BOOLEAN NOT NULL DEFAULT FALSE,
    openings        INT NOT NULL DEFAULT 1,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX roles_company_idx ON roles (company_id, id);
CREATE INDEX roles_status_idx ON roles (status, id);

CREATE TABLE role_skills (
    role_id  BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('required', 'preferred')),
    position INT NOT NULL,
    label    TEXT NOT NULL DEFAULT '',
    esco_uri TEXT NOT NULL DEFAULT '',
    level    TEXT NOT NULL DEFAULT '',
    years    DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (role_id, kind, position)
);
CREATE INDEX role_skills_esco_uri_idx ON role_skills (esco_uri) WHERE esco_uri <> '';

CREATE TABLE role_languages (
    role_id  BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position INT NOT NULL,
    code     TEXT NOT NULL,
    level    TEXT NOT NULL,
    PRIMARY KEY (role_id, position),
    UNIQUE (role_id, code)
);

-- Coordinator uploads (CSV of candidates): previewed first, then run in the
-- background; progress is read from here.
CREATE TABLE import_jobs (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('candidates', 'roles')),
    filename    TEXT NOT NULL DEFAULT '',
    created_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    status      TEXT NOT NULL DEFAULT 'previewed'
        CHECK (status IN ('previewed', 'queued', 'running', 'done', 'failed')),
    content     BYTEA NOT NULL,
    total       INT NOT NULL DEFAULT 0,
    processed   INT NOT NULL DEFAULT 0,
    imported    INT NOT NULL DEFAULT 0,
    unchanged   INT NOT NULL DEFAULT 0,
    rejected    INT NOT NULL DEFAULT 0,
    errors      JSONB NOT NULL DEFAULT '[]',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE import_jobs;
DROP TABLE role_languages;
DROP TABLE role_skills;
DROP TABLE roles;
DROP TABLE company_members;
DROP TABLE companies;
DROP TABLE candidate_education;
DROP TABLE candidate_work_history;
DROP TABLE candidate_languages;
DROP TABLE candidate_skills;
DROP TABLE candidates;
