-- Training programmes, cohorts, enrolments and attendance; co-creation
-- workshops with their lecturers and feedback (issue 6).
-- +goose Up

-- A programme: what it teaches (ESCO skills) and how it is completed.
CREATE TABLE training_programmes (
    id             BIGSERIAL PRIMARY KEY,
    external_id    TEXT UNIQUE,
    title_ja       TEXT NOT NULL DEFAULT '',
    title_en       TEXT NOT NULL DEFAULT '',
    description_ja TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL CHECK (kind IN ('hard', 'soft')),
    format         TEXT NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
    capacity       INT NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    min_attendance INT NOT NULL DEFAULT 80 CHECK (min_attendance BETWEEN 0 AND 100),
    assessment     BOOLEAN NOT NULL DEFAULT FALSE,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (title_ja <> '' OR title_en <> '')
);

-- The ESCO skills a programme teaches, in order.
CREATE TABLE training_programme_skills (
    programme_id BIGINT NOT NULL REFERENCES training_programmes (id) ON DELETE CASCADE,
    position     INT NOT NULL,
    esco_uri     TEXT NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (programme_id, esco_uri)
);
CREATE INDEX training_programme_skills_uri_idx ON training_programme_skills (esco_uri);

-- A cohort: one run of a programme.
CREATE TABLE training_cohorts (
    id           BIGSERIAL PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES training_programmes (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    starts_on    DATE NOT NULL,
    ends_on      DATE NOT NULL,
    trainer      TEXT NOT NULL DEFAULT '',
    place        TEXT NOT NULL DEFAULT '',
    online_url   TEXT NOT NULL DEFAULT '',
    capacity     INT NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX training_cohorts_programme_idx ON training_cohorts (programme_id, starts_on);

CREATE TABLE training_sessions (
    id        BIGSERIAL PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES training_cohorts (id) ON DELETE CASCADE,
    starts_at TIMESTAMPTZ NOT NULL,
    topic     TEXT NOT NULL DEFAULT '',
    UNIQUE (cohort_id, starts_at)
);

-- A candidate in a cohort. A place is taken while enrolled and after the
-- end (completed, not_completed); waitlisted rows wait in waitlisted_at order.
CREATE TABLE training_enrolments (
    id                BIGSERIAL PRIMARY KEY,
    cohort_id         BIGINT NOT NULL REFERENCES training_cohorts (id) ON DELETE CASCADE,
    candidate_id      BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    status            TEXT NOT NULL CHECK (status IN
        ('requested', 'enrolled', 'waitlisted', 'completed', 'not_completed', 'withdrawn', 'declined')),
    required          BOOLEAN NOT NULL DEFAULT TRUE,
    assessment_passed BOOLEAN,
    requested_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    seated_at         TIMESTAMPTZ,
    waitlisted_at     TIMESTAMPTZ,
    completed_at      TIMESTAMPTZ,
    ended_at          TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (cohort_id, candidate_id)
);
CREATE INDEX training_enrolments_candidate_idx ON training_enrolments (candidate_id);
CREATE INDEX training_enrolments_wait_idx ON training_enrolments (cohort_id, waitlisted_at) WHERE status = 'waitlisted';

CREATE TABLE training_attendance (
    session_id   BIGINT NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    enrolment_id BIGINT NOT NULL REFERENCES training_enrolments (id) ON DELETE CASCADE,
    present      BOOLEAN NOT NULL,
    marked_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    marked_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, enrolment_id)
);

-- One row: whether completing training moves a case to job-ready at once
-- or asks the coordinator to confirm.
CREATE TABLE training_settings (
    id                BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    confirm_job_ready BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO training_settings (id) VALUES (TRUE);

-- Candidates who completed their plan and wait for a coordinator to
-- confirm the move to job-ready (when confirm_job_ready is on).
CREATE TABLE training_job_ready (
    candidate_id BIGINT PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
    since        TIMESTAMPTZ NOT NULL DEFAULT now(),
    confirmed_at TIMESTAMPTZ,
    confirmed_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);

-- A company's request for a co-creation workshop and its delivery.
CREATE TABLE workshops (
    id              BIGSERIAL PRIMARY KEY,
    external_id     TEXT UNIQUE,
    company_id      BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    requested_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    topic           TEXT NOT NULL,
    audience        INT NOT NULL CHECK (audience BETWEEN 1 AND 1000),
    preferred_dates DATE[] NOT NULL DEFAULT '{}',
    language        TEXT NOT NULL,
    notes           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'scheduled', 'delivered', 'cancelled')),
    scheduled_at    TIMESTAMPTZ,
    place           TEXT NOT NULL DEFAULT '',
    participants    INT NOT NULL DEFAULT 0 CHECK (participants >= 0),
    delivered_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status NOT IN ('scheduled', 'delivered') OR scheduled_at IS NOT NULL)
);
CREATE INDEX workshops_company_idx ON workshops (company_id, created_at DESC);

-- Lecturers proposed for a workshop. A company learns a lecturer's name
-- only once the lecturer accepted (consented to be named to it).
CREATE TABLE workshop_lecturers (
    workshop_id  BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined')),
    proposed_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    proposed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    responded_at TIMESTAMPTZ,
    PRIMARY KEY (workshop_id, candidate_id)
);
CREATE INDEX workshop_lecturers_candidate_idx ON workshop_lecturers (candidate_id);

CREATE TABLE workshop_feedback (
    id           BIGSERIAL PRIMARY KEY,
    workshop_id  BIGINT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    party        TEXT NOT NULL CHECK (party IN ('company', 'lecturer')),
    author_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    rating       INT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (workshop_id, author_id)
);

-- +goose Down
DROP TABLE workshop_feedback;
DROP TABLE workshop_lecturers;
DROP TABLE workshops;
DROP TABLE training_job_ready;
DROP TABLE training_settings;
DROP TABLE training_attendance;
DROP TABLE training_enrolments;
DROP TABLE training_sessions;
DROP TABLE training_cohorts;
DROP TABLE training_programme_skills;
DROP TABLE training_programmes;
