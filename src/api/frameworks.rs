//! `/v1/frameworks`: the compacts and declarations that frame LRGs' work on migration.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{FilterKind, ListSpec, SortKind};
use crate::models::Facet;
use crate::models::domain::{FRAMEWORK_KINDS, Framework};

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

collection_routes! {
    collection: Framework,
    path: "/frameworks",
    item_path: "/frameworks/{id}",
    tag: "Frameworks",
    list: list_frameworks "Lists frameworks (compacts, declarations).",
    get: get_framework "Reads one framework.",
    create: create_framework "Creates a framework.",
    update: update_framework "Updates a framework (JSON Merge Patch).",
    delete: delete_framework "Deletes a framework, leaving a tombstone; 409 while records name it.",
}
