-- +goose Up
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('candidate', 'company', 'coordinator', 'admin')),
    locale        TEXT NOT NULL DEFAULT 'ja',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Server-side sessions. The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash  BYTEA PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    user_agent  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE password_resets (
    token_hash  BYTEA PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

-- Personal access tokens for the JSON API.
CREATE TABLE api_tokens (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  BYTEA NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used   TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);

-- Failed sign-in attempts, for rate limiting per account and per address.
CREATE TABLE login_attempts (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT NOT NULL,
    ip          TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (lower(email), at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

-- Every view of a full profile and every sensitive action.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    actor_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL DEFAULT '',
    subject_id   TEXT NOT NULL DEFAULT '',
    detail       JSONB NOT NULL DEFAULT '{}',
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, at);

-- Mail to send. Without SMTP the admin outbox page shows it.
CREATE TABLE mail_outbox (
    id          BIGSERIAL PRIMARY KEY,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    error       TEXT NOT NULL DEFAULT ''
);

-- In-app notifications.
CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    data        JSONB NOT NULL DEFAULT '{}',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at     TIMESTAMPTZ
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- Work to do later, written in the same transaction as its cause and
-- relayed to Asynq by the outbox relay. unique_key makes each task once-only.
CREATE TABLE job_outbox (
    id           BIGSERIAL PRIMARY KEY,
    task_type    TEXT NOT NULL,
    payload      JSONB NOT NULL DEFAULT '{}',
    unique_key   TEXT NOT NULL UNIQUE,
    run_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    enqueued_at  TIMESTAMPTZ,
    done_at      TIMESTAMPTZ,
    attempts     INT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_outbox_pending_idx ON job_outbox (run_at) WHERE done_at IS NULL;

-- Sequence-numbered log of changes to indexed records. Every serving process
-- applies it to its own Bleve index (see DESIGN.md, "Index updates follow a
-- change log").
CREATE TABLE change_log (
    seq         BIGSERIAL PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   BIGINT NOT NULL,
    op          TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- +goose StatementBegin
CREATE FUNCTION notify_change_log() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tsunagu_change_log', NEW.seq::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
    FOR EACH ROW EXECUTE FUNCTION notify_change_log();

-- +goose Down
DROP TABLE change_log;
DROP FUNCTION notify_change_log();
DROP TABLE job_outbox;
DROP TABLE notifications;
DROP TABLE mail_outbox;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE users;
