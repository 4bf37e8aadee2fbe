//! `/v1/programmes`: programmes, modelled on the IATI activity standard.

use actix_web::{delete, get, patch, post};
use serde::Serialize;
use utoipa::ToSchema;

use super::collection::Included;
use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListSpec, SortKind};
use super::{LanguageCode, TextInput};
use crate::models::programme::{ProgrammeData, STATUSES};
use crate::models::{Facet, Lang, Source};

/// A programme, in the requested language.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOut {
    /// The programme's id.
    #[schema(
        example = "santiago-mexico-city-partnership",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 80
    )]
    pub id: String,
    /// Its IATI activity identifier, where it has one.
    #[schema(example = json!(null))]
    pub iati_identifier: Option<String>,
    /// Its title.
    pub title: LocalizedText,
    /// A one-sentence summary.
    pub summary: Option<LocalizedText>,
    /// A full description.
    pub description: Option<LocalizedText>,
    /// IATI activity status; null when unknown.
    #[schema(value_type = Option<ProgrammeStatus>)]
    pub status: Option<String>,
    /// Planned start date.
    pub planned_start: Option<chrono::NaiveDate>,
    /// Planned end date.
    pub planned_end: Option<chrono::NaiveDate>,
    /// Actual start date.
    pub actual_start: Option<chrono::NaiveDate>,
    /// Actual end date.
    pub actual_end: Option<chrono::NaiveDate>,
    /// Recipient countries (ISO 3166-1 alpha-2).
    #[schema(example = json!(["CL", "MX"]))]
    pub recipient_countries: Vec<String>,
    /// Places where it works.
    pub locations: Vec<LocationOut>,
    /// Organisations taking part, each in an IATI role.
    pub participating_organisations: Vec<ParticipationOut>,
    /// The fund that finances it.
    #[schema(example = "mmptf")]
    pub fund: Option<String>,
    /// The engagement areas it serves, where a source makes the link.
    pub engagement_areas: Vec<String>,
    /// Its budget, where known.
    pub budget: Option<BudgetOut>,
    /// Web pages about it.
    pub links: Vec<LinkOut>,
    /// Where these facts come from.
    pub sources: Vec<Source>,
    /// Languages this record lacks in the requested language (shown in English instead).
    #[schema(value_type = Vec<LanguageCode>)]
    pub missing_languages: Vec<Lang>,
    /// When it was created (RFC 3339, UTC, microseconds).
    #[schema(example = "2024-01-25T00:00:00.000000Z", format = DateTime)]
    pub created_at: String,
    /// When it last changed.
    #[schema(example = "2024-01-25T00:00:00.000000Z", format = DateTime)]
    pub updated_at: String,
    /// 1 at creation, +1 per change.
    #[schema(example = 1)]
    pub version: i32,
    /// Related records asked for with `include`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProgrammeIncluded>)]
    pub included: Option<Included>,
}

/// Records embedded in a programme by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct ProgrammeIncluded {
    /// The participating organisations.
    organisations: Option<Vec<super::organisations::OrganisationOut>>,
    /// The fund.
    fund: Option<Vec<super::funds::FundOut>>,
    /// The engagement areas.
    engagement_areas: Option<Vec<super::engagement_areas::EngagementAreaOut>>,
}

/// A place where a programme works.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationOut {
    /// The place's name.
    pub name: LocalizedText,
    /// Its country (ISO 3166-1 alpha-2).
    #[schema(example = "CL")]
    pub country: String,
    /// WGS 84 latitude.
    pub latitude: Option<f64>,
    /// WGS 84 longitude.
    pub longitude: Option<f64>,
}

/// An organisation taking part in a programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationOut {
    /// The organisation's id.
    #[schema(example = "santiago-local-government")]
    pub organisation: String,
    /// Its IATI role.
    #[schema(value_type = ParticipationRole)]
    pub role: String,
}

/// A budget.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetOut {
    /// The amount.
    #[schema(example = 1500000.0)]
    pub amount: f64,
    /// ISO 4217 currency.
    #[schema(example = "USD")]
    pub currency: String,
}

/// A web page.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkOut {
    /// The page's title.
    pub title: LocalizedText,
    /// Its address.
    #[schema(example = "https://www.iom.int/")]
    pub url: String,
}

/// IATI activity statuses.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum ProgrammeStatus {
    Pipeline,
    Implementation,
    Finalisation,
    Closed,
    Cancelled,
    Suspended,
}

/// IATI organisation roles.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum ParticipationRole {
    Funding,
    Accountable,
    Extending,
    Implementing,
}

/// A place, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LocationWrite {
    #[schema(value_type = TextInput)]
    name: String,
    #[schema(pattern = "^[A-Z]{2}$", example = "CL")]
    country: String,
    #[schema(minimum = -90, maximum = 90)]
    latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    longitude: Option<f64>,
}

/// An organisation and its role, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ParticipationWrite {
    /// An existing organisation's id.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    organisation: String,
    role: ParticipationRole,
}

/// A budget, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BudgetWrite {
    #[schema(minimum = 0)]
    amount: f64,
    #[schema(pattern = "^[A-Z]{3}$", example = "USD")]
    currency: String,
}

/// A web page, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LinkWrite {
    #[schema(value_type = TextInput)]
    title: String,
    #[schema(example = "https://www.iom.int/")]
    url: String,
}

/// The body of `POST /v1/programmes`; in a PATCH every member is optional (JSON Merge Patch).
/// Text members take a string (in the request's `Content-Language`, default English) or an
/// object of languages.
#[derive(ToSchema)]
#[schema(example = json!({
    "title": {"en": "Decent work for migrants in Santiago", "fr": "Travail décent pour les migrants à Santiago"},
    "status": "implementation",
    "recipient_countries": ["CL"],
    "participating_organisations": [{"organisation": "iom", "role": "implementing"}],
    "planned_start": "2025-01-01",
    "planned_end": "2026-12-31"
}))]
#[allow(dead_code)]
pub struct ProgrammeWrite {
    /// The id; derived from the English title when omitted. Never changes.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    /// IATI activity identifier.
    #[schema(max_length = 150)]
    iati_identifier: Option<String>,
    /// The title (English required).
    #[schema(value_type = TextInput)]
    title: String,
    /// A one-sentence summary.
    #[schema(value_type = Option<TextInput>)]
    summary: Option<String>,
    /// A full description.
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    status: Option<ProgrammeStatus>,
    planned_start: Option<chrono::NaiveDate>,
    /// Not before planned_start.
    planned_end: Option<chrono::NaiveDate>,
    actual_start: Option<chrono::NaiveDate>,
    /// Not before actual_start.
    actual_end: Option<chrono::NaiveDate>,
    /// ISO 3166-1 alpha-2 codes, no repeats.
    recipient_countries: Option<Vec<String>>,
    locations: Option<Vec<LocationWrite>>,
    participating_organisations: Option<Vec<ParticipationWrite>>,
    /// An existing fund's id.
    fund: Option<String>,
    /// Existing engagement areas' ids.
    engagement_areas: Option<Vec<String>>,
    budget: Option<BudgetWrite>,
    links: Option<Vec<LinkWrite>>,
    sources: Option<Vec<Source>>,
}

impl Served for ProgrammeData {
    const LIST: ListSpec = ListSpec {
        filters: &[
            ("status", FilterKind::Status(&STATUSES)),
            ("country", FilterKind::Country),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("title", SortKind::Text),
            ("created_at", SortKind::Instant),
            ("updated_at", SortKind::Instant),
            ("planned_start", SortKind::Date),
            ("actual_start", SortKind::Date),
        ],
        default_sort: "id",
        facets: &[("status", Facet::Status), ("country", Facet::Country)],
    };
}

/// A page of programmes.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProgrammePage {
    data: Vec<ProgrammeOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: ProgrammeData,
    path: "/programmes",
    item_path: "/programmes/{id}",
    tag: "Programmes",
    out: ProgrammeOut,
    write: ProgrammeWrite,
    page: ProgrammePage,
    list: list_programmes "Lists programmes.",
    get: get_programme "Reads one programme.",
    create: create_programme "Creates a programme.",
    update: update_programme "Updates a programme (JSON Merge Patch).",
    delete: delete_programme "Deletes a programme, leaving a tombstone.",
}
