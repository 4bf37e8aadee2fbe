DROP INDEX search_words_prefix; -- postgres only
