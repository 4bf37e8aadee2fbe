//! `/v1/migration-domains`: the four domains of migration management IOM works in.

use actix_web::{delete, get, patch, post};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::documents::{DocumentCollection, Reference};
use super::input::{Checker, Len};
use super::lang::LocalizedText;
use super::listing::{ListParams, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::MigrationDomain;

/// The migration-domains collection.
pub struct MigrationDomains;

impl DocumentCollection for MigrationDomains {
    type Data = MigrationDomain;
    const SINGULAR: &'static str = "migration domain";
    const TEXT_MEMBERS: &'static [&'static str] = &["title"];
    const MEMBERS: &'static [&'static str] = &["position", "title", "sources"];
    const LIST: ListSpec = ListSpec {
        collection: "migration-domains",
        filters: &[],
        sorts: &[
            ("position", SortKind::Int),
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "position",
        facets: &[],
    };
    const INCLUDES: &'static [super::collection::IncludeSpec] = &[];

    fn english_title(data: &MigrationDomain) -> String {
        data.title.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<MigrationDomain> {
        let position = c.int(doc, "", "position", true, 1, 1000);
        let title = c.text(doc, "", "title", true, Len(300));
        let sources = c.sources(doc);
        Some(MigrationDomain {
            position: position? as i32,
            title: title?,
            sources,
        })
    }
    fn references(_: &MigrationDomain) -> Vec<Reference> {
        Vec::new()
    }
    fn filter(_: &ListParams) -> DocumentFilter {
        DocumentFilter::default()
    }
}

/// A domain of migration management.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"id": "migration-and-development", "position": 1, "title": "Migration and development", "sources": [],
    "missing_languages": [], "created_at": "2024-01-25T00:00:00.000000Z", "updated_at": "2024-01-25T00:00:00.000000Z", "version": 1}))]
pub struct MigrationDomainOut {
    /// The domain's id.
    #[schema(example = "migration-and-development")]
    id: String,
    /// Its place in IOM's list (1-4).
    #[schema(example = 1)]
    position: i32,
    /// Its title.
    title: LocalizedText,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
}

/// The body of `POST /v1/migration-domains`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"position": 5, "title": {"en": "Migration governance", "fr": "Gouvernance des migrations"}}))]
pub struct MigrationDomainWrite {
    /// The id; derived from the English title when omitted.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    /// Its place in the list.
    #[schema(minimum = 1, maximum = 1000)]
    position: i32,
    #[schema(value_type = TextInput)]
    title: String,
    sources: Option<Vec<Source>>,
}

/// Query parameters of `GET /v1/migration-domains`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct MigrationDomainListParams {
    /// position (default), id, title, updated_at; `-` for descending.
    sort: Option<String>,
}

/// A page of migration domains.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MigrationDomainPage {
    data: Vec<MigrationDomainOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
}

collection_routes! {
    collection: MigrationDomains,
    path: "/migration-domains",
    item_path: "/migration-domains/{id}",
    tag: "Migration domains",
    out: MigrationDomainOut,
    write: MigrationDomainWrite,
    page: MigrationDomainPage,
    params: MigrationDomainListParams,
    include_doc: "Nothing can be embedded in a migration domain",
    list: list_migration_domains "Lists the domains of migration management, in IOM's order.",
    get: get_migration_domain "Reads one migration domain.",
    create: create_migration_domain "Creates a migration domain.",
    update: update_migration_domain "Updates a migration domain (JSON Merge Patch).",
    delete: delete_migration_domain "Deletes a migration domain, leaving a tombstone.",
}
