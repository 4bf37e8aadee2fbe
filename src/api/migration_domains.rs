//! `/v1/migration-domains`: the four domains of migration management IOM works in.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{ListSpec, SortKind};
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

collection_routes! {
    collection: MigrationDomain,
    path: "/migration-domains",
    item_path: "/migration-domains/{id}",
    tag: "Migration domains",
    list: list_migration_domains "Lists the domains of migration management, in IOM's order.",
    get: get_migration_domain "Reads one migration domain.",
    create: create_migration_domain "Creates a migration domain.",
    update: update_migration_domain "Updates a migration domain (JSON Merge Patch).",
    delete: delete_migration_domain "Deletes a migration domain, leaving a tombstone.",
}
