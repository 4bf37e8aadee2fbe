//! `/v1/institution`: the one institution profile (IOM), with its key figures as data.
//! GET and PATCH only; it is created by the built-in dataset.

use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use utoipa::ToSchema;

use super::collection::Served;
use super::collection::{self, WriteRequest};
use super::extract::{IfMatch, Language};
use super::lang::LocalizedText;
use super::listing::{ListSpec, SortKind};
use super::{FigureOut, FigureWrite, RecordMeta, TextInput};
use crate::db::Pool;
use crate::error::AppError;
use crate::models::Source;
use crate::models::domain::INSTITUTION_ID;
use crate::models::domain::Institution;

impl Served for Institution {
    const LIST: ListSpec = ListSpec {
        filters: &[],
        sorts: &[("id", SortKind::Id)],
        default_sort: "id",
        facets: &[],
    };
}

/// Where the institution has its seat.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HeadquartersOut {
    city: LocalizedText,
    #[schema(example = "CH")]
    country: String,
}

/// The institution profile.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InstitutionOut {
    #[schema(example = "iom")]
    id: String,
    name: LocalizedText,
    acronym: Option<LocalizedText>,
    headquarters: Option<HeadquartersOut>,
    /// What the institution is.
    description: Option<LocalizedText>,
    /// The principle it holds to.
    principle: Option<LocalizedText>,
    /// What it sets out to do.
    mission: Option<LocalizedText>,
    /// Why migration is felt first locally.
    migration_context: Option<LocalizedText>,
    /// What it increasingly focuses on.
    focus: Option<LocalizedText>,
    /// Why it works with local and regional governments.
    why_lrgs: Option<LocalizedText>,
    /// Key figures, as data.
    key_figures: Vec<FigureOut>,
    sources: Vec<Source>,
    #[serde(flatten)]
    meta: RecordMeta,
}

/// A headquarters, in a write.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HeadquartersWrite {
    #[schema(value_type = TextInput)]
    city: String,
    #[schema(pattern = "^[A-Z]{2}$")]
    country: String,
}

/// The body of `PATCH /v1/institution` (JSON Merge Patch: every member is optional).
#[derive(ToSchema)]
#[allow(dead_code)]
#[schema(example = json!({"mission": {"es": "Fortalecer la resiliencia de todas las personas en movimiento"}}))]
pub struct InstitutionWrite {
    #[schema(value_type = Option<TextInput>)]
    name: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    acronym: Option<String>,
    headquarters: Option<HeadquartersWrite>,
    #[schema(value_type = Option<TextInput>)]
    description: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    principle: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    mission: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    migration_context: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    focus: Option<String>,
    #[schema(value_type = Option<TextInput>)]
    why_lrgs: Option<String>,
    key_figures: Option<Vec<FigureWrite>>,
    sources: Option<Vec<Source>>,
}

/// Reads the institution profile.
///
/// IOM's profile, with its key figures as data, in the language asked for; `If-None-Match` with
/// its ETag answers 304.
#[utoipa::path(
    tag = "Institution",
    security(()),
    params(super::LangQuery, super::AcceptLanguage),
    responses(
        (status = 200, description = "The institution profile", body = InstitutionOut, headers(
            ("ETag" = String, description = "Strong entity tag: version and language"),
            ("Content-Language" = String, description = "The language of the texts"),
        )),
        (status = 304, description = "Not modified (If-None-Match)"),
        super::ReadErrors,
    )
)]
#[get("/institution")]
pub async fn get_institution(
    req: HttpRequest,
    pool: web::Data<Pool>,
    lang: Language,
) -> Result<HttpResponse, AppError> {
    collection::get::<Institution>(req, pool, lang, INSTITUTION_ID.to_owned()).await
}

/// Updates the institution profile (JSON Merge Patch).
///
/// Needs an API key with the `write` scope. A plain string replaces one language
/// (`Content-Language`); with `If-Match`, a stale version is a 412 and nothing is written.
#[utoipa::path(
    tag = "Institution",
    security(("bearer" = [])),
    params(super::LangQuery, super::ContentLanguage, super::IfMatch),
    request_body(content = InstitutionWrite, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = InstitutionOut, headers(("ETag" = String, description = "Strong entity tag"))),
        super::UpdateErrors,
    )
)]
#[patch("/institution")]
pub async fn update_institution(
    write: WriteRequest,
    if_match: IfMatch,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    collection::update::<Institution>(write, if_match, INSTITUTION_ID.to_owned(), body).await
}

/// Registers the institution's routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_institution).service(update_institution);
}
