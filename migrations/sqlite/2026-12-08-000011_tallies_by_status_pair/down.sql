-- Emptied, the tallies are tallied again in the shape of the code that opens the database.
DELETE FROM programme_tallies;
