-- Counts of live programmes kept by every write (src/models/tally.rs): count=true and facets
-- read them instead of counting rows. The same on both backends. A database that already holds
-- programmes is tallied when the service next opens it (tally::ensure).
CREATE TABLE programme_tallies (
    scope_dim TEXT NOT NULL,
    scope_value TEXT NOT NULL,
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (scope_dim, scope_value, dim, value)
);
