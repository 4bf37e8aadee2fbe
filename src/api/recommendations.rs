//! `/v1/recommendations`: recommendations made at events (the May 2022 hearings), linked to the
//! events they target.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{ListSpec, SortKind};
use crate::models::domain::Recommendation;

impl Served for Recommendation {
    const LIST: ListSpec = ListSpec {
        filters: &[],
        sorts: &[
            ("position", SortKind::Int),
            ("id", SortKind::Id),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "position",
        facets: &[],
    };
}

collection_routes! {
    collection: Recommendation,
    path: "/recommendations",
    item_path: "/recommendations/{id}",
    tag: "Recommendations",
    list: list_recommendations "Lists recommendations.",
    get: get_recommendation "Reads one recommendation.",
    create: create_recommendation "Creates a recommendation.",
    update: update_recommendation "Updates a recommendation (JSON Merge Patch).",
    delete: delete_recommendation "Deletes a recommendation, leaving a tombstone.",
}
