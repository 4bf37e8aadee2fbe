//! The glue between the document store (`models::document`) and the shared handlers: a
//! collection stored as documents implements [`DocumentCollection`] (validation, rendering,
//! filters) and gets [`Resource`] and [`Collection`] from the blanket impls below.

use serde::Serialize;
use serde_json::{Map, Value};

use super::collection::{Collection, IncludeSpec, Included};
use super::input::Checker;
use super::input::{Len, pointer};
use super::instant;
use super::lang::{Renderer, localize};
use super::listing::{ListParams, ListSpec};
use super::records::Resource;
use super::registry;
use crate::db::AnyConnection;
use crate::error::FieldError;
use crate::models::Facet;
use crate::models::document::{self, Document, DocumentData, DocumentFilter};
use crate::models::domain::{Figure, QUALIFIERS};
use crate::models::{ListQuery, Meta, SortKey};
use diesel::QueryResult;

/// A related id a record names, for the check that it exists.
#[derive(Debug, Clone)]
pub struct Reference {
    /// JSON Pointer of the member naming it.
    pub field: String,
    pub collection: &'static str,
    pub id: String,
}

/// A collection kept in the document store.
pub trait DocumentCollection: 'static {
    type Data: DocumentData;
    const SINGULAR: &'static str;
    const TEXT_MEMBERS: &'static [&'static str];
    const MEMBERS: &'static [&'static str];
    const LIST: ListSpec;
    const INCLUDES: &'static [IncludeSpec];

    fn english_title(data: &Self::Data) -> String;
    fn check(doc: &Map<String, Value>, checker: &mut Checker) -> Option<Self::Data>;
    /// Every related id the data names.
    fn references(data: &Self::Data) -> Vec<Reference>;
    fn filter(params: &ListParams) -> DocumentFilter;
    /// What a deleted record keeps (all of it, unless it holds personal data).
    fn tombstone(data: &Self::Data) -> Self::Data {
        data.clone()
    }
}

/// A rendered document: `id`, the data's members with texts in the chosen language, then the
/// record's metadata and any embedded records.
#[derive(Debug, Serialize)]
pub struct DocumentOut {
    #[serde(flatten)]
    pub fields: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included: Option<Included>,
}

/// Renders a document in the renderer's language.
pub fn render<D: DocumentData>(doc: &Document<D>, r: &mut Renderer) -> DocumentOut {
    let mut fields = Map::new();
    fields.insert("id".into(), Value::String(doc.id.clone()));
    if let Ok(Value::Object(data)) = serde_json::to_value(&doc.data) {
        for (key, mut value) in data {
            localize(&mut value, r);
            fields.insert(key, value);
        }
    }
    fields.insert(
        "missing_languages".into(),
        serde_json::to_value(r.take_missing()).unwrap_or_default(),
    );
    fields.insert(
        "created_at".into(),
        Value::String(instant(&doc.meta.created_at)),
    );
    fields.insert(
        "updated_at".into(),
        Value::String(instant(&doc.meta.updated_at)),
    );
    fields.insert("version".into(), Value::from(doc.meta.version));
    DocumentOut {
        fields,
        included: None,
    }
}

/// Key figures (`key_figures`, `figures`): value, qualifier, unit and when they hold.
pub fn check_figures(doc: &Map<String, Value>, member: &str, c: &mut Checker) -> Vec<Figure> {
    let mut figures = Vec::new();
    let mut ids = Vec::new();
    for (i, item) in c.array(doc, "", member, 100).iter().enumerate() {
        let path = format!("{}/{i}", pointer("", member));
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(
            obj,
            &path,
            &[
                "id",
                "label",
                "value",
                "qualifier",
                "unit",
                "year",
                "as_of",
                "source",
            ],
        );
        let id = c.slug(obj, &path, "id", true);
        let label = c.text(obj, &path, "label", true, Len(500));
        let value = c.number(obj, &path, "value", true, -1e15, 1e15);
        let qualifier = c.one_of(obj, &path, "qualifier", true, &QUALIFIERS);
        let unit = c.slug_like(obj, &path, "unit");
        let year = c
            .int(obj, &path, "year", false, 1900, 2200)
            .map(|y| y as i32);
        let as_of = c.date(obj, &path, "as_of");
        let source = c.string(obj, &path, "source", true, Len(500));
        let given = |member: &str| obj.get(member).is_some_and(|v| !v.is_null());
        if !given("year") && !given("as_of") {
            c.fail(
                path.clone(),
                "a figure needs the year or the date (as_of) it holds for",
            );
        }
        if let Some(id) = &id {
            ids.push((i, id.clone()));
        }
        if let (Some(id), Some(label), Some(value), Some(qualifier), Some(unit), Some(source)) =
            (id, label, value, qualifier, unit, source)
        {
            figures.push(Figure {
                id,
                label,
                value,
                qualifier,
                unit,
                year,
                as_of,
                source,
            });
        }
    }
    c.unique(&ids, &pointer("", member));
    figures
}

/// Checks that every referenced id is a live record of its collection; one error per missing id.
pub fn check_references(
    conn: &mut AnyConnection,
    references: &[Reference],
) -> QueryResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut collections: Vec<&'static str> = references.iter().map(|r| r.collection).collect();
    collections.sort();
    collections.dedup();
    for collection in collections {
        let ids: Vec<String> = references
            .iter()
            .filter(|r| r.collection == collection)
            .map(|r| r.id.clone())
            .collect();
        let live = registry::live_ids(conn, collection, &ids)?;
        for r in references
            .iter()
            .filter(|r| r.collection == collection && !live.contains(&r.id))
        {
            errors.push(FieldError::new(
                r.field.clone(),
                format!("no record of {} has the id '{}'", r.collection, r.id),
            ));
        }
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    Ok(errors)
}

impl<T: DocumentCollection> Resource for T {
    const COLLECTION: &'static str = <T::Data as DocumentData>::COLLECTION;
    const SINGULAR: &'static str = T::SINGULAR;
    const TEXT_MEMBERS: &'static [&'static str] = T::TEXT_MEMBERS;
    const MEMBERS: &'static [&'static str] = T::MEMBERS;
    type Data = T::Data;
    type Record = Document<T::Data>;

    fn id(record: &Self::Record) -> &str {
        &record.id
    }
    fn meta(record: &Self::Record) -> &Meta {
        &record.meta
    }
    fn data(record: &Self::Record) -> &T::Data {
        &record.data
    }
    fn links(data: &Self::Data) -> Vec<crate::models::relation::Link> {
        data.links()
    }
    fn search_entries(data: &Self::Data) -> Vec<crate::models::search::Entry> {
        document::search_entries(data)
    }
    fn english_title(data: &T::Data) -> String {
        T::english_title(data)
    }
    fn check(doc: &Map<String, Value>, checker: &mut Checker) -> Option<T::Data> {
        T::check(doc, checker)
    }
    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Self::Record>> {
        document::find(conn, id)
    }
    fn page(
        conn: &mut AnyConnection,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Self::Record>> {
        document::page(conn, after, limit)
    }
    fn restore_meta(
        conn: &mut AnyConnection,
        id: &str,
        meta: &crate::models::Meta,
    ) -> QueryResult<()> {
        document::restore_meta(conn, Self::COLLECTION, id, meta)
    }
    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
        document::id_taken(conn, Self::COLLECTION, id)
    }
    fn unknown_references(
        conn: &mut AnyConnection,
        data: &T::Data,
    ) -> QueryResult<Vec<FieldError>> {
        check_references(conn, &T::references(data))
    }
    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &T::Data,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Self::Record> {
        document::insert(conn, id, data, at)
    }
    fn update(
        conn: &mut AnyConnection,
        current: &Self::Record,
        data: &T::Data,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Option<Self::Record>> {
        document::update(conn, current, data, at)
    }
    fn referenced_by(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<String>> {
        crate::models::relation::pointing_to(conn, Self::COLLECTION, id)
    }
    fn delete(
        conn: &mut AnyConnection,
        current: &Self::Record,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<bool> {
        document::delete(conn, current, &T::tombstone(&current.data), at)
    }
}

impl<T: DocumentCollection> Collection for T {
    type Out = DocumentOut;
    type Filter = DocumentFilter;
    const LIST: ListSpec = T::LIST;
    const INCLUDES: &'static [IncludeSpec] = T::INCLUDES;

    fn filter(params: &ListParams) -> DocumentFilter {
        T::filter(params)
    }
    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &DocumentFilter,
    ) -> QueryResult<Vec<Self::Record>> {
        document::list(conn, query, filter)
    }
    fn count(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &DocumentFilter,
    ) -> QueryResult<i64> {
        document::count::<T::Data>(conn, query, filter)
    }
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &DocumentFilter,
        name: &str,
        facet: Facet,
    ) -> QueryResult<Vec<(String, i64)>> {
        document::facet::<T::Data>(conn, query, filter, name, facet)
    }
    fn sort_key(record: &Self::Record, sort: &str) -> SortKey {
        document::sort_key(record, sort)
    }
    fn find_live_many(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<Self::Record>> {
        document::find_live_many(conn, ids)
    }
    fn render(record: &Self::Record, r: &mut Renderer) -> DocumentOut {
        render(record, r)
    }
    fn included(out: &mut DocumentOut) -> &mut Option<Included> {
        &mut out.included
    }
}
