//! `/v1/institution`: the one institution profile (IOM), with its key figures as data.
//! GET and PATCH only; it is created by the built-in dataset.

use actix_web::{HttpRequest, HttpResponse, get, patch, web};

use super::collection::{self, WriteRequest};
use super::extract::{IfMatch, Language};
use crate::db::Pool;
use crate::error::AppError;
use crate::models::domain::{INSTITUTION_ID, Institution};

wire_docs!(Institution);

/// Reads the institution profile.
///
/// IOM's profile, with its key figures as data, in the language asked for; `If-None-Match` with
/// its ETag answers 304.
#[utoipa::path(
    tag = "Institution",
    security(()),
    params(Language),
    responses(
        (status = 200, description = "The institution profile", body = OutDoc, headers(
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
    params(Language, super::extract::ContentLanguage, IfMatch),
    request_body(content = WriteDoc, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = OutDoc, headers(("ETag" = String, description = "Strong entity tag"))),
        super::UpdateErrors,
    )
)]
#[patch("/institution")]
pub async fn update_institution(
    write: WriteRequest,
    if_match: IfMatch,
    super::body::Body(body): super::body::Body,
) -> Result<HttpResponse, AppError> {
    collection::update::<Institution>(write, if_match, INSTITUTION_ID.to_owned(), body).await
}

/// Registers the institution's routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_institution).service(update_institution);
}
