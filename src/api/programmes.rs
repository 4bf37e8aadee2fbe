//! `/v1/programmes`: programmes, modelled on the IATI activity standard.

use actix_web::{delete, get, patch, post};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::collection::{Collection, IncludeSpec, Included, Via};
use super::documents::{Reference, check_references};
use super::input::{Checker, Len, pointer};
use super::lang::{LocalizedText, Renderer};
use super::listing::{FilterKind, ListParams, ListSpec, SortKind};
use super::records::Resource;
use super::{LanguageCode, TextInput, instant};
use crate::db::AnyConnection;
use crate::error::FieldError;
use crate::models::Facet;
use crate::models::programme::{
    self as model, Budget, Link, Location, Participation, Programme, ProgrammeData,
    ProgrammeFilter, ROLES, STATUSES,
};
use crate::models::{Lang, ListQuery, Meta, SortKey, Source};
use diesel::QueryResult;

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
    #[schema(example = "2024-01-25T00:00:00.000000Z")]
    pub created_at: String,
    /// When it last changed.
    #[schema(example = "2024-01-25T00:00:00.000000Z")]
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

fn render(p: &Programme, r: &mut Renderer) -> ProgrammeOut {
    let d = &p.data;
    let locations = d
        .locations
        .iter()
        .map(|l| LocationOut {
            name: r.text(&l.name),
            country: l.country.clone(),
            latitude: l.latitude,
            longitude: l.longitude,
        })
        .collect();
    let links = d
        .links
        .iter()
        .map(|l| LinkOut {
            title: r.text(&l.title),
            url: l.url.clone(),
        })
        .collect();
    ProgrammeOut {
        id: p.id.clone(),
        iati_identifier: d.iati_identifier.clone(),
        title: r.text(&d.title),
        summary: r.opt_text(&d.summary),
        description: r.opt_text(&d.description),
        status: d.status.clone(),
        planned_start: d.planned_start,
        planned_end: d.planned_end,
        actual_start: d.actual_start,
        actual_end: d.actual_end,
        recipient_countries: d.recipient_countries.clone(),
        locations,
        participating_organisations: d
            .participating_organisations
            .iter()
            .map(|p| ParticipationOut {
                organisation: p.organisation.clone(),
                role: p.role.clone(),
            })
            .collect(),
        fund: d.fund.clone(),
        engagement_areas: d.engagement_areas.clone(),
        budget: d.budget.as_ref().map(|b| BudgetOut {
            amount: b.amount,
            currency: b.currency.clone(),
        }),
        links,
        sources: d.sources.clone(),
        missing_languages: r.take_missing(),
        created_at: instant(&p.meta.created_at),
        updated_at: instant(&p.meta.updated_at),
        version: p.meta.version,
        included: None,
    }
}

fn check_locations(doc: &Map<String, Value>, c: &mut Checker) -> Vec<Location> {
    let mut out = Vec::new();
    for (i, item) in c.array(doc, "", "locations", 200).iter().enumerate() {
        let path = format!("/locations/{i}");
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(obj, &path, &["name", "country", "latitude", "longitude"]);
        let name = c.text(obj, &path, "name", true, Len(200));
        let country = c.country(obj, &path, "country", true);
        let latitude = c.number(obj, &path, "latitude", false, -90.0, 90.0);
        let longitude = c.number(obj, &path, "longitude", false, -180.0, 180.0);
        let given = |member: &str| obj.get(member).is_some_and(|v| !v.is_null());
        if given("latitude") != given("longitude") {
            c.fail(path.clone(), "latitude and longitude go together");
        }
        if let (Some(name), Some(country)) = (name, country) {
            out.push(Location {
                name,
                country,
                latitude,
                longitude,
            });
        }
    }
    out
}

fn check_participations(doc: &Map<String, Value>, c: &mut Checker) -> Vec<Participation> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for (i, item) in c
        .array(doc, "", "participating_organisations", 200)
        .iter()
        .enumerate()
    {
        let path = format!("/participating_organisations/{i}");
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(obj, &path, &["organisation", "role"]);
        let organisation = c.slug(obj, &path, "organisation", true);
        let role = c.one_of(obj, &path, "role", true, &ROLES);
        if let (Some(organisation), Some(role)) = (organisation, role) {
            seen.push((i, (organisation.clone(), role.clone())));
            out.push(Participation { organisation, role });
        }
    }
    c.unique(&seen, "/participating_organisations");
    out
}

fn check_links(doc: &Map<String, Value>, c: &mut Checker) -> Vec<Link> {
    let mut out = Vec::new();
    for (i, item) in c.array(doc, "", "links", 100).iter().enumerate() {
        let path = format!("/links/{i}");
        let Some(obj) = c.object(item, &path) else {
            continue;
        };
        c.only(obj, &path, &["title", "url"]);
        let title = c.text(obj, &path, "title", true, Len(300));
        let url = c.url(obj, &path, "url", true);
        if let (Some(title), Some(url)) = (title, url) {
            out.push(Link { title, url });
        }
    }
    out
}

fn check_budget(doc: &Map<String, Value>, c: &mut Checker) -> Option<Budget> {
    let value = doc.get("budget").filter(|v| !v.is_null())?;
    let obj = c.object(value, "/budget")?;
    c.only(obj, "/budget", &["amount", "currency"]);
    let amount = c.number(obj, "/budget", "amount", true, 0.0, 1e15);
    let currency = c.currency(obj, "/budget", "currency");
    Some(Budget {
        amount: amount?,
        currency: currency?,
    })
}

/// The programmes collection.
pub struct Programmes;

impl Resource for Programmes {
    const COLLECTION: &'static str = "programmes";
    const SINGULAR: &'static str = "programme";
    const TEXT_MEMBERS: &'static [&'static str] = &["title", "summary", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "iati_identifier",
        "title",
        "summary",
        "description",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "recipient_countries",
        "locations",
        "participating_organisations",
        "fund",
        "engagement_areas",
        "budget",
        "links",
        "sources",
    ];
    type Data = ProgrammeData;
    type Record = Programme;

    fn id(record: &Programme) -> &str {
        &record.id
    }
    fn meta(record: &Programme) -> &Meta {
        &record.meta
    }
    fn data(record: &Programme) -> &ProgrammeData {
        &record.data
    }
    fn links(data: &Self::Data) -> Vec<crate::models::relation::Link> {
        data.links()
    }
    fn search_entries(data: &Self::Data) -> Vec<crate::models::search::Entry> {
        data.search_entries()
    }
    fn english_title(data: &ProgrammeData) -> String {
        data.title.en.clone()
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<ProgrammeData> {
        let iati_identifier = c.string(doc, "", "iati_identifier", false, Len(150));
        let title = c.text(doc, "", "title", true, Len(500));
        let summary = c.text(doc, "", "summary", false, Len(2000));
        let description = c.text(doc, "", "description", false, Len(20_000));
        let status = c.one_of(doc, "", "status", false, &STATUSES);
        let planned_start = c.date(doc, "", "planned_start");
        let planned_end = c.date(doc, "", "planned_end");
        let actual_start = c.date(doc, "", "actual_start");
        let actual_end = c.date(doc, "", "actual_end");
        if let (Some(start), Some(end)) = (planned_start, planned_end)
            && end < start
        {
            c.fail("/planned_end", "must not be before planned_start");
        }
        if let (Some(start), Some(end)) = (actual_start, actual_end)
            && end < start
        {
            c.fail("/actual_end", "must not be before actual_start");
        }
        let mut countries = Vec::new();
        for (i, item) in c
            .array(doc, "", "recipient_countries", 250)
            .iter()
            .enumerate()
        {
            if let Some(code) = c.country_value(item, &format!("/recipient_countries/{i}")) {
                countries.push((i, code));
            }
        }
        c.unique(&countries, "/recipient_countries");
        let locations = check_locations(doc, c);
        let participating_organisations = check_participations(doc, c);
        let fund = c.slug(doc, "", "fund", false);
        let mut engagement_areas = Vec::new();
        for (i, item) in c.array(doc, "", "engagement_areas", 50).iter().enumerate() {
            if let Some(id) = c.slug_value(item, &format!("/engagement_areas/{i}")) {
                engagement_areas.push((i, id));
            }
        }
        c.unique(&engagement_areas, "/engagement_areas");
        let budget = check_budget(doc, c);
        let links = check_links(doc, c);
        let sources = c.sources(doc);
        Some(ProgrammeData {
            iati_identifier,
            title: title?,
            summary,
            description,
            status,
            planned_start,
            planned_end,
            actual_start,
            actual_end,
            recipient_countries: countries.into_iter().map(|(_, c)| c).collect(),
            locations,
            participating_organisations,
            fund,
            engagement_areas: engagement_areas.into_iter().map(|(_, id)| id).collect(),
            budget,
            links,
            sources,
        })
    }

    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Programme>> {
        model::find(conn, id)
    }
    fn page(
        conn: &mut AnyConnection,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Self::Record>> {
        model::page(conn, after, limit)
    }
    fn restore_meta(
        conn: &mut AnyConnection,
        id: &str,
        meta: &crate::models::Meta,
    ) -> QueryResult<()> {
        model::restore_meta(conn, id, meta)
    }
    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
        model::id_taken(conn, id)
    }
    fn unknown_references(
        conn: &mut AnyConnection,
        data: &ProgrammeData,
    ) -> QueryResult<Vec<FieldError>> {
        let mut references: Vec<Reference> = data
            .participating_organisations
            .iter()
            .enumerate()
            .map(|(i, p)| Reference {
                field: pointer(&format!("/participating_organisations/{i}"), "organisation"),
                collection: "organisations",
                id: p.organisation.clone(),
            })
            .collect();
        references.extend(data.fund.iter().map(|f| Reference {
            field: "/fund".into(),
            collection: "funds",
            id: f.clone(),
        }));
        references.extend(
            data.engagement_areas
                .iter()
                .enumerate()
                .map(|(i, a)| Reference {
                    field: format!("/engagement_areas/{i}"),
                    collection: "engagement-areas",
                    id: a.clone(),
                }),
        );
        check_references(conn, &references)
    }
    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &ProgrammeData,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Programme> {
        model::insert(conn, id, data, at)
    }
    fn update(
        conn: &mut AnyConnection,
        current: &Programme,
        data: &ProgrammeData,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Option<Programme>> {
        model::update(conn, current, data, at)
    }
    fn referenced_by(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<String>> {
        crate::models::relation::pointing_to(conn, model::COLLECTION, id)
    }
    fn delete(
        conn: &mut AnyConnection,
        current: &Programme,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<bool> {
        model::delete(conn, current, at)
    }
}

impl Collection for Programmes {
    type Out = ProgrammeOut;
    type Filter = ProgrammeFilter;
    const LIST: ListSpec = ListSpec {
        collection: model::COLLECTION,
        filters: &[
            ("status", FilterKind::OneOf(&STATUSES)),
            ("country", FilterKind::Country),
            ("organisation", FilterKind::Slug),
            ("fund", FilterKind::Slug),
            ("engagement_area", FilterKind::Slug),
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
        facets: &[
            ("status", Facet::Field),
            ("country", Facet::Countries),
            (
                "organisation",
                Facet::Related(&["participating_organisations"]),
            ),
            ("fund", Facet::Related(&["fund"])),
            ("engagement_area", Facet::Related(&["engagement_areas"])),
        ],
    };
    const INCLUDES: &'static [IncludeSpec] = &[
        IncludeSpec {
            name: "organisations",
            target: "organisations",
            via: Via::Outgoing("participating_organisations"),
        },
        IncludeSpec {
            name: "fund",
            target: "funds",
            via: Via::Outgoing("fund"),
        },
        IncludeSpec {
            name: "engagement_areas",
            target: "engagement-areas",
            via: Via::Outgoing("engagement_areas"),
        },
    ];

    fn filter(params: &ListParams) -> ProgrammeFilter {
        ProgrammeFilter {
            status: params.filter("status"),
            country: params.filter("country"),
            organisation: params.filter("organisation"),
            fund: params.filter("fund"),
            engagement_area: params.filter("engagement_area"),
        }
    }
    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &ProgrammeFilter,
    ) -> QueryResult<Vec<Programme>> {
        model::list(conn, query, filter)
    }
    fn count(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &ProgrammeFilter,
    ) -> QueryResult<i64> {
        model::count(conn, query, filter)
    }
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &ProgrammeFilter,
        name: &str,
        facet: Facet,
    ) -> QueryResult<Vec<(String, i64)>> {
        let _ = name;
        model::facet(conn, query, filter, facet)
    }
    fn sort_key(record: &Programme, sort: &str) -> SortKey {
        SortKey {
            value: model::sort_value(record, sort),
            id: record.id.clone(),
        }
    }
    fn find_live_many(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<Programme>> {
        model::find_live_many(conn, ids)
    }
    fn render(record: &Programme, r: &mut Renderer) -> ProgrammeOut {
        render(record, r)
    }
    fn included(out: &mut ProgrammeOut) -> &mut Option<Included> {
        &mut out.included
    }
}

/// A field `facets` counts values of.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ProgrammeFacet {
    Status,
    Country,
    Organisation,
    Fund,
    EngagementArea,
}

/// Query parameters of `GET /v1/programmes`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ProgrammeListParams {
    /// Adds `facets`: how many records matching the filters (all pages, not only this one)
    /// have each value of these fields.
    #[param(explode = false, inline, value_type = Option<Vec<ProgrammeFacet>>)]
    facets: Option<Vec<String>>,
    /// Sort field: id, title (English), created_at, updated_at, planned_start, actual_start;
    /// `-` prefix for descending. Ties break on id; nulls sort last.
    #[param(example = "-updated_at")]
    sort: Option<String>,
    /// Embeds related records: organisations, fund, engagement_areas.
    #[param(explode = false, example = json!(["organisations"]))]
    include: Option<Vec<String>>,
    /// Only these statuses.
    #[param(explode = false, value_type = Option<Vec<ProgrammeStatus>>)]
    status: Option<Vec<String>>,
    /// Only programmes with one of these recipient countries (ISO 3166-1 alpha-2).
    #[param(explode = false, example = json!(["CL"]))]
    country: Option<Vec<String>>,
    /// Only programmes in which one of these organisations takes part.
    #[param(explode = false, example = json!(["santiago-local-government"]))]
    organisation: Option<Vec<String>>,
    /// Only programmes financed by one of these funds.
    #[param(explode = false, example = json!(["mmptf"]))]
    fund: Option<Vec<String>>,
    /// Only programmes serving one of these engagement areas.
    #[param(explode = false)]
    engagement_area: Option<Vec<String>>,
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
    collection: Programmes,
    path: "/programmes",
    item_path: "/programmes/{id}",
    tag: "Programmes",
    out: ProgrammeOut,
    write: ProgrammeWrite,
    page: ProgrammePage,
    params: ProgrammeListParams,
    include_doc: "Embeds related records (comma-separated): organisations, fund, engagement_areas",
    list: list_programmes "Lists programmes.",
    get: get_programme "Reads one programme.",
    create: create_programme "Creates a programme.",
    update: update_programme "Updates a programme (JSON Merge Patch).",
    delete: delete_programme "Deletes a programme, leaving a tombstone.",
}
