-- Full-text search (SQLite). Kept in step with ../../postgres/<same folder>; lines marked
-- "sqlite only" / "postgres only" are each backend's engine.
-- Text is analysed in Rust (folded, stemmed per language; see src/models/search.rs): each row
-- of search_docs is one record in one language, and its tokens are indexed under the row's id
-- by the FTS5 table of that language (so a search reads only its language's index). The old
-- LIKE columns go.

ALTER TABLE programmes DROP COLUMN search_en;
ALTER TABLE programmes DROP COLUMN search_fr;
ALTER TABLE programmes DROP COLUMN search_es;
ALTER TABLE organisations DROP COLUMN search_en;
ALTER TABLE organisations DROP COLUMN search_fr;
ALTER TABLE organisations DROP COLUMN search_es;
ALTER TABLE documents DROP COLUMN search_en;
ALTER TABLE documents DROP COLUMN search_fr;
ALTER TABLE documents DROP COLUMN search_es;

CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY NOT NULL,
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE UNIQUE INDEX search_docs_record ON search_docs (collection, record_id, lang);
-- Facets read these without touching the wide rows.
CREATE INDEX programmes_facets ON programmes (id, deleted_at, status);
CREATE INDEX relations_facets ON relations (collection, record_id, relation, target_id);
CREATE VIRTUAL TABLE search_fts_en USING fts5 (tokens, content = '', contentless_delete = 1, tokenize = 'unicode61'); -- sqlite only
CREATE VIRTUAL TABLE search_fts_fr USING fts5 (tokens, content = '', contentless_delete = 1, tokenize = 'unicode61'); -- sqlite only
CREATE VIRTUAL TABLE search_fts_es USING fts5 (tokens, content = '', contentless_delete = 1, tokenize = 'unicode61'); -- sqlite only
