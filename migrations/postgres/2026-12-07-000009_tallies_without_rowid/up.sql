-- Empty on PostgreSQL, which keeps the two trees in step: the SQLite step of the same name makes
-- programme_tallies a WITHOUT ROWID table, which PostgreSQL has no counterpart of (its heap is
-- read beside the key's index either way).
SELECT 1; -- postgres only
