-- Moderation and publication (SQLite). Same logical schema as ../postgres/0002_moderation.sql.

-- A request to publish one version. The version's own state mirrors the open submission.
CREATE TABLE submissions (
    id                 INTEGER PRIMARY KEY,
    integration_id     BIGINT NOT NULL REFERENCES integrations (id),
    version_id         BIGINT NOT NULL REFERENCES versions (id),
    account_id         BIGINT NOT NULL REFERENCES accounts (id),
    code               TEXT   NOT NULL,
    -- the integration's published version when submitted: what the moderator's diff is against
    base_version_id    BIGINT REFERENCES versions (id),
    submitted_by       BIGINT NOT NULL REFERENCES users (id),
    languages_json     TEXT   NOT NULL,
    description_json   TEXT   NOT NULL,
    instructions_json  TEXT   NOT NULL,
    -- moderators only; never logged, never returned to the integrator or the public
    test_credentials   TEXT,
    support_phone      TEXT   NOT NULL,
    support_email      TEXT   NOT NULL,
    changes_json       TEXT   NOT NULL,
    report_json        TEXT   NOT NULL,
    state              TEXT   NOT NULL CHECK (state IN ('in_review', 'approved', 'rejected', 'withdrawn')),
    decided_by         BIGINT REFERENCES users (id),
    decided_at         BIGINT,
    reasons_json       TEXT   NOT NULL DEFAULT '[]',
    decision_note      TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX submissions_queue ON submissions (state, created_at, id);
CREATE INDEX submissions_integration ON submissions (integration_id, id);
CREATE UNIQUE INDEX submissions_open_version ON submissions (version_id) WHERE state = 'in_review';

-- One webhook per integration: status changes are POSTed there, signed with `secret`.
CREATE TABLE webhooks (
    integration_id  BIGINT PRIMARY KEY REFERENCES integrations (id),
    url             TEXT   NOT NULL,
    secret          TEXT   NOT NULL,
    created_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- The outbox: one row per status event per webhook, written in the event's transaction.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY,
    integration_id   BIGINT NOT NULL REFERENCES integrations (id),
    event_id         BIGINT NOT NULL REFERENCES audit_events (id),
    url              TEXT   NOT NULL,
    payload          TEXT   NOT NULL,
    state            TEXT   NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT,
    last_status      BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_integration ON webhook_deliveries (integration_id, id);

-- Every attempt to deliver, for the owner to read.
CREATE TABLE webhook_attempts (
    id            INTEGER PRIMARY KEY,
    delivery_id   BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    attempt       BIGINT NOT NULL,
    at            BIGINT NOT NULL,
    status        BIGINT,
    error         TEXT,
    duration_ms   BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
