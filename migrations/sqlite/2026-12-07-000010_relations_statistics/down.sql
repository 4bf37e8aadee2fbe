-- Empty on SQLite (see up.sql).
SELECT 1; -- sqlite only
