DROP TABLE programme_tallies;
