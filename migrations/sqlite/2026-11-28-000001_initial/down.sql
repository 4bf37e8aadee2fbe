DROP TABLE changes;
DROP TABLE documents;
DROP TABLE relations;
DROP TABLE programme_countries;
DROP TABLE programmes;
DROP TABLE organisations;
