//! `/v1/engagement-areas`: the five ways IOM engages with local and regional governments.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{ListSpec, SortKind};
use crate::models::domain::EngagementArea;

impl Served for EngagementArea {
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
    collection: EngagementArea,
    path: "/engagement-areas",
    item_path: "/engagement-areas/{id}",
    tag: "Engagement areas",
    list: list_engagement_areas "Lists the areas of IOM's engagement with LRGs, in IOM's order.",
    get: get_engagement_area "Reads one engagement area.",
    create: create_engagement_area "Creates an engagement area.",
    update: update_engagement_area "Updates an engagement area (JSON Merge Patch).",
    delete: delete_engagement_area "Deletes an engagement area, leaving a tombstone; 409 while programmes name it.",
}
