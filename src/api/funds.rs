//! `/v1/funds`: funds that finance programmes with LRGs (the Migration Multi-Partner Trust Fund).

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{ListSpec, SortKind};
use crate::models::domain::Fund;

impl Served for Fund {
    const LIST: ListSpec = ListSpec {
        filters: &[],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("year", SortKind::Int),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[],
    };
}

collection_routes! {
    collection: Fund,
    path: "/funds",
    item_path: "/funds/{id}",
    tag: "Funds",
    list: list_funds "Lists funds.",
    get: get_fund "Reads one fund.",
    create: create_fund "Creates a fund.",
    update: update_fund "Updates a fund (JSON Merge Patch).",
    delete: delete_fund "Deletes a fund, leaving a tombstone; 409 while programmes name it.",
}
