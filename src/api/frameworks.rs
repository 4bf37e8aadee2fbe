//! `/v1/frameworks`: the compacts and declarations that frame LRGs' work on migration.

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::domain::FRAMEWORK_KINDS;
use crate::models::domain::Framework;
use crate::models::{Facet, Source};

impl Served for Framework {
    const LIST: ListSpec = ListSpec {
        filters: &[
            ("kind", FilterKind::Kind(&FRAMEWORK_KINDS)),
            ("year", FilterKind::Year),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("year", SortKind::Int),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[("kind", Facet::Kind), ("year", Facet::Year)],
    };
}

/// A guiding principle.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PrincipleOut {
    #[schema(example = "people-centred")]
    id: String,
    title: LocalizedText,
}

/// Kinds of framework.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkKind {
    GlobalCompact,
    Declaration,
    Agenda,
    Other,
}

/// A compact or declaration.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FrameworkOut {
    /// The framework's id.
    #[schema(example = "gcm")]
    id: String,
    /// Its title.
    title: LocalizedText,
    /// Its acronym, which may differ by language (GCM, PMM).
    acronym: Option<LocalizedText>,
    kind: FrameworkKind,
    /// The year it was adopted, where the sources give it.
    #[schema(example = 2018)]
    year: Option<i32>,
    /// What it is.
    description: Option<LocalizedText>,
    /// A passage quoted from it.
    quote: Option<LocalizedText>,
    /// Who signed or adopted it.
    signatories: Option<LocalizedText>,
    /// The guiding principles the sources name.
    guiding_principles: Vec<PrincipleOut>,
    /// How many guiding principles it has in all.
    #[schema(example = 10)]
    guiding_principles_total: Option<i32>,
    /// Frameworks it commits its signatories to implement.
    commits_to: Vec<String>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<FrameworkIncluded>,
}

/// Records embedded in a framework by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct FrameworkIncluded {
    commits_to: Option<Vec<FrameworkOut>>,
    /// Forums that review it.
    forums: Option<Vec<super::forums::ForumOut>>,
    /// Funds aligned with it.
    funds: Option<Vec<super::funds::FundOut>>,
}

/// A guiding principle, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PrincipleWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    id: String,
    #[schema(value_type = TextInput)]
    title: String,
}

/// The body of `POST /v1/frameworks`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"title": "New Urban Agenda", "kind": "agenda", "year": 2016}))]
pub struct FrameworkWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    #[schema(value_type = TextInput)]
    title: String,
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    kind: FrameworkKind,
    #[schema(minimum = 1900, maximum = 2200)]
    year: Option<i32>,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    quote: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    signatories: Option<String>,
    guiding_principles: Option<Vec<PrincipleWrite>>,
    #[schema(minimum = 0)]
    guiding_principles_total: Option<i32>,
    /// Existing frameworks' ids.
    commits_to: Option<Vec<String>>,
    sources: Option<Vec<Source>>,
}

/// A page of frameworks.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FrameworkPage {
    data: Vec<FrameworkOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Framework,
    path: "/frameworks",
    item_path: "/frameworks/{id}",
    tag: "Frameworks",
    out: FrameworkOut,
    write: FrameworkWrite,
    page: FrameworkPage,
    list: list_frameworks "Lists frameworks (compacts, declarations).",
    get: get_framework "Reads one framework.",
    create: create_framework "Creates a framework.",
    update: update_framework "Updates a framework (JSON Merge Patch).",
    delete: delete_framework "Deletes a framework, leaving a tombstone; 409 while records name it.",
}
