//! `/v1/frameworks`: the compacts and declarations that frame LRGs' work on migration.

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
use crate::models::domain::{FRAMEWORK_KINDS, Framework, Principle};

/// The frameworks collection.
pub struct Frameworks;

impl DocumentCollection for Frameworks {
    type Data = Framework;
    const SINGULAR: &'static str = "framework";
    const TEXT_MEMBERS: &'static [&'static str] =
        &["title", "acronym", "description", "quote", "signatories"];
    const MEMBERS: &'static [&'static str] = &[
        "title",
        "acronym",
        "kind",
        "year",
        "description",
        "quote",
        "signatories",
        "guiding_principles",
        "guiding_principles_total",
        "commits_to",
        "sources",
    ];
    const LIST: ListSpec = ListSpec {
        collection: "frameworks",
        filters: &[
            ("kind", FilterKind::OneOf(&FRAMEWORK_KINDS)),
            ("year", FilterKind::Year),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("year", SortKind::Int),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[("kind", Facet::Field), ("year", Facet::Field)],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "commits_to",
            target: "frameworks",
            via: Via::Outgoing("commits_to"),
        },
        IncludeSpec {
            name: "forums",
            target: "forums",
            via: Via::Incoming {
                collection: "forums",
                relations: &["framework"],
            },
        },
        IncludeSpec {
            name: "funds",
            target: "funds",
            via: Via::Incoming {
                collection: "funds",
                relations: &["framework"],
            },
        },
    ];

    fn english_title(data: &Framework) -> String {
        data.title.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Framework> {
        let title = c.text(doc, "", "title", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &FRAMEWORK_KINDS);
        let year = c.int(doc, "", "year", false, 1900, 2200).map(|y| y as i32);
        let description = c.text(doc, "", "description", false, Len(5000));
        let quote = c.text(doc, "", "quote", false, Len(5000));
        let signatories = c.text(doc, "", "signatories", false, Len(1000));
        let mut guiding_principles = Vec::new();
        let mut ids = Vec::new();
        for (i, item) in c
            .array(doc, "", "guiding_principles", 100)
            .iter()
            .enumerate()
        {
            let path = format!("/guiding_principles/{i}");
            let Some(obj) = c.object(item, &path) else {
                continue;
            };
            c.only(obj, &path, &["id", "title"]);
            let id = c.slug(obj, &path, "id", true);
            let title = c.text(obj, &path, "title", true, Len(300));
            if let (Some(id), Some(title)) = (id, title) {
                ids.push((i, id.clone()));
                guiding_principles.push(Principle { id, title });
            }
        }
        c.unique(&ids, "/guiding_principles");
        let guiding_principles_total = c
            .int(doc, "", "guiding_principles_total", false, 0, 1000)
            .map(|n| n as i32);
        if let Some(total) = guiding_principles_total
            && (total as usize) < guiding_principles.len()
        {
            c.fail(
                "/guiding_principles_total",
                "must not be less than the number of guiding_principles listed",
            );
        }
        let commits_to = c.slug_list(doc, "", "commits_to", 50);
        let sources = c.sources(doc);
        Some(Framework {
            title: title?,
            acronym,
            kind: kind?,
            year,
            description,
            quote,
            signatories,
            guiding_principles,
            guiding_principles_total,
            commits_to,
            sources,
        })
    }
    fn references(data: &Framework) -> Vec<Reference> {
        data.commits_to
            .iter()
            .enumerate()
            .map(|(i, f)| Reference {
                field: format!("/commits_to/{i}"),
                collection: "frameworks",
                id: f.clone(),
            })
            .collect()
    }
    fn filter(params: &ListParams) -> DocumentFilter {
        DocumentFilter {
            kind: params.filter("kind"),
            year: params.years("year"),
            ..DocumentFilter::default()
        }
    }
}

/// A guiding principle.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PrincipleOut {
    #[schema(example = "people-centred")]
    id: String,
    title: LocalizedText,
}

/// Kinds of framework.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkKind {
    GlobalCompact,
    Declaration,
    Agenda,
    Other,
}

/// A compact or declaration.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FrameworkOut {
    /// The framework's id.
    #[schema(example = "gcm")]
    id: String,
    /// Its title.
    title: LocalizedText,
    /// Its acronym, which may differ by language (GCM, PMM).
    acronym: Option<LocalizedText>,
    kind: FrameworkKind,
    /// The year it was adopted, where the sources give it.
    #[schema(example = 2018)]
    year: Option<i32>,
    /// What it is.
    description: Option<LocalizedText>,
    /// A passage quoted from it.
    quote: Option<LocalizedText>,
    /// Who signed or adopted it.
    signatories: Option<LocalizedText>,
    /// The guiding principles the sources name.
    guiding_principles: Vec<PrincipleOut>,
    /// How many guiding principles it has in all.
    #[schema(example = 10)]
    guiding_principles_total: Option<i32>,
    /// Frameworks it commits its signatories to implement.
    commits_to: Vec<String>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<FrameworkIncluded>,
}

/// Records embedded in a framework by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct FrameworkIncluded {
    commits_to: Option<Vec<FrameworkOut>>,
    /// Forums that review it.
    forums: Option<Vec<super::forums::ForumOut>>,
    /// Funds aligned with it.
    funds: Option<Vec<super::funds::FundOut>>,
}

/// A guiding principle, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PrincipleWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    id: String,
    #[schema(value_type = TextInput)]
    title: String,
}

/// The body of `POST /v1/frameworks`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"title": "New Urban Agenda", "kind": "agenda", "year": 2016}))]
pub struct FrameworkWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    #[schema(value_type = TextInput)]
    title: String,
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    kind: FrameworkKind,
    #[schema(minimum = 1900, maximum = 2200)]
    year: Option<i32>,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    quote: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    signatories: Option<String>,
    guiding_principles: Option<Vec<PrincipleWrite>>,
    #[schema(minimum = 0)]
    guiding_principles_total: Option<i32>,
    /// Existing frameworks' ids.
    commits_to: Option<Vec<String>>,
    sources: Option<Vec<Source>>,
}

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum FrameworkFacet {
    Kind,
    Year,
}

/// Parameters of `GET /v1/frameworks` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FrameworkListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<FrameworkFacet>>)]
    facets: Option<Vec<String>>,
    /// id (default), title, year, updated_at; `-` for descending.
    sort: Option<String>,
    /// Only these kinds.
    #[param(explode = false, value_type = Option<Vec<FrameworkKind>>)]
    kind: Option<Vec<String>>,
    /// Only frameworks adopted in one of these years.
    #[param(explode = false)]
    year: Option<Vec<i32>>,
    /// Embeds related records: commits_to, forums, funds.
    #[param(explode = false)]
    include: Option<Vec<String>>,
}

/// A page of frameworks.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FrameworkPage {
    data: Vec<FrameworkOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Frameworks,
    path: "/frameworks",
    item_path: "/frameworks/{id}",
    tag: "Frameworks",
    out: FrameworkOut,
    write: FrameworkWrite,
    page: FrameworkPage,
    params: FrameworkListParams,
    include_doc: "Embeds related records: commits_to, forums, funds",
    list: list_frameworks "Lists frameworks (compacts, declarations).",
    get: get_framework "Reads one framework.",
    create: create_framework "Creates a framework.",
    update: update_framework "Updates a framework (JSON Merge Patch).",
    delete: delete_framework "Deletes a framework, leaving a tombstone; 409 while records name it.",
}
