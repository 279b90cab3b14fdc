-- What several server processes of one service share (PostgreSQL). Same logical schema as
-- ../sqlite/0003_service.sql.

-- Facts every process must agree on, such as the fingerprint of the URL-signing key.
CREATE TABLE service_settings (
    name        TEXT   PRIMARY KEY,
    value       TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Wrong passwords per e-mail address (lowercased) within the current window.
CREATE TABLE login_failures (
    email_key     TEXT   PRIMARY KEY,
    failures      BIGINT NOT NULL,
    window_start  BIGINT NOT NULL
);
CREATE INDEX login_failures_window ON login_failures (window_start);

-- The blob collector's generation: bumped in the transaction that deletes blobs, read by
-- every upload before it writes blobs and again when it commits (a change means blobs may
-- have been collected meanwhile: the upload writes them again).
CREATE TABLE blob_gc (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL,
    last_run_at BIGINT
);
INSERT INTO blob_gc (id, generation) VALUES (1, 0);

-- The collector asks "does any version name this blob?" per archive too.
CREATE INDEX versions_archive_sha256 ON versions (archive_sha256);
