//! The OpenAPI parameters that depend on a collection (`sort`, `include`, `facets` and its
//! filters), built from the same declarations the list parser reads ([`Spec`]), so the
//! document offers exactly the values the server takes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde_json::{Value, json};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr, Required};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::collection::spec;
use super::listing::{FilterKind, Spec};
use crate::models::Facet;
use crate::records::Collection;

/// A record of `C` as responses carry it (`{Name}Out`): `id`, the data's members with texts in
/// the language served ([`LocalizedText`](super::lang::LocalizedText)), the record's metadata
/// ([`RecordMeta`](super::RecordMeta)) and `included`. Derived from the data type that
/// `collection::render` serialises, so the document describes the JSON served.
pub struct Out<C>(PhantomData<C>);

/// The body of a create (`{Name}Write`; `{Name}Patch` for a merge patch, derived from it): the
/// data type's members with texts as [`TextInput`], and `id` (optional).
pub struct Write<C>(PhantomData<C>);

/// A page of `C` (`{Name}Page`): `data`, `meta`, `links` and `facets`.
pub struct Page<C>(PhantomData<C>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Out,
    Write,
}

impl Mode {
    fn suffix(self) -> &'static str {
        match self {
            Mode::Out => "Out",
            Mode::Write => "Write",
        }
    }
    /// The schema a `Text` member has in this direction.
    fn text(self) -> &'static str {
        match self {
            Mode::Out => "LocalizedText",
            Mode::Write => "TextInput",
        }
    }
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn referenced(value: &Value) -> Option<&str> {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

fn json_of<T: serde::Serialize>(schema: &T) -> Value {
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// The components a schema type depends on, by name.
fn dependencies<T: ToSchema>() -> BTreeMap<String, Value> {
    let mut found = Vec::new();
    T::schemas(&mut found);
    found
        .into_iter()
        .map(|(name, schema)| (name, json_of(&schema)))
        .collect()
}

/// Whether a schema holds a `Text`, directly or through the components it refers to.
fn has_text(value: &Value, deps: &BTreeMap<String, Value>, seen: &mut Vec<String>) -> bool {
    if let Some(name) = referenced(value) {
        if name == "Text" {
            return true;
        }
        if seen.iter().any(|s| s == name) {
            return false;
        }
        seen.push(name.to_owned());
        return deps.get(name).is_some_and(|d| has_text(d, deps, seen));
    }
    match value {
        Value::Object(map) => map.values().any(|v| has_text(v, deps, seen)),
        Value::Array(items) => items.iter().any(|v| has_text(v, deps, seen)),
        _ => false,
    }
}

/// Rewrites a schema for one direction: `Text` becomes `LocalizedText` or `TextInput`, and a
/// component that holds texts becomes its `{Name}Out` / `{Name}Write` variant (added to
/// `variants`).
fn transform(
    value: &mut Value,
    mode: Mode,
    deps: &BTreeMap<String, Value>,
    variants: &mut BTreeMap<String, Value>,
) {
    if let Some(name) = referenced(value).map(str::to_owned) {
        if name == "Text" {
            *value = reference(mode.text());
        } else if let Some(dep) = deps.get(&name)
            && has_text(dep, deps, &mut Vec::new())
        {
            let variant = format!("{name}{}", mode.suffix());
            if !variants.contains_key(&variant) {
                variants.insert(variant.clone(), Value::Null);
                let mut schema = dep.clone();
                transform(&mut schema, mode, deps, variants);
                variants.insert(variant.clone(), schema);
            }
            *value = reference(&variant);
        }
        return;
    }
    match value {
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| transform(v, mode, deps, variants)),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| transform(v, mode, deps, variants)),
        _ => {}
    }
}

/// The names of the components `value` refers to, and those they refer to, among `known`.
fn reachable(values: &[&Value], known: &BTreeMap<String, Value>) -> Vec<String> {
    fn walk(value: &Value, known: &BTreeMap<String, Value>, out: &mut Vec<String>) {
        if let Some(name) = referenced(value) {
            if !out.iter().any(|n| n == name)
                && let Some(schema) = known.get(name)
            {
                out.push(name.to_owned());
                walk(schema, known, out);
            }
            return;
        }
        match value {
            Value::Object(map) => map.values().for_each(|v| walk(v, known, out)),
            Value::Array(items) => items.iter().for_each(|v| walk(v, known, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for value in values {
        walk(value, known, &mut out);
    }
    out
}

fn schema_of(value: Value) -> RefOr<Schema> {
    serde_json::from_value(value).unwrap_or_else(|_| RefOr::T(Schema::default()))
}

/// The components a derived schema needs: the data type's (rewritten where they hold texts)
/// and those of the types named in `also`.
fn needed(
    values: &[&Value],
    deps: BTreeMap<String, Value>,
    variants: BTreeMap<String, Value>,
    also: Vec<(String, RefOr<Schema>)>,
    schemas: &mut Vec<(String, RefOr<Schema>)>,
) {
    let mut known = deps;
    known.extend(variants);
    for (name, schema) in also {
        known.insert(name, json_of(&schema));
    }
    for name in reachable(values, &known) {
        if let Some(schema) = known.remove(&name) {
            schemas.push((name, schema_of(schema)));
        }
    }
}

fn with_dependencies<T: ToSchema>() -> Vec<(String, RefOr<Schema>)> {
    let mut out = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut out);
    out
}

/// The data type's schema rewritten for one direction, with the variants it needs.
fn rewritten<C: ToSchema>(mode: Mode) -> (Value, BTreeMap<String, Value>, BTreeMap<String, Value>) {
    let deps = dependencies::<C>();
    let mut data = json_of(&C::schema());
    let mut variants = BTreeMap::new();
    transform(&mut data, mode, &deps, &mut variants);
    (data, deps, variants)
}

fn id_schema(description: &str) -> Value {
    json!({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80,
        "description": description})
}

impl<C: Collection + ToSchema> Out<C> {
    fn value() -> (Value, BTreeMap<String, Value>, BTreeMap<String, Value>) {
        let (data, deps, variants) = rewritten::<C>(Mode::Out);
        let meta = json_of(&super::RecordMeta::schema());
        let mut properties = serde_json::Map::new();
        properties.insert("id".into(), id_schema("The record's id"));
        let mut required = vec![json!("id")];
        for part in [&data, &meta] {
            if let Some(p) = part["properties"].as_object() {
                properties.extend(p.clone());
            }
            if let Some(r) = part["required"].as_array() {
                required.extend(r.iter().cloned());
            }
        }
        if !spec::<C>().includes.is_empty() {
            let mut included = reference(&format!("{}Included", C::name()));
            included["description"] = json!("Related records asked for with `include`");
            properties.insert("included".into(), included);
        }
        let mut out = json!({"type": "object", "properties": properties, "required": required});
        if let Some(description) = data.get("description") {
            out["description"] = description.clone();
        }
        (out, deps, variants)
    }
}

/// The CSV columns of a collection, fixed by its read schema whatever the records hold:
/// `id`, the members in their declared order, then the record's metadata; an object member
/// becomes one column per member (`budget.amount`, `budget.currency`), a text one column, or
/// three with `lang=all` (`title.en`, `title.fr`, `title.es`); a list is one column. Embedded
/// records have no column. Computed once per collection and language setting.
pub fn csv_columns<C: Collection + ToSchema>(all_languages: bool) -> std::sync::Arc<[String]> {
    type Columns = std::collections::HashMap<(String, bool), std::sync::Arc<[String]>>;
    static COLUMNS: std::sync::OnceLock<std::sync::Mutex<Columns>> = std::sync::OnceLock::new();
    let key = (C::NAME.to_owned(), all_languages);
    let cache = COLUMNS.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let (out, deps, _) = Out::<C>::value();
    let empty = serde_json::Map::new();
    let properties = out["properties"].as_object().unwrap_or(&empty);
    let mut names: Vec<&str> = vec!["id"];
    names.extend(C::MEMBERS.iter().map(|m| m.name));
    names.extend(properties.keys().map(String::as_str));
    let mut columns = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in names {
        if name != "included"
            && seen.insert(name)
            && let Some(schema) = properties.get(name)
        {
            csv_expand(name, schema, &deps, all_languages, &mut columns);
        }
    }
    let columns: std::sync::Arc<[String]> = columns.into();
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, columns.clone());
    }
    columns
}

fn csv_expand(
    prefix: &str,
    schema: &Value,
    deps: &BTreeMap<String, Value>,
    all_languages: bool,
    columns: &mut Vec<String>,
) {
    // A nullable member is `oneOf: [X, null]`: its columns are X's.
    let schema = schema["oneOf"]
        .as_array()
        .and_then(|variants| variants.iter().find(|v| v["type"] != "null"))
        .unwrap_or(schema);
    let named = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next());
    if named == Some(Mode::Out.text()) {
        if all_languages {
            for lang in crate::models::Lang::ALL {
                columns.push(format!("{prefix}.{}", lang.code()));
            }
        } else {
            columns.push(prefix.to_owned());
        }
        return;
    }
    let schema = named.and_then(|n| deps.get(n)).unwrap_or(schema);
    match schema["properties"].as_object() {
        Some(members) if schema["type"] == "object" && !members.is_empty() => {
            for (name, member) in members {
                csv_expand(
                    &format!("{prefix}.{name}"),
                    member,
                    deps,
                    all_languages,
                    columns,
                );
            }
        }
        _ => columns.push(prefix.to_owned()),
    }
}

impl<C: Collection + ToSchema> PartialSchema for Out<C> {
    fn schema() -> RefOr<Schema> {
        schema_of(Self::value().0)
    }
}

impl<C: Collection + ToSchema> ToSchema for Out<C> {
    fn name() -> Cow<'static, str> {
        format!("{}Out", C::name()).into()
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        let (out, deps, variants) = Self::value();
        let mut also = with_dependencies::<super::lang::LocalizedText>();
        also.extend(with_dependencies::<super::RecordMeta>());
        let spec = spec::<C>();
        let mut values = vec![&out];
        let included = (!spec.includes.is_empty()).then(|| {
            let properties: serde_json::Map<String, Value> = spec
                .includes
                .iter()
                .map(|i| {
                    let target = super::schema_name(i.target).unwrap_or_default();
                    let items = json!({"type": "array", "items": reference(&format!("{target}Out")),
                        "description": format!("The {} records of `include={}`", i.target, i.name)});
                    (i.name.to_owned(), items)
                })
                .collect();
            json!({"type": "object", "properties": properties,
                "description": "Records embedded by `include`, by include name"})
        });
        if let Some(included) = &included {
            values.push(included);
        }
        needed(&values, deps, variants, also, schemas);
        if let Some(included) = included {
            schemas.push((format!("{}Included", C::name()), schema_of(included)));
        }
    }
}

impl<C: Collection + ToSchema> Write<C> {
    fn value() -> (Value, BTreeMap<String, Value>, BTreeMap<String, Value>) {
        let (data, deps, variants) = rewritten::<C>(Mode::Write);
        let mut properties = serde_json::Map::new();
        let singleton = crate::records::catalogue::entry(C::NAME).is_some_and(|e| e.singleton);
        if !singleton {
            properties.insert(
                "id".into(),
                id_schema(
                    "The id; derived from the English title or name when omitted. Never changes.",
                ),
            );
        }
        let data_properties = data["properties"].as_object().cloned().unwrap_or_default();
        // Lists may be left out (they are then empty).
        let required: Vec<Value> = data["required"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|name| {
                name.as_str()
                    .and_then(|n| data_properties.get(n))
                    .is_none_or(|p| p["type"] != "array")
            })
            .collect();
        // A member that may be left out may also be null (absent; in a merge patch, removed).
        for (name, schema) in data_properties {
            let optional = !required.iter().any(|r| r == name.as_str());
            let nullable = schema["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("null")))
                || schema["oneOf"]
                    .as_array()
                    .is_some_and(|o| o.iter().any(|v| v["type"] == "null"));
            let schema = if optional && !nullable {
                json!({"oneOf": [schema, {"type": "null"}]})
            } else {
                schema
            };
            properties.insert(name, schema);
        }
        let mut out = json!({"type": "object", "properties": properties,
            "additionalProperties": false,
            "description": format!("The body of a create of {}; texts are a string in the request's `Content-Language` or an object of languages.", C::NAME)});
        if !required.is_empty() {
            out["required"] = Value::Array(required);
        }
        if let Some(example) = data.get("example") {
            out["example"] = example.clone();
        }
        (out, deps, variants)
    }
}

impl<C: Collection + ToSchema> PartialSchema for Write<C> {
    fn schema() -> RefOr<Schema> {
        schema_of(Self::value().0)
    }
}

impl<C: Collection + ToSchema> ToSchema for Write<C> {
    fn name() -> Cow<'static, str> {
        format!("{}Write", C::name()).into()
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        let (out, deps, variants) = Self::value();
        needed(
            &[&out],
            deps,
            variants,
            with_dependencies::<TextInput>(),
            schemas,
        );
    }
}

impl<C: Collection + ToSchema> PartialSchema for Page<C> {
    fn schema() -> RefOr<Schema> {
        let spec = spec::<C>();
        let mut page = json!({
            "type": "object",
            "description": format!("A page of {}", C::NAME),
            "properties": {
                "data": {"type": "array", "items": reference(&format!("{}Out", C::name()))},
                "meta": reference("PageMeta"),
                "links": reference("PageLinks"),
            },
            "required": ["data", "meta", "links"],
        });
        if !spec.facets.is_empty() {
            let counts = json!({"type": "array", "items": reference("FacetValue")});
            let properties: serde_json::Map<String, Value> = spec
                .facets
                .iter()
                .map(|(name, _)| ((*name).to_owned(), counts.clone()))
                .collect();
            page["properties"]["facets"] = json!({"type": "object", "properties": properties,
                "additionalProperties": false,
                "description": "With `facets=`: counts per value of each field asked for, most frequent first"});
        }
        schema_of(page)
    }
}

impl<C: Collection + ToSchema> ToSchema for Page<C> {
    fn name() -> Cow<'static, str> {
        format!("{}Page", C::name()).into()
    }
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.extend(with_dependencies::<super::listing::PageMeta>());
        schemas.extend(with_dependencies::<super::listing::PageLinks>());
        schemas.extend(with_dependencies::<super::listing::FacetValue>());
    }
}

/// A multilingual text in a write: a string in the request's `Content-Language` (default
/// English), or an object of languages (English required on create; a null language is
/// removed by a PATCH).
pub struct TextInput;

impl PartialSchema for TextInput {
    fn schema() -> RefOr<Schema> {
        let text = json!({"type": ["string", "null"], "minLength": 1});
        schema_of(json!({
            "description": "A text: a string in the request's Content-Language (default en), or an object of languages (en required on create; null removes a language in a PATCH)",
            "oneOf": [
                {"type": "string", "minLength": 1, "example": "Partnership between Santiago and Mexico City"},
                {"type": "object", "properties": {"en": text, "fr": text, "es": text},
                    "additionalProperties": false},
            ],
        }))
    }
}

impl ToSchema for TextInput {}

/// The collection-specific query parameters of `GET /v1/{collection}`.
pub struct ListDoc<C>(PhantomData<C>);

/// The query parameters of `GET /v1/{collection}.csv`: the list's, without paging, counts,
/// facets or embedding, which have no meaning in one file.
pub struct DownloadDoc<C>(PhantomData<C>);

/// The list parameters a download does not take.
pub const NOT_FOR_DOWNLOADS: [&str; 5] = ["limit", "cursor", "count", "include", "facets"];

impl<C: Collection> IntoParams for DownloadDoc<C> {
    fn into_params(parameter_in: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        ListDoc::<C>::into_params(parameter_in)
            .into_iter()
            .filter(|p| !NOT_FOR_DOWNLOADS.contains(&p.name.as_str()))
            .collect()
    }
}

/// The collection-specific query parameters of `GET /v1/{collection}/{id}`.
pub struct GetDoc<C>(PhantomData<C>);

fn strings(values: impl IntoIterator<Item = impl Into<String>>) -> Schema {
    let values: Vec<serde_json::Value> = values
        .into_iter()
        .map(|v| serde_json::Value::String(v.into()))
        .collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .into()
}

/// A list parameter's schema. Repeats are allowed (they are ignored), so neither `uniqueItems`
/// nor `maxItems` is stated: the limit is on distinct values (100), which a schema cannot say.
fn array_of(items: Schema) -> Schema {
    ArrayBuilder::new()
        .items(RefOr::T(items))
        .min_items(Some(1))
        .into()
}

fn query(name: &str, description: String, schema: Schema, list: bool) -> Parameter {
    let mut builder = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema));
    if list {
        // `a,b` as well as repeated parameters.
        builder = builder
            .style(Some(ParameterStyle::Form))
            .explode(Some(false));
    }
    builder.build()
}

fn slug() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[a-z0-9]+(-[a-z0-9]+)*$"))
        .max_length(Some(80))
        .into()
}

/// A collection's name, as paths, the change feed and `collection=` write it: the
/// `CollectionName` schema, listing every collection of the catalogue.
pub struct CollectionName;

impl utoipa::PartialSchema for CollectionName {
    fn schema() -> RefOr<Schema> {
        let mut schema = match strings(crate::records::catalogue::names()) {
            Schema::Object(object) => object,
            _ => ObjectBuilder::new().build(),
        };
        schema.description = Some("A collection of the catalogue".into());
        RefOr::T(Schema::Object(schema))
    }
}

impl utoipa::ToSchema for CollectionName {}

fn filter_parameter(name: &str, kind: &FilterKind) -> Parameter {
    match kind {
        FilterKind::Status(values) | FilterKind::Kind(values) => query(
            name,
            format!("Only records whose {name} is one of these."),
            array_of(strings(values.iter().copied())),
            true,
        ),
        FilterKind::Country => query(
            name,
            "Only records with one of these countries (ISO 3166-1 alpha-2).".into(),
            ArrayBuilder::new()
                .items(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("CountryCode")))
                .min_items(Some(1))
                .into(),
            true,
        ),
        FilterKind::Year => query(
            name,
            "Only records of one of these years.".into(),
            array_of(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1900))
                    .maximum(Some(2200))
                    .into(),
            ),
            true,
        ),
        FilterKind::Upcoming => query(
            name,
            "`true`: only records that may still be to come (their last possible day is today, UTC, or later).".into(),
            ObjectBuilder::new().schema_type(Type::Boolean).into(),
            false,
        ),
        FilterKind::From | FilterKind::To => query(
            name,
            if matches!(kind, FilterKind::From) {
                "Only records that may fall on or after this day.".into()
            } else {
                "Only records that may fall on or before this day.".into()
            },
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .into(),
            false,
        ),
        FilterKind::Related(members) => query(
            name,
            format!(
                "Only records that name one of these ids in {}.",
                members
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            array_of(slug()),
            true,
        ),
    }
}

fn include_parameter(spec: &Spec) -> Option<Parameter> {
    if spec.includes.is_empty() {
        return None;
    }
    Some(query(
        "include",
        format!(
            "Embeds related records under `included`: {}.",
            spec.includes
                .iter()
                .map(|i| format!("`{}` ({})", i.name, i.target))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        array_of(strings(spec.includes.iter().map(|i| i.name))),
        true,
    ))
}

fn facet_label(facet: &Facet) -> &'static str {
    match facet {
        Facet::Related(_) => "the ids it names",
        _ => "its values",
    }
}

impl<C: Collection> IntoParams for ListDoc<C> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let spec = spec::<C>();
        let integer = |min: i64, max: i64, default: i64| -> Schema {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(min as f64))
                .maximum(Some(max as f64))
                .default(Some(json!(default)))
                .into()
        };
        let text = || -> Schema { ObjectBuilder::new().schema_type(Type::String).into() };
        let mut out = vec![
            query(
                "limit",
                format!("Page size, 1 to {}.", super::listing::MAX_LIMIT),
                integer(1, super::listing::MAX_LIMIT, super::listing::DEFAULT_LIMIT),
                false,
            ),
            query(
                "cursor",
                "The `next_cursor` of the previous page (bound to the query it came from).".into(),
                text(),
                false,
            ),
            query(
                "count",
                "Adds `meta.total`, the number of records matching the filters.".into(),
                ObjectBuilder::new().schema_type(Type::Boolean).into(),
                false,
            ),
            query(
                "q",
                "Full-text search in the texts of the requested language: words (all must occur, stemmed and accent-insensitive: \"migrant\" finds \"migrants\"), \"quoted phrases\", prefixes (`migr*`), `OR` between two words, `-word` to exclude one. Filters; the sort stays. Any text of at most 200 characters is read as /v1/search reads it; one with no word to find (empty, punctuation) filters nothing.".into(),
                ObjectBuilder::new().schema_type(Type::String).max_length(Some(200)).into(),
                false,
            ),
            query(
                "id",
                "Only these ids (comma-separated or repeated).".into(),
                array_of(slug()),
                true,
            ),
            query(
                "updated_since",
                "Only records updated at or after this instant (RFC 3339).".into(),
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                    .into(),
                false,
            ),
        ];
        out.push(query(
            "sort",
            format!(
                "The sort field, `-` prefix for descending (default `{}`). Ties break on id in the sort's direction; records without a value come last both ways.",
                spec.default_sort
            ),
            strings(spec.sort_values()),
            false,
        ));
        out.extend(include_parameter(&spec));
        out.push(fields_parameter::<C>());
        if !spec.facets.is_empty() {
            out.push(query(
                "facets",
                format!(
                    "Adds `facets`: how many records matching the filters (all pages) have each value: {}.",
                    spec.facets
                        .iter()
                        .map(|(name, facet)| format!("`{name}` ({})", facet_label(facet)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                array_of(strings(spec.facets.iter().map(|(name, _)| *name))),
                true,
            ));
        }
        out.extend(
            spec.filters
                .iter()
                .map(|(name, kind)| filter_parameter(name, kind)),
        );
        out
    }
}

impl<C: Collection> IntoParams for GetDoc<C> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut out: Vec<Parameter> = include_parameter(&spec::<C>()).into_iter().collect();
        out.push(fields_parameter::<C>());
        out
    }
}

/// `fields`: the members a representation keeps (with `id`), among the collection's.
fn fields_parameter<C: Collection>() -> Parameter {
    query(
        "fields",
        "Only these members (comma-separated), and `id`, in JSON, CSV and GeoJSON `properties`; an unknown name is a 400. Embedded records (`include`) stay.".into(),
        array_of(strings(super::representation::member_names::<C>())),
        true,
    )
}

/// The names of the query parameters a list takes, sorted.
pub fn list_parameter_names(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = [
        "limit",
        "cursor",
        "sort",
        "count",
        "lang",
        "q",
        "id",
        "updated_since",
        "fields",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    if !spec.facets.is_empty() {
        names.push("facets".into());
    }
    if !spec.includes.is_empty() {
        names.push("include".into());
    }
    names.extend(spec.filters.iter().map(|(name, _)| (*name).to_owned()));
    names.sort_unstable();
    names
}

/// Which record: its collection, id and path (a feed entry's, a search hit's).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct RecordRef {
    /// The collection's path segment.
    #[schema(example = "programmes", value_type = CollectionName)]
    pub collection: String,
    /// The record's id.
    #[schema(example = "santiago-mexico-city-partnership")]
    pub id: String,
    /// Where the record is (`/v1/institution` for the one institution).
    #[schema(example = "/v1/programmes/santiago-mexico-city-partnership")]
    pub href: String,
}

impl RecordRef {
    pub fn new(collection: String, id: String) -> Self {
        RecordRef {
            href: crate::records::catalogue::href(&collection, &id),
            collection,
            id,
        }
    }
}
