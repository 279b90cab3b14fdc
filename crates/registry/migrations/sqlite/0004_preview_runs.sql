-- Runs of the widget preview a moderator saved with a submission (sqlite). Same logical schema
-- as ../postgres/0004_preview_runs.sql.
--
-- The events are what the preview host recorded while the widget ran in one area (bounded in
-- number and size before they are stored); the report holds the preview.* findings made of
-- them when the run was saved, under the publication profile, in English.
CREATE TABLE preview_runs (
    id             INTEGER PRIMARY KEY,
    submission_id  BIGINT NOT NULL REFERENCES submissions (id),
    area           TEXT   NOT NULL,
    lang           TEXT   NOT NULL,
    events_json    TEXT   NOT NULL,
    report_json    TEXT   NOT NULL,
    errors         BIGINT NOT NULL,
    warnings       BIGINT NOT NULL,
    run_by         BIGINT NOT NULL REFERENCES users (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX preview_runs_submission ON preview_runs (submission_id, id);
