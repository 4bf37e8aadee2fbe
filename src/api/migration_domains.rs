//! `/v1/migration-domains`: the four domains of migration management IOM works in.

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Source;
use crate::models::domain::MigrationDomain;

impl Served for MigrationDomain {
    const LIST: ListSpec = ListSpec {
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

/// A page of migration domains.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MigrationDomainPage {
    data: Vec<MigrationDomainOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
}

collection_routes! {
    collection: MigrationDomain,
    path: "/migration-domains",
    item_path: "/migration-domains/{id}",
    tag: "Migration domains",
    out: MigrationDomainOut,
    write: MigrationDomainWrite,
    page: MigrationDomainPage,
    list: list_migration_domains "Lists the domains of migration management, in IOM's order.",
    get: get_migration_domain "Reads one migration domain.",
    create: create_migration_domain "Creates a migration domain.",
    update: update_migration_domain "Updates a migration domain (JSON Merge Patch).",
    delete: delete_migration_domain "Deletes a migration domain, leaving a tombstone.",
}
