//! `/v1/engagement-areas`: the five ways IOM engages with local and regional governments.

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Source;
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

/// An example activity of an engagement area.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ActivityOut {
    /// The activity's id, unique within its area.
    #[schema(example = "vocational-training")]
    id: String,
    /// What IOM does.
    text: LocalizedText,
}

/// A way IOM engages with local and regional governments.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EngagementAreaOut {
    /// The area's id.
    #[schema(example = "integrate-migration-into-policies")]
    id: String,
    /// Its place in IOM's list (1-5).
    #[schema(example = 1)]
    position: i32,
    /// Its title.
    title: LocalizedText,
    /// What IOM does in this area.
    description: Option<LocalizedText>,
    /// Example activities the source names.
    activities: Vec<ActivityOut>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Programmes serving this area (`include=programmes`).
    included: Option<EngagementAreaIncluded>,
}

/// Records embedded in an engagement area by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct EngagementAreaIncluded {
    programmes: Option<Vec<super::programmes::ProgrammeOut>>,
}

/// An activity, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ActivityWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    id: String,
    #[schema(value_type = TextInput)]
    text: String,
}

/// The body of `POST /v1/engagement-areas`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"position": 6, "title": "Share data on local migration", "activities": [{"id": "local-profiles", "text": "Local migration profiles"}]}))]
pub struct EngagementAreaWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    #[schema(minimum = 1, maximum = 1000)]
    position: i32,
    #[schema(value_type = TextInput)]
    title: String,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    activities: Option<Vec<ActivityWrite>>,
    sources: Option<Vec<Source>>,
}

/// A page of engagement areas.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EngagementAreaPage {
    data: Vec<EngagementAreaOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
}

collection_routes! {
    collection: EngagementArea,
    path: "/engagement-areas",
    item_path: "/engagement-areas/{id}",
    tag: "Engagement areas",
    out: EngagementAreaOut,
    write: EngagementAreaWrite,
    page: EngagementAreaPage,
    list: list_engagement_areas "Lists the areas of IOM's engagement with LRGs, in IOM's order.",
    get: get_engagement_area "Reads one engagement area.",
    create: create_engagement_area "Creates an engagement area.",
    update: update_engagement_area "Updates an engagement area (JSON Merge Patch).",
    delete: delete_engagement_area "Deletes an engagement area, leaving a tombstone; 409 while programmes name it.",
}
