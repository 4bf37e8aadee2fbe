-- Search prefixes (PostgreSQL). Kept in step with ../../sqlite/<same folder>; lines marked
-- "sqlite only" / "postgres only" are each backend's engine.
-- A query's prefix (`migr*`) is looked up as the words search_words holds for it
-- (src/models/search.rs, with_prefix_words) by a range of tokens. Tokens are ASCII letters and
-- digits compared byte by byte: on PostgreSQL that is the "C" collation, which the database's
-- own may not be, so the range has its index. SQLite compares bytes already and reads the range
-- from search_words_token.
CREATE INDEX search_words_prefix ON search_words (lang, token COLLATE "C"); -- postgres only
