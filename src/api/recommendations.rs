//! `/v1/recommendations`: recommendations made at events (the May 2022 hearings), linked to the
//! events they target.

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
use crate::models::domain::Recommendation;

/// The recommendations collection.
pub struct Recommendations;

impl DocumentCollection for Recommendations {
    type Data = Recommendation;
    const SINGULAR: &'static str = "recommendation";
    const TEXT_MEMBERS: &'static [&'static str] = &["text"];
    const MEMBERS: &'static [&'static str] =
        &["event", "position", "text", "target_events", "sources"];
    const LIST: ListSpec = ListSpec {
        collection: "recommendations",
        filters: &[
            ("event", FilterKind::Slug),
            ("target_event", FilterKind::Slug),
        ],
        sorts: &[
            ("position", SortKind::Int),
            ("id", SortKind::Id),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "position",
        facets: &[
            ("event", Facet::Related(&["event"])),
            ("target_event", Facet::Related(&["target_events"])),
        ],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "event",
            target: "events",
            via: Via::Outgoing("event"),
        },
        IncludeSpec {
            name: "target_events",
            target: "events",
            via: Via::Outgoing("target_events"),
        },
    ];

    fn english_title(data: &Recommendation) -> String {
        data.text.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Recommendation> {
        let event = c.slug(doc, "", "event", true);
        let position = c.int(doc, "", "position", true, 1, 1000).map(|p| p as i32);
        let text = c.text(doc, "", "text", true, Len(2000));
        let target_events = c.slug_list(doc, "", "target_events", 50);
        let sources = c.sources(doc);
        Some(Recommendation {
            event: event?,
            position: position?,
            text: text?,
            target_events,
            sources,
        })
    }
    fn references(data: &Recommendation) -> Vec<Reference> {
        let mut refs = vec![Reference {
            field: "/event".into(),
            collection: "events",
            id: data.event.clone(),
        }];
        refs.extend(
            data.target_events
                .iter()
                .enumerate()
                .map(|(i, e)| Reference {
                    field: format!("/target_events/{i}"),
                    collection: "events",
                    id: e.clone(),
                }),
        );
        refs
    }
    fn filter(params: &ListParams) -> DocumentFilter {
        let mut related = Vec::new();
        if let Some(ids) = params.filter("event") {
            related.push((&["event"][..], ids));
        }
        if let Some(ids) = params.filter("target_event") {
            related.push((&["target_events"][..], ids));
        }
        DocumentFilter {
            related,
            ..DocumentFilter::default()
        }
    }
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

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RecommendationFacet {
    Event,
    TargetEvent,
}

/// Parameters of `GET /v1/recommendations` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RecommendationListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<RecommendationFacet>>)]
    facets: Option<Vec<String>>,
    /// position (default), id, updated_at; `-` for descending.
    sort: Option<String>,
    /// Only recommendations made at these events.
    #[param(explode = false)]
    event: Option<Vec<String>>,
    /// Only recommendations targeting these events.
    #[param(explode = false, example = json!(["imrf-2026"]))]
    target_event: Option<Vec<String>>,
    /// Embeds related records: event, target_events.
    #[param(explode = false)]
    include: Option<Vec<String>>,
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
    collection: Recommendations,
    path: "/recommendations",
    item_path: "/recommendations/{id}",
    tag: "Recommendations",
    out: RecommendationOut,
    write: RecommendationWrite,
    page: RecommendationPage,
    params: RecommendationListParams,
    include_doc: "Embeds related records: event, target_events",
    list: list_recommendations "Lists recommendations.",
    get: get_recommendation "Reads one recommendation.",
    create: create_recommendation "Creates a recommendation.",
    update: update_recommendation "Updates a recommendation (JSON Merge Patch).",
    delete: delete_recommendation "Deletes a recommendation, leaving a tombstone.",
}
