-- The words go; the index stays as it is (rebuilt with the older analysis by reindexing).
DROP TABLE search_words;
