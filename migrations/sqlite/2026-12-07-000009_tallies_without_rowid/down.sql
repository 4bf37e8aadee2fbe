CREATE TABLE programme_tallies_rowid ( -- sqlite only
    scope_dim TEXT NOT NULL, -- sqlite only
    scope_value TEXT NOT NULL, -- sqlite only
    dim TEXT NOT NULL, -- sqlite only
    value TEXT NOT NULL, -- sqlite only
    n BIGINT NOT NULL, -- sqlite only
    PRIMARY KEY (scope_dim, scope_value, dim, value) -- sqlite only
); -- sqlite only
INSERT INTO programme_tallies_rowid (scope_dim, scope_value, dim, value, n) -- sqlite only
    SELECT scope_dim, scope_value, dim, value, n FROM programme_tallies; -- sqlite only
DROP TABLE programme_tallies; -- sqlite only
ALTER TABLE programme_tallies_rowid RENAME TO programme_tallies; -- sqlite only
