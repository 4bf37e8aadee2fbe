//! The collections that share the `documents` table: each record's validated data is stored as
//! JSON (every language), with typed columns for sorting and filtering and its links in
//! `relations`. A collection plugs in by implementing [`DocumentData`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::common::{
    Facet, Filter, ListQuery, Meta, Named, Plan, Record, SortKey, SortValue, common_filters,
    filter_on, keyset_rows, unsupported,
};
use super::relation::{self, Link};
use super::search::{self, Backend};
use super::store::{Store, versioned_update};
use crate::db::schema::documents;
use crate::db::{AnyConnection, MultiBackend};

/// What the table stores besides the JSON data: derived from the data on every write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    pub position: Option<i32>,
    /// The English title or name, for sorting.
    pub label_en: String,
    pub kind: Option<String>,
    pub year: Option<i32>,
    /// The earliest and latest day the record's date may be (events known to the month or year).
    pub date_start: Option<NaiveDate>,
    pub date_end: Option<NaiveDate>,
}

/// The validated data of a document collection.
pub trait DocumentData:
    Named + Serialize + DeserializeOwned + Clone + PartialEq + Send + 'static
{
    fn columns(&self) -> Columns;
    /// The title a search hit shows when it is not the record's first text (a contact's name);
    /// the first text is then searched as any other.
    fn search_title(&self) -> Option<String> {
        None
    }
}

/// The store of every document collection.
pub struct Documents;

#[derive(Queryable, Selectable)]
#[diesel(table_name = documents)]
struct DocumentRow {
    id: String,
    data: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
    deleted_at: Option<NaiveDateTime>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = documents, treat_none_as_null = true)]
struct DocumentColumns {
    position: Option<i32>,
    label_en: String,
    kind: Option<String>,
    year: Option<i32>,
    date_start: Option<NaiveDate>,
    date_end: Option<NaiveDate>,
    data: String,
}

fn columns_of<D: DocumentData>(data: &D) -> QueryResult<DocumentColumns> {
    let c = data.columns();
    Ok(DocumentColumns {
        position: c.position,
        label_en: c.label_en,
        kind: c.kind,
        year: c.year,
        date_start: c.date_start,
        date_end: c.date_end,
        data: serde_json::to_string(data)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?,
    })
}

impl DocumentRow {
    fn into_document<D: DocumentData>(self) -> QueryResult<Record<D>> {
        Ok(Record {
            data: serde_json::from_str(&self.data)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
            id: self.id,
            meta: Meta {
                created_at: self.created_at,
                updated_at: self.updated_at,
                version: self.version,
                deleted_at: self.deleted_at,
            },
        })
    }
}

fn convert<D: DocumentData>(rows: Vec<DocumentRow>) -> QueryResult<Vec<Record<D>>> {
    rows.into_iter().map(DocumentRow::into_document).collect()
}

/// What search indexes for a document, per language.
pub fn search_entries<D: DocumentData>(data: &D) -> Vec<search::Entry> {
    search::entries_of(data, data.search_title())
}

/// Applies a list's filters to a boxed query whose source includes `documents`.
macro_rules! document_filters {
    ($q:expr, $plan:expr, $backend:expr, $collection:expr, $query:expr, $filter:expr) => {{
        let (query, filter): (&ListQuery, &Filter) = ($query, $filter);
        let mut q = common_filters!($q, $plan, documents, query, filter, $collection, $backend);
        if let Some(kinds) = &filter.kind {
            q = filter_on!(q, $plan, documents::kind, eq_any(kinds));
        }
        if let Some(years) = &filter.year {
            q = q.filter(documents::year.eq_any(years));
        }
        if let Some(day) = filter.ends_on_or_after {
            q = q.filter(documents::date_end.ge(day));
        }
        if let Some(day) = filter.starts_on_or_before {
            q = q.filter(documents::date_start.le(day));
        }
        q
    }};
}

fn filtered<'a, D: DocumentData>(
    backend: Backend,
    query: &'a ListQuery,
    filter: &'a Filter,
    plan: Plan,
) -> QueryResult<documents::BoxedQuery<'a, MultiBackend>> {
    if filter.status.is_some() || filter.country.is_some() {
        return unsupported(D::NAME, "status or country");
    }
    let q = documents::table
        .filter(documents::collection.eq(D::NAME))
        .filter(documents::deleted_at.is_null())
        .into_boxed();
    Ok(document_filters!(q, plan, backend, D::NAME, query, filter))
}

impl<D: DocumentData> Store<D> for Documents {
    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Record<D>>> {
        let rows = documents::table
            .filter(documents::collection.eq(D::NAME))
            .filter(documents::id.eq(id))
            .select(DocumentRow::as_select())
            .load(conn)?;
        Ok(convert(rows)?.pop())
    }

    fn find_live_many(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<Record<D>>> {
        let rows = documents::table
            .filter(documents::collection.eq(D::NAME))
            .filter(documents::id.eq_any(ids))
            .filter(documents::deleted_at.is_null())
            .order(documents::id)
            .select(DocumentRow::as_select())
            .load(conn)?;
        convert(rows)
    }

    fn page(
        conn: &mut AnyConnection,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Record<D>>> {
        let mut q = documents::table
            .filter(documents::collection.eq(D::NAME))
            .into_boxed();
        if let Some(after) = after {
            q = q.filter(documents::id.gt(after.to_owned()));
        }
        convert(
            q.order(documents::id)
                .limit(limit)
                .select(DocumentRow::as_select())
                .load(conn)?,
        )
    }

    fn restore_meta(conn: &mut AnyConnection, id: &str, meta: &Meta) -> QueryResult<()> {
        diesel::update(documents::table)
            .filter(documents::collection.eq(D::NAME))
            .filter(documents::id.eq(id))
            .set((
                documents::created_at.eq(meta.created_at),
                documents::updated_at.eq(meta.updated_at),
                documents::version.eq(meta.version),
                documents::deleted_at.eq(meta.deleted_at),
            ))
            .execute(conn)
            .map(|_| ())
    }

    fn total(conn: &mut AnyConnection) -> QueryResult<i64> {
        documents::table
            .filter(documents::collection.eq(D::NAME))
            .count()
            .get_result(conn)
    }

    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            documents::table
                .filter(documents::collection.eq(D::NAME))
                .filter(documents::id.eq(id)),
        ))
        .get_result(conn)
    }

    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &D,
        links: &[Link],
        at: NaiveDateTime,
    ) -> QueryResult<Record<D>> {
        diesel::insert_into(documents::table)
            .values((
                documents::collection.eq(D::NAME),
                documents::id.eq(id),
                columns_of(data)?,
                documents::created_at.eq(at),
                documents::updated_at.eq(at),
                documents::version.eq(1),
            ))
            .execute(conn)?;
        relation::replace(conn, D::NAME, id, links)?;
        search::index(conn, D::NAME, id, &search_entries(data))?;
        Ok(Record::created(id, data, at))
    }

    fn update(
        conn: &mut AnyConnection,
        current: &Record<D>,
        data: &D,
        links: Option<&[Link]>,
        at: NaiveDateTime,
    ) -> QueryResult<Option<Record<D>>> {
        let version = current.meta.version;
        let updated = versioned_update!(conn, documents, &current.id, version, at,
            (columns_of(data)?), where documents::collection.eq(D::NAME))?;
        if updated == 0 {
            return Ok(None);
        }
        // What did not change is not rewritten.
        if let Some(links) = links {
            relation::replace(conn, D::NAME, &current.id, links)?;
        }
        let entries = search_entries(data);
        if search_entries(&current.data) != entries {
            search::index(conn, D::NAME, &current.id, &entries)?;
        }
        Ok(Some(current.updated(data, at)))
    }

    fn delete(
        conn: &mut AnyConnection,
        current: &Record<D>,
        tombstone: &D,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let version = current.meta.version;
        let updated = versioned_update!(conn, documents, &current.id, version, at,
            (columns_of(tombstone)?, documents::deleted_at.eq(at)),
            where documents::collection.eq(D::NAME))?;
        if updated == 0 {
            return Ok(false);
        }
        relation::clear(conn, D::NAME, &current.id)?;
        search::remove(conn, D::NAME, &current.id)?;
        Ok(true)
    }

    /// Sort fields: id, position, title or name (the English label), date, year, created_at,
    /// updated_at.
    fn reindex(conn: &mut AnyConnection, record: &Record<D>) -> QueryResult<()> {
        search::index(conn, D::NAME, &record.id, &search_entries(&record.data))
    }

    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
    ) -> QueryResult<Vec<Record<D>>> {
        let backend = Backend::of(conn);
        let walk = query.walks_in_order(filter);
        let base = |plan| filtered::<D>(backend, query, filter, plan);
        let all = || {
            documents::table
                .filter(documents::collection.eq(D::NAME))
                .filter(documents::deleted_at.is_null())
                .into_boxed()
        };
        let rows = match query.sort.as_str() {
            "position" => keyset_rows!(conn, all(), base, documents, position: i32,
                nullable: true, query, walk: walk, as_int, DocumentRow)?,
            "title" | "name" => keyset_rows!(conn, all(), base, documents, label_en: String,
                nullable: false, query, walk: walk, as_text, DocumentRow)?,
            "date" => keyset_rows!(conn, all(), base, documents, date_start: NaiveDate,
                nullable: true, query, walk: walk, as_date, DocumentRow)?,
            "year" => keyset_rows!(conn, all(), base, documents, year: i32,
                nullable: true, query, walk: walk, as_int, DocumentRow)?,
            "created_at" => keyset_rows!(conn, all(), base, documents, created_at: NaiveDateTime,
                nullable: false, query, walk: walk, as_instant, DocumentRow)?,
            "updated_at" => keyset_rows!(conn, all(), base, documents, updated_at: NaiveDateTime,
                nullable: false, query, walk: walk, as_instant, DocumentRow)?,
            _ => keyset_rows!(conn, all(), base, documents, id, query, walk: walk, DocumentRow)?,
        };
        convert(rows)
    }

    fn count(conn: &mut AnyConnection, query: &ListQuery, filter: &Filter) -> QueryResult<i64> {
        filtered::<D>(Backend::of(conn), query, filter, Plan::Planner)?
            .count()
            .get_result(conn)
    }

    /// Counts `kind`, `year`, or the ids documents link to through some relations.
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
        facet: &Facet,
    ) -> QueryResult<Vec<(String, i64)>> {
        use crate::db::schema::relations;
        use diesel::dsl::count;
        use diesel::expression_methods::AggregateExpressionMethods;
        if filter.status.is_some() || filter.country.is_some() {
            return unsupported(D::NAME, "status or country");
        }
        let backend = Backend::of(conn);
        let live = documents::collection
            .eq(D::NAME)
            .and(documents::deleted_at.is_null());
        // Counts by a column's values, as text; records without a value are left out.
        macro_rules! by_column {
            ($column:expr, $type:ty) => {{
                let q = documents::table
                    .filter(live)
                    .filter($column.is_not_null())
                    .group_by($column)
                    .select(($column, count(documents::id).aggregate_distinct()))
                    .into_boxed();
                let rows: Vec<(Option<$type>, i64)> =
                    document_filters!(q, Plan::Planner, backend, D::NAME, query, filter)
                        .load(conn)?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(v, n)| v.map(|v| (v.to_string(), n)))
                    .collect())
            }};
        }
        match facet {
            Facet::Related(names) => {
                // Aliased: the filters' sub-queries use the table too.
                let r = diesel::alias!(relations as facet_relations);
                let q = documents::table
                    .inner_join(
                        r.on(r
                            .field(relations::record_id)
                            .eq(documents::id)
                            .and(r.field(relations::collection).eq(D::NAME))),
                    )
                    .filter(live)
                    .filter(r.field(relations::relation).eq_any(names))
                    .group_by(r.field(relations::target_id))
                    .select((
                        r.field(relations::target_id),
                        count(documents::id).aggregate_distinct(),
                    ))
                    .into_boxed();
                document_filters!(q, Plan::Planner, backend, D::NAME, query, filter).load(conn)
            }
            Facet::Year => by_column!(documents::year, i32),
            Facet::Kind => by_column!(documents::kind, String),
            other => unsupported(D::NAME, &format!("{other:?}")),
        }
    }

    fn sort_key(doc: &Record<D>, sort: &str) -> SortKey {
        let c = doc.data.columns();
        let value = match sort {
            "position" => c
                .position
                .map_or(SortValue::Null, |p| SortValue::Int(p.into())),
            "title" | "name" => SortValue::Text(c.label_en),
            "date" => c.date_start.map_or(SortValue::Null, SortValue::Date),
            "year" => c.year.map_or(SortValue::Null, |y| SortValue::Int(y.into())),
            "created_at" => SortValue::Instant(doc.meta.created_at),
            "updated_at" => SortValue::Instant(doc.meta.updated_at),
            _ => SortValue::Text(doc.id.clone()),
        };
        SortKey {
            value,
            id: doc.id.clone(),
        }
    }
}
