-- Widgetry registry, initial schema (SQLite). Same logical schema as ../postgres/0001_initial.sql.
-- Times are unix milliseconds (BIGINT), JSON is TEXT, booleans are BIGINT 0/1.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    subdomain   TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    is_moderator   BIGINT  NOT NULL DEFAULT 0,
    is_operator    BIGINT  NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL
);

CREATE TABLE memberships (
    user_id     BIGINT NOT NULL REFERENCES users (id),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    role        TEXT   NOT NULL CHECK (role IN ('admin', 'member')),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, account_id)
);
CREATE INDEX memberships_account ON memberships (account_id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT   NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    csrf_token  TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    account_id    BIGINT NOT NULL REFERENCES accounts (id),
    name          TEXT   NOT NULL,
    token_hash    TEXT   NOT NULL UNIQUE,
    prefix        TEXT   NOT NULL,
    scopes        TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    last_used_at  BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE integrations (
    id                    INTEGER PRIMARY KEY,
    client_uuid           TEXT   NOT NULL UNIQUE,
    account_id            BIGINT NOT NULL REFERENCES accounts (id),
    name_json             TEXT   NOT NULL,
    description_json      TEXT   NOT NULL,
    redirect_uri          TEXT   NOT NULL,
    code                  TEXT   UNIQUE,
    secret_hash           TEXT   NOT NULL,
    scheme                TEXT   NOT NULL CHECK (scheme IN ('market', 'legacy')),
    visibility            TEXT   NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public')),
    published_version_id  BIGINT,
    latest_version_id     BIGINT,
    last_seq              BIGINT NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX integrations_account ON integrations (account_id);
CREATE INDEX integrations_visibility ON integrations (visibility);

CREATE TABLE versions (
    id              INTEGER PRIMARY KEY,
    integration_id  BIGINT NOT NULL REFERENCES integrations (id),
    seq             BIGINT NOT NULL,
    widget_version  TEXT   NOT NULL,
    archive_sha256  TEXT   NOT NULL,
    archive_size    BIGINT NOT NULL,
    manifest_json   TEXT   NOT NULL,
    -- derived at upload for listings: resolved name, settings template, locations
    summary_json    TEXT   NOT NULL,
    report_json     TEXT   NOT NULL,
    state           TEXT   NOT NULL,
    uploaded_by     BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    UNIQUE (integration_id, seq),
    UNIQUE (integration_id, widget_version)
);
CREATE INDEX versions_archive ON versions (integration_id, archive_sha256);

-- The file index of a version: serving a widget file is one primary-key lookup plus a blob read.
CREATE TABLE version_files (
    version_id    BIGINT NOT NULL REFERENCES versions (id),
    path          TEXT   NOT NULL,
    sha256        TEXT   NOT NULL,
    size          BIGINT NOT NULL,
    content_type  TEXT   NOT NULL,
    PRIMARY KEY (version_id, path)
);
CREATE INDEX version_files_sha256 ON version_files (sha256);

CREATE TABLE installations (
    id              INTEGER PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    integration_id  BIGINT NOT NULL REFERENCES integrations (id),
    version_id      BIGINT REFERENCES versions (id),
    settings_json   TEXT   NOT NULL,
    pipeline_id     BIGINT,
    active          BIGINT NOT NULL DEFAULT 1,
    installed_by    BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (account_id, integration_id)
);

CREATE TABLE audit_events (
    id              INTEGER PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor_user_id   BIGINT,
    account_id      BIGINT,
    integration_id  BIGINT,
    kind            TEXT   NOT NULL,
    from_state      TEXT,
    to_state        TEXT,
    detail_json     TEXT   NOT NULL
);
CREATE INDEX audit_events_integration ON audit_events (integration_id);
