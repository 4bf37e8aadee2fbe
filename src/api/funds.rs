//! `/v1/funds`: funds that finance programmes with LRGs (the Migration Multi-Partner Trust Fund).

use actix_web::{delete, get, patch, post};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{IncludeSpec, Via};
use super::documents::{DocumentCollection, Reference, check_figures};
use super::input::{Checker, Len};
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListParams, ListSpec, SortKind};
use super::{FigureOut, FigureWrite, RecordMeta, TextInput};
use crate::models::Facet;
use crate::models::Source;
use crate::models::document::DocumentFilter;
use crate::models::domain::Fund;

/// The funds collection.
pub struct Funds;

impl DocumentCollection for Funds {
    type Data = Fund;
    const SINGULAR: &'static str = "fund";
    const TEXT_MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "description",
        "chair",
        "governance",
        "gcm_alignment",
    ];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "launch_year",
        "description",
        "chair",
        "chair_organisation",
        "governance",
        "steering_committee_members",
        "gcm_alignment",
        "framework",
        "figures",
        "sources",
    ];
    const LIST: ListSpec = ListSpec {
        collection: "funds",
        filters: &[
            ("organisation", FilterKind::Slug),
            ("framework", FilterKind::Slug),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("year", SortKind::Int),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[
            (
                "organisation",
                Facet::Related(&["chair_organisation", "steering_committee_members"]),
            ),
            ("framework", Facet::Related(&["framework"])),
        ],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "programmes",
            target: "programmes",
            via: Via::Incoming {
                collection: "programmes",
                relations: &["fund"],
            },
        },
        IncludeSpec {
            name: "chair_organisation",
            target: "organisations",
            via: Via::Outgoing("chair_organisation"),
        },
        IncludeSpec {
            name: "steering_committee_members",
            target: "organisations",
            via: Via::Outgoing("steering_committee_members"),
        },
        IncludeSpec {
            name: "framework",
            target: "frameworks",
            via: Via::Outgoing("framework"),
        },
    ];

    fn english_title(data: &Fund) -> String {
        data.name.en.clone()
    }
    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<Fund> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let launch_year = c
            .int(doc, "", "launch_year", false, 1900, 2200)
            .map(|y| y as i32);
        let description = c.text(doc, "", "description", false, Len(5000));
        let chair = c.text(doc, "", "chair", false, Len(300));
        let chair_organisation = c.slug(doc, "", "chair_organisation", false);
        let governance = c.text(doc, "", "governance", false, Len(5000));
        let steering_committee_members = c.slug_list(doc, "", "steering_committee_members", 100);
        let gcm_alignment = c.text(doc, "", "gcm_alignment", false, Len(5000));
        let framework = c.slug(doc, "", "framework", false);
        let figures = check_figures(doc, "figures", c);
        let sources = c.sources(doc);
        Some(Fund {
            name: name?,
            acronym,
            launch_year,
            description,
            chair,
            chair_organisation,
            governance,
            steering_committee_members,
            gcm_alignment,
            framework,
            figures,
            sources,
        })
    }
    fn references(data: &Fund) -> Vec<Reference> {
        let mut refs: Vec<Reference> = data
            .chair_organisation
            .iter()
            .map(|o| Reference {
                field: "/chair_organisation".into(),
                collection: "organisations",
                id: o.clone(),
            })
            .collect();
        refs.extend(
            data.steering_committee_members
                .iter()
                .enumerate()
                .map(|(i, o)| Reference {
                    field: format!("/steering_committee_members/{i}"),
                    collection: "organisations",
                    id: o.clone(),
                }),
        );
        refs.extend(data.framework.iter().map(|f| Reference {
            field: "/framework".into(),
            collection: "frameworks",
            id: f.clone(),
        }));
        refs
    }
    fn filter(params: &ListParams) -> DocumentFilter {
        let mut related = Vec::new();
        if let Some(ids) = params.filter("organisation") {
            related.push((
                &["chair_organisation", "steering_committee_members"][..],
                ids,
            ));
        }
        if let Some(ids) = params.filter("framework") {
            related.push((&["framework"][..], ids));
        }
        DocumentFilter {
            related,
            ..DocumentFilter::default()
        }
    }
}

/// A fund.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FundOut {
    /// The fund's id.
    #[schema(example = "mmptf")]
    id: String,
    /// Its name.
    name: LocalizedText,
    /// Its acronym.
    acronym: Option<LocalizedText>,
    /// The year it was launched.
    #[schema(example = 2019)]
    launch_year: Option<i32>,
    /// What it is.
    description: Option<LocalizedText>,
    /// Who chairs it.
    chair: Option<LocalizedText>,
    /// The organisation of its chair.
    #[schema(example = "iom")]
    chair_organisation: Option<String>,
    /// How it is governed.
    governance: Option<LocalizedText>,
    /// Organisations on its steering committee, as far as the sources name them.
    #[schema(example = json!(["mayors-migration-council"]))]
    steering_committee_members: Vec<String>,
    /// How it aligns with the Global Compact for Migration.
    gcm_alignment: Option<LocalizedText>,
    /// The framework it serves.
    #[schema(example = "gcm")]
    framework: Option<String>,
    /// Its figures, as data.
    figures: Vec<FigureOut>,
    /// Where these facts come from.
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
    /// Records asked for with `include`.
    included: Option<FundIncluded>,
}

/// Records embedded in a fund by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct FundIncluded {
    /// Programmes it funds.
    programmes: Option<Vec<super::programmes::ProgrammeOut>>,
    chair_organisation: Option<Vec<super::organisations::OrganisationOut>>,
    steering_committee_members: Option<Vec<super::organisations::OrganisationOut>>,
    framework: Option<Vec<super::frameworks::FrameworkOut>>,
}

/// The body of `POST /v1/funds`; in a PATCH every member is optional.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"id": "city-migration-fund", "name": "City Migration Fund", "launch_year": 2024}))]
pub struct FundWrite {
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    #[schema(value_type = TextInput)]
    name: String,
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    #[schema(minimum = 1900, maximum = 2200)]
    launch_year: Option<i32>,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    chair: Option<String>,
    /// An existing organisation's id.
    chair_organisation: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    governance: Option<String>,
    /// Existing organisations' ids.
    steering_committee_members: Option<Vec<String>>,
    #[schema(value_type = Option<TextInput>)]
    gcm_alignment: Option<String>,
    /// An existing framework's id.
    framework: Option<String>,
    figures: Option<Vec<FigureWrite>>,
    sources: Option<Vec<Source>>,
}

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum FundFacet {
    Organisation,
    Framework,
}

/// Parameters of `GET /v1/funds` besides the common ones.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FundListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<FundFacet>>)]
    facets: Option<Vec<String>>,
    /// id (default), name, year (launch), updated_at; `-` for descending.
    sort: Option<String>,
    /// Only funds chaired by, or with on their steering committee, one of these organisations.
    #[param(explode = false)]
    organisation: Option<Vec<String>>,
    /// Only funds serving one of these frameworks.
    #[param(explode = false)]
    framework: Option<Vec<String>>,
    /// Embeds related records: programmes, chair_organisation, steering_committee_members, framework.
    #[param(explode = false)]
    include: Option<Vec<String>>,
}

/// A page of funds.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FundPage {
    data: Vec<FundOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: Funds,
    path: "/funds",
    item_path: "/funds/{id}",
    tag: "Funds",
    out: FundOut,
    write: FundWrite,
    page: FundPage,
    params: FundListParams,
    include_doc: "Embeds related records: programmes, chair_organisation, steering_committee_members, framework",
    list: list_funds "Lists funds.",
    get: get_fund "Reads one fund.",
    create: create_fund "Creates a fund.",
    update: update_fund "Updates a fund (JSON Merge Patch).",
    delete: delete_fund "Deletes a fund, leaving a tombstone; 409 while programmes name it.",
}
