//! `/v1/events`: dated occurrences of forums, known to the day, the month or only the year.

use actix_web::{delete, get, patch, post};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{IncludeSpec, Via};
use super::documents::{DocumentCollection, Reference};
use super::input::{Checker, Len};
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListParams, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Facet;
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::{Event, today};

/// The events collection.
pub struct Events;

impl DocumentCollection for Events {
    type Data = Event;
    const SINGULAR: &'static str = "event";
    const TEXT_MEMBERS: &'static [&'static str] = &["title", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "forum",
        "title",
        "description",
        "year",
        "month",
        "day",
        "sources",
    ];
    const LIST: ListSpec = ListSpec {
        collection: "events",
        filters: &[
            ("forum", FilterKind::Slug),
            ("year", FilterKind::Year),
            ("upcoming", FilterKind::Bool),
            ("from", FilterKind::Date),
            ("to", FilterKind::Date),
        ],
        sorts: &[
            ("date", SortKind::Date),
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "date",
        facets: &[
            ("forum", Facet::Related(&["forum"])),
            ("year", Facet::Field),
        ],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "forum",
            target: "forums",
            via: Via::Outgoing("forum"),
        },
        IncludeSpec {
            name: "recommendations",
            target: "recommendations",
            via: Via::Incoming {
                collection: "recommendations",
                relations: &["event"],
            },
        },
        IncludeSpec {
            name: "targeted_by",
            target: "recommendations",
            via: Via::Incoming {
                collection: "recommendations",
                relations: &["target_events"],
            },
        },
    ];

    fn english_title(data: &Event) -> String {
        data.title.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Event> {
        let forum = c.slug(doc, "", "forum", false);
        let title = c.text(doc, "", "title", true, Len(300));
        let description = c.text(doc, "", "description", false, Len(5000));
        let year = c.int(doc, "", "year", true, 1900, 2200).map(|y| y as i32);
        let month = c.int(doc, "", "month", false, 1, 12).map(|m| m as u32);
        let day = c.int(doc, "", "day", false, 1, 31).map(|d| d as u32);
        let given = |member: &str| doc.get(member).is_some_and(|v| !v.is_null());
        if given("day") && !given("month") {
            c.fail("/day", "a day needs its month");
        }
        let sources = c.sources(doc);
        let event = Event {
            forum,
            title: title?,
            description,
            year: year?,
            month,
            day,
            sources,
        };
        if day.is_some() && event.span().is_none() {
            c.fail("/day", "is not a day of that month");
        }
        Some(event)
    }
    fn references(data: &Event) -> Vec<Reference> {
        data.forum
            .iter()
            .map(|f| Reference {
                field: "/forum".into(),
                collection: "forums",
                id: f.clone(),
            })
            .collect()
    }
    fn filter(params: &ListParams) -> DocumentFilter {
        let mut ends_on_or_after = params.date("from");
        if params.flag("upcoming") == Some(true) {
            ends_on_or_after = ends_on_or_after.max(Some(today()));
        }
        DocumentFilter {
            year: params.years("year"),
            related: params
                .filter("forum")
                .map(|ids| vec![(&["forum"][..], ids)])
                .unwrap_or_default(),
            ends_on_or_after,
            starts_on_or_before: params.date("to"),
            ..DocumentFilter::default()
        }
    }
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

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum EventFacet {
    Forum,
    Year,
}

/// Parameters of `GET /v1/events` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct EventListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<EventFacet>>)]
    facets: Option<Vec<String>>,
    /// date (default; earliest possible day), id, title, updated_at; `-` for descending.
    sort: Option<String>,
    /// Only events of these forums.
    #[param(explode = false, example = json!(["imrf"]))]
    forum: Option<Vec<String>>,
    /// Only events in these years.
    #[param(explode = false)]
    year: Option<Vec<i32>>,
    /// Only events that may still be to come (their last possible day is today or later, UTC).
    upcoming: Option<bool>,
    /// Only events that may fall on or after this day.
    #[param(value_type = Option<String>, format = Date, example = "2023-01-01")]
    from: Option<String>,
    /// Only events that may fall on or before this day.
    #[param(value_type = Option<String>, format = Date, example = "2026-12-31")]
    to: Option<String>,
    /// Embeds related records: forum, recommendations, targeted_by.
    #[param(explode = false)]
    include: Option<Vec<String>>,
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
    collection: Events,
    path: "/events",
    item_path: "/events/{id}",
    tag: "Events",
    out: EventOut,
    write: EventWrite,
    page: EventPage,
    params: EventListParams,
    include_doc: "Embeds related records: forum, recommendations, targeted_by",
    list: list_events "Lists events, earliest first.",
    get: get_event "Reads one event.",
    create: create_event "Creates an event.",
    update: update_event "Updates an event (JSON Merge Patch).",
    delete: delete_event "Deletes an event, leaving a tombstone; 409 while recommendations name it.",
}
