-- Empty on PostgreSQL (see up.sql).
SELECT 1; -- postgres only
