//! `/v1/organisations`: the organisations that take part in programmes, forums and funds.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::input::{Checker, Len};
use super::lang::{LangChoice, LocalizedText, Renderer, negotiate};
use super::listing::{self, FilterKind, ListSpec, SortKind};
use super::records::{self, Resource, param, run, single_query};
use super::{LangParam, LanguageCode, TextInput, instant, respond};
use crate::db::{AnyConnection, Pool};
use crate::error::{AppError, FieldError};
use crate::models::organisation::{
    self as model, KINDS, Organisation, OrganisationData, OrganisationFilter,
};
use crate::models::{Lang, Meta, Source};
use diesel::QueryResult;

/// An organisation, in the requested language.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "uclg", "name": "United Cities and Local Governments", "acronym": "UCLG",
    "kind": "city_network", "country": null, "description": null, "website": null,
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
    /// Where the facts come from.
    sources: Option<Vec<Source>>,
}

pub(crate) fn render(o: &Organisation, r: &mut Renderer) -> OrganisationOut {
    let d = &o.data;
    OrganisationOut {
        id: o.id.clone(),
        name: r.text(&d.name),
        acronym: r.opt_text(&d.acronym),
        kind: d.kind.clone(),
        country: d.country.clone(),
        description: r.opt_text(&d.description),
        website: d.website.clone(),
        sources: d.sources.clone(),
        missing_languages: r.take_missing(),
        created_at: instant(&o.meta.created_at),
        updated_at: instant(&o.meta.updated_at),
        version: o.meta.version,
    }
}

/// The organisations collection.
pub struct Organisations;

impl Resource for Organisations {
    const COLLECTION: &'static str = "organisations";
    const SINGULAR: &'static str = "organisation";
    const TEXT_MEMBERS: &'static [&'static str] = &["name", "acronym", "description"];
    const MEMBERS: &'static [&'static str] = &[
        "name",
        "acronym",
        "kind",
        "country",
        "description",
        "website",
        "sources",
    ];
    type Data = OrganisationData;
    type Record = Organisation;

    fn id(record: &Organisation) -> &str {
        &record.id
    }
    fn meta(record: &Organisation) -> &Meta {
        &record.meta
    }
    fn data(record: &Organisation) -> &OrganisationData {
        &record.data
    }
    fn english_title(data: &OrganisationData) -> &str {
        &data.name.en
    }

    fn check(doc: &Map<String, Value>, c: &mut Checker) -> Option<OrganisationData> {
        let name = c.text(doc, "", "name", true, Len(300));
        let acronym = c.text(doc, "", "acronym", false, Len(30));
        let kind = c.one_of(doc, "", "kind", true, &KINDS);
        let country = c.country(doc, "", "country", false);
        let description = c.text(doc, "", "description", false, Len(5000));
        let website = c.url(doc, "", "website", false);
        let sources = c.sources(doc);
        if c.has_errors() {
            return None;
        }
        Some(OrganisationData {
            name: name?,
            acronym,
            kind: kind?,
            country,
            description,
            website,
            sources,
        })
    }

    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Organisation>> {
        model::find(conn, id)
    }
    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
        model::id_taken(conn, id)
    }
    fn unknown_references(
        _: &mut AnyConnection,
        _: &OrganisationData,
    ) -> QueryResult<Vec<FieldError>> {
        Ok(Vec::new())
    }
    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &OrganisationData,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Organisation> {
        model::insert(conn, id, data, at)
    }
    fn update(
        conn: &mut AnyConnection,
        current: &Organisation,
        data: &OrganisationData,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Option<Organisation>> {
        model::update(conn, current, data, at)
    }
    fn referenced_by(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<String>> {
        Ok(crate::models::programme::ids_naming_organisation(conn, id)?
            .into_iter()
            .map(|p| format!("programmes/{p}"))
            .collect())
    }
    fn delete(
        conn: &mut AnyConnection,
        current: &Organisation,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<bool> {
        model::delete(conn, current, at)
    }
}

const LIST: ListSpec = ListSpec {
    collection: "organisations",
    filters: &[
        ("kind", FilterKind::OneOf(&KINDS)),
        ("country", FilterKind::Country),
    ],
    sorts: &[
        ("id", SortKind::Id),
        ("name", SortKind::Text),
        ("created_at", SortKind::Instant),
        ("updated_at", SortKind::Instant),
    ],
    includes: &[],
};

/// Query parameters of `GET /v1/organisations`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OrganisationListParams {
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Sort field: id, name (English), created_at, updated_at; `-` prefix for descending.
    #[param(example = "-updated_at")]
    sort: Option<String>,
    /// Adds `meta.total`.
    count: Option<bool>,
    /// Language of the texts (overrides Accept-Language).
    #[param(value_type = Option<LangParam>)]
    lang: Option<String>,
    /// Case- and accent-insensitive words searched in the texts of the requested language.
    q: Option<String>,
    /// Only these ids (comma-separated or repeated).
    #[param(explode = false)]
    id: Option<Vec<String>>,
    /// Only records updated at or after this instant (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<String>,
    /// Only these kinds (comma-separated or repeated).
    #[param(explode = false, value_type = Option<Vec<OrganisationKind>>)]
    kind: Option<Vec<String>>,
    /// Only these countries (ISO 3166-1 alpha-2).
    #[param(explode = false)]
    country: Option<Vec<String>>,
}

/// Lists organisations.
#[utoipa::path(
    tag = "Organisations",
    operation_id = "list_organisations",
    params(OrganisationListParams, super::AcceptLanguage),
    responses(
        (status = 200, description = "A page of organisations", body = OrganisationPage, headers(
            ("ETag" = String, description = "Strong entity tag of the page"),
            ("Link" = String, description = "RFC 8288 link to the next page (rel=\"next\")"),
            ("Content-Language" = String, description = "The language of the texts"),
        )),
        (status = 304, description = "Not modified (If-None-Match)"),
        super::ListErrors,
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    let params = listing::parse(&req, &LIST)?;
    let filter = OrganisationFilter {
        kind: params.filter("kind"),
        country: params.filter("country"),
    };
    let (query, count) = (params.query.clone(), params.count);
    let (rows, total) = run(&pool, move |conn| {
        let total = if count {
            Some(model::count(conn, &query, &filter)?)
        } else {
            None
        };
        Ok((model::list(conn, &query, &filter)?, total))
    })
    .await?;
    let (rows, next) = params.paginate(rows, |o| model::sort_key(o, &params.query.sort));
    let mut r = Renderer::new(params.lang);
    let data: Vec<_> = rows.iter().map(|o| render(o, &mut r)).collect();
    Ok(params.respond(&req, data, next, total))
}

fn lang_of(req: &HttpRequest, pairs: &[(String, String)]) -> Result<LangChoice, AppError> {
    negotiate(req, param(pairs, "lang"))
}

/// Reads one organisation.
#[utoipa::path(
    tag = "Organisations",
    operation_id = "get_organisation",
    params(("id" = String, Path, description = "The organisation's id"), super::LangQuery, super::AcceptLanguage),
    responses(
        (status = 200, description = "The organisation", body = OrganisationOut, headers(("ETag" = String, description = "Strong entity tag: version and language"))),
        (status = 304, description = "Not modified (If-None-Match)"),
        super::ReadErrors,
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let pairs = single_query(&req, &["lang"])?;
    let lang = lang_of(&req, &pairs)?;
    let id = id.into_inner();
    let record = run(&pool, move |conn| records::load::<Organisations>(conn, &id)).await?;
    let out = render(&record, &mut Renderer::new(lang));
    Ok(respond::representation(
        &req,
        &out,
        lang,
        Some(record.meta.version),
    ))
}

/// Creates an organisation.
#[utoipa::path(
    tag = "Organisations",
    operation_id = "create_organisation",
    params(super::LangQuery, super::ContentLanguage),
    request_body(content = OrganisationWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = OrganisationOut, headers(("Location" = String, description = "The new record's URL"), ("ETag" = String, description = "Strong entity tag"))),
        super::CreateErrors,
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    req: HttpRequest,
    pool: web::Data<Pool>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs = single_query(&req, &["lang"])?;
    let lang = lang_of(&req, &pairs)?;
    let record = records::create::<Organisations>(&pool, &req, &body).await?;
    let out = render(&record, &mut Renderer::new(lang));
    let mut response = respond::written(StatusCode::CREATED, &out, lang, record.meta.version);
    super::set_location(&mut response, &format!("/v1/organisations/{}", record.id));
    Ok(response)
}

/// Updates an organisation (JSON Merge Patch).
#[utoipa::path(
    tag = "Organisations",
    operation_id = "update_organisation",
    params(("id" = String, Path, description = "The organisation's id"), super::LangQuery, super::ContentLanguage, super::IfMatch),
    request_body(content = OrganisationWrite, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = OrganisationOut, headers(("ETag" = String, description = "Strong entity tag"))),
        super::UpdateErrors,
    )
)]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let pairs = single_query(&req, &["lang"])?;
    let lang = lang_of(&req, &pairs)?;
    let record = records::update::<Organisations>(&pool, &req, id.into_inner(), &body).await?;
    let out = render(&record, &mut Renderer::new(lang));
    Ok(respond::written(
        StatusCode::OK,
        &out,
        lang,
        record.meta.version,
    ))
}

/// Deletes an organisation, leaving a tombstone.
#[utoipa::path(
    tag = "Organisations",
    operation_id = "delete_organisation",
    params(("id" = String, Path, description = "The organisation's id"), super::IfMatch),
    responses(
        (status = 204, description = "Deleted"),
        super::DeleteErrors,
    )
)]
#[delete("/organisations/{id}")]
pub async fn delete_organisation(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    single_query(&req, &[])?;
    records::delete::<Organisations>(&pool, &req, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A page of organisations.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OrganisationPage {
    data: Vec<OrganisationOut>,
    meta: listing::PageMeta,
    links: listing::PageLinks,
}
