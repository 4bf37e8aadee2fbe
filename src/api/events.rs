//! `/v1/events`: dated occurrences of forums, known to the day, the month or only the year.

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::domain::Event;
use crate::models::{Facet, Source};

impl Served for Event {
    const LIST: ListSpec = ListSpec {
        filters: &[
            ("year", FilterKind::Year),
            ("upcoming", FilterKind::Upcoming),
            ("from", FilterKind::From),
            ("to", FilterKind::To),
        ],
        sorts: &[
            ("date", SortKind::Date),
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "date",
        facets: &[("year", Facet::Year)],
    };
}

/// An event.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"id": "imrf-2026", "forum": "imrf", "title": "International Migration Review Forum 2026",
    "description": null, "year": 2026, "month": null, "day": null, "sources": [], "missing_languages": [],
    "created_at": "2024-01-25T00:00:00.000000Z", "updated_at": "2024-01-25T00:00:00.000000Z", "version": 1}))]
pub struct EventOut {
    /// The event's id.
    #[schema(example = "imrf-2026")]
    id: String,
    /// The forum it belongs to.
    #[schema(example = "imrf")]
    forum: Option<String>,
    /// Its title.
    title: LocalizedText,
    /// What it is.
    description: Option<LocalizedText>,
    /// Its year.
    #[schema(example = 2026)]
    year: i32,
    /// Its month, or null when the sources give only the year.
    #[schema(minimum = 1, maximum = 12)]
    month: Option<u32>,
    /// Its day, or null when the sources do not give it.
    #[schema(minimum = 1, maximum = 31)]
    day: Option<u32>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<EventIncluded>,
}

/// Records embedded in an event by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct EventIncluded {
    forum: Option<Vec<super::forums::ForumOut>>,
    /// Recommendations made at this event.
    recommendations: Option<Vec<super::recommendations::RecommendationOut>>,
    /// Recommendations that target this event.
    targeted_by: Option<Vec<super::recommendations::RecommendationOut>>,
}

/// The body of `POST /v1/events`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"forum": "gfmd", "title": "GFMD Summit 2025", "year": 2025, "month": 10}))]
pub struct EventWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    /// An existing forum's id.
    forum: Option<String>,
    #[schema(value_type = TextInput)]
    title: String,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    #[schema(minimum = 1900, maximum = 2200)]
    year: i32,
    #[schema(minimum = 1, maximum = 12)]
    month: Option<u32>,
    /// Needs the month; must be a day of it.
    #[schema(minimum = 1, maximum = 31)]
    day: Option<u32>,
    sources: Option<Vec<Source>>,
}

/// A page of events.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EventPage {
    data: Vec<EventOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Event,
    path: "/events",
    item_path: "/events/{id}",
    tag: "Events",
    out: EventOut,
    write: EventWrite,
    page: EventPage,
    list: list_events "Lists events, earliest first.",
    get: get_event "Reads one event.",
    create: create_event "Creates an event.",
    update: update_event "Updates an event (JSON Merge Patch).",
    delete: delete_event "Deletes an event, leaving a tombstone; 409 while recommendations name it.",
}
