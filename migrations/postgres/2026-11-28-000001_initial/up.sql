-- Organisations, programmes, the other collections, relations and the change feed (PostgreSQL).
-- Kept in step with ../../sqlite/<same folder>/up.sql: same tables, columns and indexes.
-- Sorted text columns use the "C" collation, so that they sort byte-wise as SQLite does.
-- Instants are TIMESTAMP in UTC; JSON documents (sources, locations, links) are TEXT.

CREATE TABLE organisations (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name_en TEXT COLLATE "C" NOT NULL,
    name_fr TEXT,
    name_es TEXT,
    acronym_en TEXT,
    acronym_fr TEXT,
    acronym_es TEXT,
    kind TEXT NOT NULL,
    country TEXT,
    description_en TEXT,
    description_fr TEXT,
    description_es TEXT,
    website TEXT,
    sources TEXT NOT NULL,
    search_en TEXT NOT NULL,
    search_fr TEXT NOT NULL,
    search_es TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX organisations_name_en ON organisations (name_en, id);
CREATE INDEX organisations_created_at ON organisations (created_at, id);
CREATE INDEX organisations_updated_at ON organisations (updated_at, id);
CREATE INDEX organisations_kind ON organisations (kind);

CREATE TABLE programmes (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    iati_identifier TEXT,
    title_en TEXT COLLATE "C" NOT NULL,
    title_fr TEXT,
    title_es TEXT,
    summary_en TEXT,
    summary_fr TEXT,
    summary_es TEXT,
    description_en TEXT,
    description_fr TEXT,
    description_es TEXT,
    status TEXT,
    planned_start DATE,
    planned_end DATE,
    actual_start DATE,
    actual_end DATE,
    budget_amount DOUBLE PRECISION,
    budget_currency TEXT,
    locations TEXT NOT NULL,
    links TEXT NOT NULL,
    sources TEXT NOT NULL,
    search_en TEXT NOT NULL,
    search_fr TEXT NOT NULL,
    search_es TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX programmes_title_en ON programmes (title_en, id);
CREATE INDEX programmes_created_at ON programmes (created_at, id);
CREATE INDEX programmes_updated_at ON programmes (updated_at, id);
CREATE INDEX programmes_planned_start ON programmes (planned_start, id);
CREATE INDEX programmes_actual_start ON programmes (actual_start, id);
CREATE INDEX programmes_status ON programmes (status);

CREATE TABLE programme_countries (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    country TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, country)
);
CREATE INDEX programme_countries_country ON programme_countries (country, programme_id);

-- Links between records (a programme's organisations, fund and engagement areas; a forum's
-- organisations; an event's forum; ...): one table, so that filters, embedding, reference checks
-- and "who points to this record" work the same for every collection.
CREATE TABLE relations (
    collection TEXT NOT NULL,
    record_id TEXT COLLATE "C" NOT NULL,
    relation TEXT NOT NULL,
    position INTEGER NOT NULL,
    target_collection TEXT NOT NULL,
    target_id TEXT COLLATE "C" NOT NULL,
    role TEXT,
    PRIMARY KEY (collection, record_id, relation, position)
);
CREATE INDEX relations_target ON relations (target_collection, target_id);
CREATE INDEX relations_filter ON relations (collection, relation, target_id, record_id);

-- The smaller collections (institution, migration domains, engagement areas, funds, frameworks,
-- forums, events, recommendations, contacts) share one table: each record's validated document
-- is `data` (JSON, every language), with typed columns for what lists sort and filter on.
CREATE TABLE documents (
    collection TEXT NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    position INTEGER,
    label_en TEXT COLLATE "C" NOT NULL,
    kind TEXT,
    year INTEGER,
    date_start DATE,
    date_end DATE,
    data TEXT NOT NULL,
    search_en TEXT NOT NULL,
    search_fr TEXT NOT NULL,
    search_es TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    deleted_at TIMESTAMP,
    PRIMARY KEY (collection, id)
);
CREATE INDEX documents_position ON documents (collection, position, id);
CREATE INDEX documents_label ON documents (collection, label_en, id);
CREATE INDEX documents_date ON documents (collection, date_start, id);
CREATE INDEX documents_created_at ON documents (collection, created_at, id);
CREATE INDEX documents_updated_at ON documents (collection, updated_at, id);

CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    key_name TEXT
);
CREATE INDEX changes_record ON changes (collection, record_id);
