-- The tallies gain scopes for a status paired with a country, fund or engagement area
-- (src/models/tally.rs). Emptied here, they are tallied again from the rows, in that shape,
-- when the service opens the database (`tally::ensure`).
DELETE FROM programme_tallies;
-- Room on each page for the new version of a row a write updates (`n` is in no index, so the
-- update stays on the page): the key order `tally::rebuild` and `tally::compact` write lasts.
ALTER TABLE programme_tallies SET (fillfactor = 90); -- postgres only
