-- Full-text search (PostgreSQL). Kept in step with ../../sqlite/<same folder>; lines marked
-- "sqlite only" / "postgres only" are each backend's engine.
-- Text is analysed in Rust (folded, stemmed per language; see src/models/search.rs): each row
-- of search_docs is one record in one language, with its tokens as a tsvector built from
-- them as they are (no dictionary), indexed by one partial GIN index per language (so a search
-- reads only its language's index). The old LIKE columns go.

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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collection TEXT NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tokens TSVECTOR NOT NULL -- postgres only
);
CREATE UNIQUE INDEX search_docs_record ON search_docs (collection, record_id, lang);
-- Facets read these without touching the wide rows.
CREATE INDEX programmes_facets ON programmes (id, deleted_at, status);
CREATE INDEX relations_facets ON relations (collection, record_id, relation, target_id);
CREATE INDEX search_docs_tokens_en ON search_docs USING GIN (tokens) WHERE lang = 'en'; -- postgres only
CREATE INDEX search_docs_tokens_fr ON search_docs USING GIN (tokens) WHERE lang = 'fr'; -- postgres only
CREATE INDEX search_docs_tokens_es ON search_docs USING GIN (tokens) WHERE lang = 'es'; -- postgres only
