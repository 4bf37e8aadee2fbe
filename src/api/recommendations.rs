//! `/v1/recommendations`: recommendations made at events (the May 2022 hearings), linked to the
//! events they target.

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Source;
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

/// A recommendation.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RecommendationOut {
    /// The recommendation's id.
    #[schema(example = "consult-and-fund-cities")]
    id: String,
    /// The event it was made at.
    #[schema(example = "multi-stakeholder-hearings-2022-05")]
    event: String,
    /// Its place among the event's recommendations.
    #[schema(example = 1)]
    position: i32,
    /// What it recommends.
    text: LocalizedText,
    /// Events it targets.
    #[schema(example = json!(["global-refugee-forum-2023", "imrf-2026"]))]
    target_events: Vec<String>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<RecommendationIncluded>,
}

/// Records embedded in a recommendation by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct RecommendationIncluded {
    event: Option<Vec<super::events::EventOut>>,
    target_events: Option<Vec<super::events::EventOut>>,
}

/// The body of `POST /v1/recommendations`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"event": "multi-stakeholder-hearings-2022-05", "position": 3, "text": "Share local data"}))]
pub struct RecommendationWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    /// An existing event's id.
    event: String,
    #[schema(minimum = 1, maximum = 1000)]
    position: i32,
    #[schema(value_type = TextInput)]
    text: String,
    /// Existing events' ids.
    target_events: Option<Vec<String>>,
    sources: Option<Vec<Source>>,
}

/// A page of recommendations.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RecommendationPage {
    data: Vec<RecommendationOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Recommendation,
    path: "/recommendations",
    item_path: "/recommendations/{id}",
    tag: "Recommendations",
    out: RecommendationOut,
    write: RecommendationWrite,
    page: RecommendationPage,
    list: list_recommendations "Lists recommendations.",
    get: get_recommendation "Reads one recommendation.",
    create: create_recommendation "Creates a recommendation.",
    update: update_recommendation "Updates a recommendation (JSON Merge Patch).",
    delete: delete_recommendation "Deletes a recommendation, leaving a tombstone.",
}
