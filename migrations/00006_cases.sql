-- Cases, introductions, follow-ups and their one history (issue 5).
-- +goose Up

-- One case per candidate: the journey intake → ... → settled, or closed.
CREATE TABLE cases (
    id               BIGSERIAL PRIMARY KEY,
    candidate_id     BIGINT NOT NULL UNIQUE REFERENCES candidates (id) ON DELETE CASCADE,
    stage            TEXT NOT NULL DEFAULT 'intake' CHECK (stage IN
        ('intake', 'training', 'job_ready', 'job_search', 'hired', 'retention', 'settled', 'closed')),
    close_reason     TEXT NOT NULL DEFAULT '' CHECK (close_reason IN ('', 'withdrawn', 'unreachable', 'moved_away')),
    residence        TEXT NOT NULL DEFAULT 'not_started' CHECK (residence IN ('not_started', 'applied', 'changed', 'refused')),
    coordinator_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    stage_since      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_activity_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((stage = 'closed') = (close_reason <> ''))
);
CREATE INDEX cases_stage_idx ON cases (stage, last_activity_at);
CREATE INDEX cases_coordinator_idx ON cases (coordinator_id, stage);

-- A candidate × role introduction.
CREATE TABLE introductions (
    id             BIGSERIAL PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    candidate_id   BIGINT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    role_id        BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    company_id     BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL DEFAULT 'suggested' CHECK (stage IN
        ('suggested', 'candidate_consented', 'introduced', 'interviewing', 'offered', 'hired',
         'declined_by_company', 'declined_by_candidate', 'withdrawn')),
    uses_expertise BOOLEAN NOT NULL DEFAULT FALSE,
    consented_at   TIMESTAMPTZ,
    hired_at       TIMESTAMPTZ,
    stage_since    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (candidate_id, role_id)
);
CREATE INDEX introductions_case_idx ON introductions (case_id);
CREATE INDEX introductions_company_idx ON introductions (company_id, stage);

-- Retention check-ins (1, 3, 6, 12 months after hire; one with the
-- candidate and one with the employer each).
CREATE TABLE followups (
    id              BIGSERIAL PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    introduction_id BIGINT NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    month           INT NOT NULL CHECK (month IN (1, 3, 6, 12)),
    party           TEXT NOT NULL CHECK (party IN ('candidate', 'employer')),
    due_at          TIMESTAMPTZ NOT NULL,
    reminded_at     TIMESTAMPTZ,
    escalated_at    TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    completed_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    still_employed  BOOLEAN,
    satisfaction    INT NOT NULL DEFAULT 0 CHECK (satisfaction BETWEEN 0 AND 5),
    issues          TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (introduction_id, month, party)
);
CREATE INDEX followups_case_idx ON followups (case_id, due_at);
CREATE INDEX followups_open_idx ON followups (due_at) WHERE completed_at IS NULL;

-- The one timeline of a case: stage and residence moves, notes, assignments,
-- introduction moves and follow-up events, each stamped with who and when.
CREATE TABLE case_events (
    id              BIGSERIAL PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('stage', 'residence', 'note', 'assign', 'introduction', 'followup', 'alert')),
    from_state      TEXT NOT NULL DEFAULT '',
    to_state        TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    actor_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    introduction_id BIGINT REFERENCES introductions (id) ON DELETE SET NULL,
    followup_id     BIGINT REFERENCES followups (id) ON DELETE SET NULL,
    at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, at, id);
CREATE INDEX case_events_stage_idx ON case_events (kind, to_state) WHERE kind = 'stage';

-- +goose Down
DROP TABLE case_events;
DROP TABLE followups;
DROP TABLE introductions;
DROP TABLE cases;
