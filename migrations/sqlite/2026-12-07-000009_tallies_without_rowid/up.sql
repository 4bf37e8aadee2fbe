-- Every statement here is SQLite's own: the PostgreSQL tree has this step empty.
-- The tallies become a WITHOUT ROWID table, clustered on their primary key, so that reading a
-- facet is one range of the key with `n` beside it instead of a rowid lookup per value (issue 12:
-- `facets=organisation` at 1,000,000 programmes reads 20,000 rows). SQLite only:
-- PostgreSQL reads the same rows from the key's index and the heap either way.
CREATE TABLE programme_tallies_clustered ( -- sqlite only
    scope_dim TEXT NOT NULL, -- sqlite only
    scope_value TEXT NOT NULL, -- sqlite only
    dim TEXT NOT NULL, -- sqlite only
    value TEXT NOT NULL, -- sqlite only
    n BIGINT NOT NULL, -- sqlite only
    PRIMARY KEY (scope_dim, scope_value, dim, value) -- sqlite only
) WITHOUT ROWID; -- sqlite only
INSERT INTO programme_tallies_clustered (scope_dim, scope_value, dim, value, n) -- sqlite only
    SELECT scope_dim, scope_value, dim, value, n FROM programme_tallies; -- sqlite only
DROP TABLE programme_tallies; -- sqlite only
ALTER TABLE programme_tallies_clustered RENAME TO programme_tallies; -- sqlite only
