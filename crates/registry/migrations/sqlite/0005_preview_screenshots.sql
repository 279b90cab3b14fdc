-- The screenshot of a saved preview run (sqlite). Same logical schema as
-- ../postgres/0005_preview_screenshots.sql.
--
-- A PNG the preview host drew of the area when the run ended, checked (PNG, at most 1 MiB and
-- 4,096 pixels a side) before it is stored; NULL for runs saved without one.
ALTER TABLE preview_runs ADD COLUMN screenshot BLOB;
ALTER TABLE preview_runs ADD COLUMN screenshot_width BIGINT;
ALTER TABLE preview_runs ADD COLUMN screenshot_height BIGINT;
