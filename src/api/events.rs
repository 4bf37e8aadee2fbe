//! `/v1/events`: dated occurrences of forums, known to the day, the month or only the year.

use actix_web::{delete, get, patch, post};

use super::collection::Served;
use super::listing::{FilterKind, ListSpec, SortKind};
use crate::models::Facet;
use crate::models::domain::Event;

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

collection_routes! {
    collection: Event,
    path: "/events",
    item_path: "/events/{id}",
    tag: "Events",
    list: list_events "Lists events, earliest first.",
    get: get_event "Reads one event.",
    create: create_event "Creates an event.",
    update: update_event "Updates an event (JSON Merge Patch).",
    delete: delete_event "Deletes an event, leaving a tombstone; 409 while recommendations name it.",
}
