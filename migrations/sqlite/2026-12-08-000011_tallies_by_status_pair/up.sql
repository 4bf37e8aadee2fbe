-- The tallies gain scopes for a status paired with a country, fund or engagement area
-- (src/models/tally.rs). Emptied here, they are tallied again from the rows, in that shape,
-- when the service opens the database (`tally::ensure`).
DELETE FROM programme_tallies;
