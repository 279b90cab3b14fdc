-- The screenshot of a saved preview run (PostgreSQL). Same logical schema as
-- ../sqlite/0005_preview_screenshots.sql.
--
-- A PNG the preview host drew of the area when the run ended, checked (PNG, at most 1 MiB and
-- 4,096 pixels a side) before it is stored; NULL for runs saved without one.
ALTER TABLE preview_runs ADD COLUMN screenshot BYTEA;
ALTER TABLE preview_runs ADD COLUMN screenshot_width BIGINT;
ALTER TABLE preview_runs ADD COLUMN screenshot_height BIGINT;
