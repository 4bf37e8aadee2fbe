-- Empty on SQLite, which keeps the two trees in step: the PostgreSQL step of the same name adds
-- extended statistics, which SQLite's planner has no counterpart of.
SELECT 1; -- sqlite only
