DROP TABLE changes;
DROP TABLE programme_organisations;
DROP TABLE programme_countries;
DROP TABLE programmes;
DROP TABLE organisations;
