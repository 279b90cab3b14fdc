-- What several server processes of one service share (PostgreSQL). Same logical schema as
-- ../sqlite/0003_service.sql.

-- Facts every process must agree on, such as the fingerprint of the URL-signing key.
CREATE TABLE service_settings (
    name        TEXT   PRIMARY KEY,
    value       TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Sign-in attempts that were not (yet) found right, per client address and e-mail address
-- (lowercased): each attempt is counted before its password is checked, and the row is
-- deleted when the password was right. Past a few, the client waits longer and longer for
-- that address; the sum over clients slows down (never refuses) every attempt on the address.
CREATE TABLE login_failures (
    client_key     TEXT   NOT NULL,
    email_key      TEXT   NOT NULL,
    failures       BIGINT NOT NULL,
    blocked_until  BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (client_key, email_key)
);
CREATE INDEX login_failures_email ON login_failures (email_key, updated_at);
CREATE INDEX login_failures_updated ON login_failures (updated_at);

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
