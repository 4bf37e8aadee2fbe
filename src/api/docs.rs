//! The OpenAPI parameters that depend on a collection (`sort`, `include`, `facets` and its
//! filters), built from the same declarations the list parser reads ([`Spec`]), so the
//! document offers exactly the values the server takes.

use std::marker::PhantomData;

use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr, Required};

use super::collection::{Served, spec};
use super::listing::{FilterKind, Spec};
use crate::models::Facet;

/// The collection-specific query parameters of `GET /v1/{collection}`.
pub struct ListDoc<C>(PhantomData<C>);

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

fn array_of(items: Schema, max: usize) -> Schema {
    ArrayBuilder::new()
        .items(RefOr::T(items))
        .max_items(Some(max))
        .unique_items(true)
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

/// An ISO 3166-1 alpha-2 country code: the `CountryCode` schema of the document.
pub struct CountryCode;

impl utoipa::PartialSchema for CountryCode {
    fn schema() -> RefOr<Schema> {
        let mut codes: Vec<&str> = isocountry::CountryCode::iter()
            .map(|c| c.alpha2())
            .collect();
        codes.sort_unstable();
        let mut schema = match strings(codes) {
            Schema::Object(object) => object,
            _ => ObjectBuilder::new().build(),
        };
        schema.description = Some("An ISO 3166-1 alpha-2 country code".into());
        RefOr::T(Schema::Object(schema))
    }
}

impl utoipa::ToSchema for CountryCode {}

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
            array_of(strings(values.iter().copied()), 100),
            true,
        ),
        FilterKind::Country => query(
            name,
            "Only records with one of these countries (ISO 3166-1 alpha-2).".into(),
            ArrayBuilder::new()
                .items(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("CountryCode")))
                .max_items(Some(100))
                .unique_items(true)
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
                100,
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
            array_of(slug(), 100),
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
        array_of(strings(spec.includes.iter().map(|i| i.name)), 100),
        true,
    ))
}

fn facet_label(facet: &Facet) -> &'static str {
    match facet {
        Facet::Related(_) => "the ids it names",
        _ => "its values",
    }
}

impl<C: Served> IntoParams for ListDoc<C> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let spec = spec::<C>();
        let mut out = vec![query(
            "sort",
            format!(
                "The sort field, `-` prefix for descending (default `{}`). Ties break on id; nulls sort last.",
                spec.default_sort
            ),
            strings(spec.sort_values()),
            false,
        )];
        out.extend(include_parameter(&spec));
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
                array_of(strings(spec.facets.iter().map(|(name, _)| *name)), 100),
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

impl<C: Served> IntoParams for GetDoc<C> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        include_parameter(&spec::<C>()).into_iter().collect()
    }
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
