//! `/v1/organisations`: the organisations that take part in programmes, forums and funds.

use actix_web::{delete, get, patch, post};
use serde::Serialize;
use utoipa::ToSchema;

use super::collection::Included;
use super::collection::Served;
use super::lang::LocalizedText;
use super::listing::{FilterKind, ListSpec, SortKind};
use super::{LanguageCode, TextInput};
use crate::models::organisation::{KINDS, OrganisationData};
use crate::models::{Facet, Lang, Source};

/// An organisation, in the requested language.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "uclg", "name": "United Cities and Local Governments", "acronym": "UCLG",
    "kind": "city_network", "country": null, "description": null, "website": null, "relations": [],
    "sources": [], "missing_languages": [], "created_at": "2024-01-25T00:00:00.000000Z",
    "updated_at": "2024-01-25T00:00:00.000000Z", "version": 1
}))]
pub struct OrganisationOut {
    /// The organisation's id.
    #[schema(
        example = "uclg",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 80
    )]
    pub id: String,
    /// Its name.
    pub name: LocalizedText,
    /// Its acronym, which may differ by language (UNDP, PNUD).
    pub acronym: Option<LocalizedText>,
    /// What kind of organisation it is.
    #[schema(value_type = OrganisationKind)]
    pub kind: String,
    /// ISO 3166-1 alpha-2 country, for local and national bodies.
    #[schema(example = "CL")]
    pub country: Option<String>,
    /// What the sources say of it.
    pub description: Option<LocalizedText>,
    /// Its website.
    #[schema(example = json!(null))]
    pub website: Option<String>,
    /// How it relates to other organisations.
    pub relations: Vec<OrganisationRelationOut>,
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
    #[schema(value_type = Option<OrganisationIncluded>)]
    pub included: Option<Included>,
}

/// Records embedded in an organisation by `include`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(no_recursion)]
pub struct OrganisationIncluded {
    /// Programmes it takes part in.
    programmes: Option<Vec<super::programmes::ProgrammeOut>>,
    /// Forums and mechanisms it takes part in.
    forums: Option<Vec<super::forums::ForumOut>>,
    /// Funds it chairs or sits on the steering committee of.
    funds: Option<Vec<super::funds::FundOut>>,
    /// Organisations it relates to (its `relations`).
    related: Option<Vec<OrganisationOut>>,
    /// Organisations that relate to it.
    related_from: Option<Vec<OrganisationOut>>,
    /// Its focal points.
    contacts: Option<Vec<super::contacts::ContactOut>>,
}

/// A relation to another organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRelationOut {
    /// The other organisation.
    #[schema(example = "un-network-on-migration")]
    pub organisation: String,
    /// How this one relates to it.
    #[schema(value_type = OrganisationRelationKind)]
    pub relation: String,
}

/// Kinds of relation between organisations.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationRelationKind {
    Coordinates,
    HostsSecretariatOf,
    MemberOf,
    PartnerOf,
}

/// Kinds of organisation.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    UnAgency,
    UnNetwork,
    CityNetwork,
    LocalGovernment,
    NationalGovernment,
    IntergovernmentalOrganisation,
    CivilSociety,
    Other,
}

/// The body of `POST /v1/organisations`; in a PATCH every member is optional (JSON Merge Patch).
/// Text members take a string (in the request's `Content-Language`, default English) or an
/// object of languages.
#[derive(ToSchema)]
#[schema(example = json!({
    "id": "mayors-migration-council", "name": {"en": "Mayors Migration Council", "fr": "Conseil des maires pour la migration"},
    "acronym": "MMC", "kind": "city_network"
}))]
#[allow(dead_code)]
pub struct OrganisationWrite {
    /// The id; derived from the English name when omitted. Never changes.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    id: Option<String>,
    /// The name (English required).
    #[schema(value_type = TextInput)]
    name: String,
    /// The acronym.
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    /// What kind of organisation it is.
    kind: OrganisationKind,
    /// ISO 3166-1 alpha-2 country.
    #[schema(pattern = "^[A-Z]{2}$")]
    country: Option<String>,
    /// A description.
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    /// Its website (http or https).
    website: Option<String>,
    /// Relations to existing organisations.
    relations: Option<Vec<OrganisationRelationWrite>>,
    /// Where the facts come from.
    sources: Option<Vec<Source>>,
}

/// A relation, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrganisationRelationWrite {
    organisation: String,
    relation: OrganisationRelationKind,
}

impl Served for OrganisationData {
    const LIST: ListSpec = ListSpec {
        filters: &[
            ("kind", FilterKind::Kind(&KINDS)),
            ("country", FilterKind::Country),
        ],
        sorts: &[
            ("id", SortKind::Id),
            ("name", SortKind::Text),
            ("created_at", SortKind::Instant),
            ("updated_at", SortKind::Instant),
        ],
        default_sort: "id",
        facets: &[("kind", Facet::Kind), ("country", Facet::Country)],
    };
}

/// A page of organisations.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrganisationPage {
    data: Vec<OrganisationOut>,
    meta: super::listing::PageMeta,
    links: super::listing::PageLinks,
    /// With `facets=`: counts per value of each field asked for, most frequent first.
    facets: Option<std::collections::BTreeMap<String, Vec<super::listing::FacetValue>>>,
}

collection_routes! {
    collection: OrganisationData,
    path: "/organisations",
    item_path: "/organisations/{id}",
    tag: "Organisations",
    out: OrganisationOut,
    write: OrganisationWrite,
    page: OrganisationPage,
    list: list_organisations "Lists organisations.",
    get: get_organisation "Reads one organisation.",
    create: create_organisation "Creates an organisation.",
    update: update_organisation "Updates an organisation (JSON Merge Patch).",
    delete: delete_organisation "Deletes an organisation, leaving a tombstone; 409 while records point to it.",
}
