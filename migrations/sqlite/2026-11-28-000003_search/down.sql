DROP TABLE search_fts_en; -- sqlite only
DROP TABLE search_fts_fr; -- sqlite only
DROP TABLE search_fts_es; -- sqlite only
DROP INDEX relations_facets;
DROP INDEX programmes_facets;
DROP TABLE search_docs;
ALTER TABLE documents ADD COLUMN search_es TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN search_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN search_en TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN search_es TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN search_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN search_en TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN search_es TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN search_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN search_en TEXT NOT NULL DEFAULT '';
