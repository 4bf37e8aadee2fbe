//! The collections that share the `documents` table: each record's validated data is stored as
//! JSON (every language), with typed columns for sorting and filtering and its links in
//! `relations`. A collection plugs in by implementing [`DocumentData`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::common::{Facet, Lang, ListQuery, Meta, SortKey, SortValue, common_filters, keyset};
use super::relation::{self, Link};
use super::search::{self, Backend};
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
pub trait DocumentData: Serialize + DeserializeOwned + Clone + PartialEq + Send + 'static {
    /// The collection's path segment, e.g. `engagement-areas`.
    const COLLECTION: &'static str;
    fn columns(&self) -> Columns;
    /// The texts searched by `q` in `lang` (English where `lang` is missing), the record's
    /// title or name first (search hits show it).
    fn search_texts(&self, lang: Lang) -> Vec<String>;
    /// The records this one points to.
    fn links(&self) -> Vec<Link>;
}

/// A stored document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<D> {
    pub id: String,
    pub data: D,
    pub meta: Meta,
}

/// Filters a document list can apply (each collection exposes the ones that fit it).
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub kind: Option<Vec<String>>,
    pub year: Option<Vec<i32>>,
    /// `(relations, ids)`: records linked through one of `relations` to one of `ids`.
    pub related: Vec<(&'static [&'static str], Vec<String>)>,
    /// Records whose date may fall on or after this day.
    pub ends_on_or_after: Option<NaiveDate>,
    /// Records whose date may fall on or before this day.
    pub starts_on_or_before: Option<NaiveDate>,
}

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
    fn into_document<D: DocumentData>(self) -> QueryResult<Document<D>> {
        Ok(Document {
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

fn convert<D: DocumentData>(rows: Vec<DocumentRow>) -> QueryResult<Vec<Document<D>>> {
    rows.into_iter().map(DocumentRow::into_document).collect()
}

/// A document by id, deleted or not.
pub fn find<D: DocumentData>(
    conn: &mut AnyConnection,
    id: &str,
) -> QueryResult<Option<Document<D>>> {
    let rows = documents::table
        .filter(documents::collection.eq(D::COLLECTION))
        .filter(documents::id.eq(id))
        .select(DocumentRow::as_select())
        .load(conn)?;
    Ok(convert(rows)?.pop())
}

/// Live documents among `ids`, in id order.
pub fn find_live_many<D: DocumentData>(
    conn: &mut AnyConnection,
    ids: &[String],
) -> QueryResult<Vec<Document<D>>> {
    let rows = documents::table
        .filter(documents::collection.eq(D::COLLECTION))
        .filter(documents::id.eq_any(ids))
        .filter(documents::deleted_at.is_null())
        .order(documents::id)
        .select(DocumentRow::as_select())
        .load(conn)?;
    convert(rows)
}

/// Every document of a collection (deleted ones too) after `after` in id order, `limit` of them.
pub fn page<D: DocumentData>(
    conn: &mut AnyConnection,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Document<D>>> {
    let mut q = documents::table
        .filter(documents::collection.eq(D::COLLECTION))
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

/// Sets a record's metadata to what an import says (after it was written as new).
pub fn restore_meta(
    conn: &mut AnyConnection,
    collection: &str,
    id: &str,
    meta: &Meta,
) -> QueryResult<()> {
    diesel::update(documents::table)
        .filter(documents::collection.eq(collection))
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

/// Whether a collection ever had this id.
pub fn id_taken(conn: &mut AnyConnection, collection: &str, id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        documents::table
            .filter(documents::collection.eq(collection))
            .filter(documents::id.eq(id)),
    ))
    .get_result(conn)
}

/// Which of `ids` are live records of a document collection.
pub fn live_ids(
    conn: &mut AnyConnection,
    collection: &str,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    documents::table
        .filter(documents::collection.eq(collection))
        .filter(documents::id.eq_any(ids))
        .filter(documents::deleted_at.is_null())
        .select(documents::id)
        .load(conn)
}

/// What search indexes for a document, per language.
pub fn search_entries<D: DocumentData>(data: &D) -> Vec<search::Entry> {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let mut texts = data.search_texts(lang);
            let title = if texts.is_empty() {
                String::new()
            } else {
                texts.remove(0)
            };
            search::Entry { lang, title, texts }
        })
        .collect()
}

/// Applies a list's filters to a boxed query whose source includes `documents`.
macro_rules! document_filters {
    ($q:expr, $backend:expr, $collection:expr, $query:expr, $filter:expr) => {{
        let (query, filter) = ($query, $filter);
        let mut q = common_filters!($q, documents, query, $collection, $backend);
        if let Some(kinds) = &filter.kind {
            q = q.filter(documents::kind.eq_any(kinds));
        }
        if let Some(years) = &filter.year {
            q = q.filter(documents::year.eq_any(years));
        }
        for (relations, targets) in &filter.related {
            q = q.filter(documents::id.eq_any(relation::linked_to!(
                $collection,
                *relations,
                targets
            )));
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
    filter: &'a DocumentFilter,
) -> documents::BoxedQuery<'a, MultiBackend> {
    let q = documents::table
        .filter(documents::collection.eq(D::COLLECTION))
        .filter(documents::deleted_at.is_null())
        .into_boxed();
    document_filters!(q, backend, D::COLLECTION, query, filter)
}

/// How many documents matching the filters have each value of a facet: `kind`, `year`, or
/// the ids they link to through some relations.
pub fn facet<D: DocumentData>(
    conn: &mut AnyConnection,
    query: &ListQuery,
    filter: &DocumentFilter,
    name: &str,
    facet: Facet,
) -> QueryResult<Vec<(String, i64)>> {
    use crate::db::schema::relations;
    use diesel::dsl::count;
    use diesel::expression_methods::AggregateExpressionMethods;
    let backend = Backend::of(conn);
    let live = documents::collection
        .eq(D::COLLECTION)
        .and(documents::deleted_at.is_null());
    match (facet, name) {
        (Facet::Related(names), _) => {
            // Aliased: the filters' sub-queries use the table too.
            let r = diesel::alias!(relations as facet_relations);
            let q = documents::table
                .inner_join(
                    r.on(r
                        .field(relations::record_id)
                        .eq(documents::id)
                        .and(r.field(relations::collection).eq(D::COLLECTION))),
                )
                .filter(live)
                .filter(r.field(relations::relation).eq_any(names))
                .group_by(r.field(relations::target_id))
                .select((
                    r.field(relations::target_id),
                    count(documents::id).aggregate_distinct(),
                ))
                .into_boxed();
            document_filters!(q, backend, D::COLLECTION, query, filter).load(conn)
        }
        (_, "year") => {
            let q = documents::table
                .filter(live)
                .filter(documents::year.is_not_null())
                .group_by(documents::year)
                .select((documents::year, count(documents::id).aggregate_distinct()))
                .into_boxed();
            let rows: Vec<(Option<i32>, i64)> =
                document_filters!(q, backend, D::COLLECTION, query, filter).load(conn)?;
            Ok(rows
                .into_iter()
                .filter_map(|(v, n)| v.map(|v| (v.to_string(), n)))
                .collect())
        }
        _ => {
            let q = documents::table
                .filter(live)
                .filter(documents::kind.is_not_null())
                .group_by(documents::kind)
                .select((documents::kind, count(documents::id).aggregate_distinct()))
                .into_boxed();
            let rows: Vec<(Option<String>, i64)> =
                document_filters!(q, backend, D::COLLECTION, query, filter).load(conn)?;
            Ok(rows
                .into_iter()
                .filter_map(|(v, n)| v.map(|v| (v, n)))
                .collect())
        }
    }
}

/// A page of documents (at most `query.limit`). Sort fields: id, position, title or name (the
/// English label), date, year, created_at, updated_at.
pub fn list<D: DocumentData>(
    conn: &mut AnyConnection,
    query: &ListQuery,
    filter: &DocumentFilter,
) -> QueryResult<Vec<Document<D>>> {
    let q = filtered::<D>(Backend::of(conn), query, filter);
    let q = match query.sort.as_str() {
        "position" => keyset!(q, documents, documents::position, query, as_int),
        "title" | "name" => keyset!(q, documents, documents::label_en, query, as_text),
        "date" => keyset!(q, documents, documents::date_start, query, as_date),
        "year" => keyset!(q, documents, documents::year, query, as_int),
        "created_at" => keyset!(q, documents, documents::created_at, query, as_instant),
        "updated_at" => keyset!(q, documents, documents::updated_at, query, as_instant),
        _ => keyset!(q, documents, documents::id, query, as_text),
    };
    convert(
        q.limit(query.limit)
            .select(DocumentRow::as_select())
            .load(conn)?,
    )
}

/// How many documents match.
pub fn count<D: DocumentData>(
    conn: &mut AnyConnection,
    query: &ListQuery,
    filter: &DocumentFilter,
) -> QueryResult<i64> {
    filtered::<D>(Backend::of(conn), query, filter)
        .count()
        .get_result(conn)
}

/// Where a document stands in a sort, for the next page's cursor.
pub fn sort_key<D: DocumentData>(doc: &Document<D>, sort: &str) -> SortKey {
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

/// Creates a document (version 1) with its links. Run inside a write transaction.
pub fn insert<D: DocumentData>(
    conn: &mut AnyConnection,
    id: &str,
    data: &D,
    at: NaiveDateTime,
) -> QueryResult<Document<D>> {
    diesel::insert_into(documents::table)
        .values((
            documents::collection.eq(D::COLLECTION),
            documents::id.eq(id),
            columns_of(data)?,
            documents::created_at.eq(at),
            documents::updated_at.eq(at),
            documents::version.eq(1),
        ))
        .execute(conn)?;
    relation::replace(conn, D::COLLECTION, id, &data.links())?;
    search::index(conn, D::COLLECTION, id, &search_entries(data))?;
    Ok(Document {
        id: id.to_owned(),
        data: data.clone(),
        meta: Meta {
            created_at: at,
            updated_at: at,
            version: 1,
            deleted_at: None,
        },
    })
}

/// Replaces a live document's data if it is still at its version; `None` when another write got
/// there first. Run inside a write transaction.
pub fn update<D: DocumentData>(
    conn: &mut AnyConnection,
    current: &Document<D>,
    data: &D,
    at: NaiveDateTime,
) -> QueryResult<Option<Document<D>>> {
    let version = current.meta.version;
    let updated = diesel::update(documents::table)
        .filter(documents::collection.eq(D::COLLECTION))
        .filter(documents::id.eq(&current.id))
        .filter(documents::version.eq(version))
        .filter(documents::deleted_at.is_null())
        .set((
            columns_of(data)?,
            documents::updated_at.eq(at),
            documents::version.eq(version + 1),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(None);
    }
    // What did not change is not rewritten.
    let links = data.links();
    if current.data.links() != links {
        relation::replace(conn, D::COLLECTION, &current.id, &links)?;
    }
    let entries = search_entries(data);
    if search_entries(&current.data) != entries {
        search::index(conn, D::COLLECTION, &current.id, &entries)?;
    }
    Ok(Some(Document {
        id: current.id.clone(),
        data: data.clone(),
        meta: Meta {
            updated_at: at,
            version: version + 1,
            ..current.meta.clone()
        },
    }))
}

/// Turns a live document into a tombstone, keeping `tombstone` as its data (the same data, or
/// with personal data erased); its links go. Run inside a write transaction.
pub fn delete<D: DocumentData>(
    conn: &mut AnyConnection,
    current: &Document<D>,
    tombstone: &D,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let version = current.meta.version;
    let updated = diesel::update(documents::table)
        .filter(documents::collection.eq(D::COLLECTION))
        .filter(documents::id.eq(&current.id))
        .filter(documents::version.eq(version))
        .filter(documents::deleted_at.is_null())
        .set((
            columns_of(tombstone)?,
            documents::deleted_at.eq(at),
            documents::updated_at.eq(at),
            documents::version.eq(version + 1),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    relation::clear(conn, D::COLLECTION, &current.id)?;
    search::remove(conn, D::COLLECTION, &current.id)?;
    Ok(true)
}
