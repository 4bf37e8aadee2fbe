//! `/v1/engagement-areas`: the five ways IOM engages with local and regional governments.

use actix_web::{delete, get, patch, post};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{IncludeSpec, Via};
use super::documents::{DocumentCollection, Reference};
use super::input::{Checker, Len};
use super::lang::LocalizedText;
use super::listing::{ListParams, ListSpec, SortKind};
use super::{RecordMeta, TextInput};
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::{Activity, EngagementArea};

/// The engagement-areas collection.
pub struct EngagementAreas;

impl DocumentCollection for EngagementAreas {
    type Data = EngagementArea;
    const SINGULAR: &'static str = "engagement area";
    const TEXT_MEMBERS: &'static [&'static str] = &["title", "description"];
    const MEMBERS: &'static [&'static str] =
        &["position", "title", "description", "activities", "sources"];
    const LIST: ListSpec = ListSpec {
        collection: "engagement-areas",
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
    const INCLUDES: &'static [IncludeSpec] = &[IncludeSpec {
        name: "programmes",
        target: "programmes",
        via: Via::Incoming {
            collection: "programmes",
            relations: &["engagement_areas"],
        },
    }];

    fn english_title(data: &EngagementArea) -> String {
        data.title.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<EngagementArea> {
        let position = c.int(doc, "", "position", true, 1, 1000);
        let title = c.text(doc, "", "title", true, Len(300));
        let description = c.text(doc, "", "description", false, Len(5000));
        let mut activities = Vec::new();
        let mut ids = Vec::new();
        for (i, item) in c.array(doc, "", "activities", 100).iter().enumerate() {
            let path = format!("/activities/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["id", "text"]);
            let id = c.slug(obj, &path, "id", true);
            let text = c.text(obj, &path, "text", true, Len(1000));
            if let (Some(id), Some(text)) = (id, text) {
                ids.push((i, id.clone()));
                activities.push(Activity { id, text });
            }
        }
        c.unique(&ids, "/activities");
        let sources = c.sources(doc);
        Some(EngagementArea {
            position: position? as i32,
            title: title?,
            description,
            activities,
            sources,
        })
    }
    fn references(_: &EngagementArea) -> Vec<Reference> {
        Vec::new()
    }
    fn filter(_: &ListParams) -> DocumentFilter {
        DocumentFilter::default()
    }
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

/// Parameters of `GET /v1/engagement-areas` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct EngagementAreaListParams {
    /// position (default), id, title, updated_at; `-` for descending.
    sort: Option<String>,
    /// Embeds related records: programmes.
    #[param(explode = false)]
    include: Option<Vec<String>>,
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
    collection: EngagementAreas,
    path: "/engagement-areas",
    item_path: "/engagement-areas/{id}",
    tag: "Engagement areas",
    out: EngagementAreaOut,
    write: EngagementAreaWrite,
    page: EngagementAreaPage,
    params: EngagementAreaListParams,
    include_doc: "Embeds related records: programmes",
    list: list_engagement_areas "Lists the areas of IOM's engagement with LRGs, in IOM's order.",
    get: get_engagement_area "Reads one engagement area.",
    create: create_engagement_area "Creates an engagement area.",
    update: update_engagement_area "Updates an engagement area (JSON Merge Patch).",
    delete: delete_engagement_area "Deletes an engagement area, leaving a tombstone; 409 while programmes name it.",
}
