//! `/v1/funds`: funds that finance programmes with LRGs (the Migration Multi-Partner Trust Fund).

use actix_web::{delete, get, patch, post};
use utoipa::ToSchema;

use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{ListSpec, SortKind};
use super::{FigureOut, FigureWrite, RecordMeta, TextInput};
use crate::models::Source;
use crate::models::domain::Fund;

impl Served for Fund {
    const LIST: ListSpec = ListSpec {
        filters: &[],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("year", SortKind::Int),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[],
    };
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
    collection: Fund,
    path: "/funds",
    item_path: "/funds/{id}",
    tag: "Funds",
    out: FundOut,
    write: FundWrite,
    page: FundPage,
    list: list_funds "Lists funds.",
    get: get_fund "Reads one fund.",
    create: create_fund "Creates a fund.",
    update: update_fund "Updates a fund (JSON Merge Patch).",
    delete: delete_fund "Deletes a fund, leaving a tombstone; 409 while programmes name it.",
}
