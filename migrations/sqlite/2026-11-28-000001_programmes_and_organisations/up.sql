-- Organisations, programmes and the change feed (SQLite).
-- Kept in step with ../../postgres/<same folder>/up.sql: same tables, columns and indexes.
-- Instants are TIMESTAMP in UTC; JSON documents (sources, locations, links) are TEXT.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name_en TEXT NOT NULL,
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
    id TEXT PRIMARY KEY NOT NULL,
    iati_identifier TEXT,
    title_en TEXT NOT NULL,
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

CREATE TABLE programme_organisations (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, organisation_id, role)
);
CREATE INDEX programme_organisations_organisation ON programme_organisations (organisation_id, programme_id);

CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    key_name TEXT
);
CREATE INDEX changes_record ON changes (collection, record_id);
