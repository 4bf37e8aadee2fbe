-- Every documented sort is one range of an index read forwards or backwards (docs/API.md,
-- "Reading lists"). `year` (events, key figures) was the one sort without its index.
CREATE INDEX documents_year ON documents (collection, year, id);

-- The sort indexes of programmes and organisations hold only live records and carry the
-- columns their filters test (status; kind and country), so a walk of a sort's index in order
-- (a filter that matches many records) tests each entry without reading its row: a few
-- thousand entries per millisecond. `deleted_at` is carried too, so that SQLite sees the index
-- as covering the live-records condition. The service refreshes the planner's statistics
-- after migrating (`db::run_migrations`).
DROP INDEX programmes_title_en;
DROP INDEX programmes_created_at;
DROP INDEX programmes_updated_at;
DROP INDEX programmes_planned_start;
DROP INDEX programmes_actual_start;
CREATE INDEX programmes_title_en ON programmes (title_en, id, status, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX programmes_created_at ON programmes (created_at, id, status, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX programmes_updated_at ON programmes (updated_at, id, status, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX programmes_planned_start ON programmes (planned_start, id, status, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX programmes_actual_start ON programmes (actual_start, id, status, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX organisations_name_en;
DROP INDEX organisations_created_at;
DROP INDEX organisations_updated_at;
CREATE INDEX organisations_name_en ON organisations (name_en, id, kind, country, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX organisations_created_at ON organisations (created_at, id, kind, country, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX organisations_updated_at ON organisations (updated_at, id, kind, country, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX organisations_live_id ON organisations (id, kind, country, deleted_at) WHERE deleted_at IS NULL;
