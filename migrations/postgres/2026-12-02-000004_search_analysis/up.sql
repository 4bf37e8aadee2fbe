-- Search analysis (PostgreSQL). Kept in step with ../../sqlite/<same folder>; lines marked
-- "sqlite only" / "postgres only" are each backend's engine.
-- Words are now stemmed as written and then folded, and every text a reader sees is indexed
-- (src/models/search.rs): the index is emptied here and rebuilt from the records when the
-- service starts (records::transfer::reindex_if_empty). search_words lists each indexed word
-- as typed (folded) with the tokens it gives, for typo tolerance; rows are never deleted (a
-- word no record holds any more only adds a token that matches nothing).

DELETE FROM search_docs;
CREATE TABLE search_words (
    lang TEXT NOT NULL,
    word TEXT NOT NULL,
    token TEXT NOT NULL,
    PRIMARY KEY (lang, word, token)
);
CREATE INDEX search_words_token ON search_words (lang, token);
