//! The HTTP API: the one route table (collected by utoipa, so the OpenAPI document and the routes
//! cannot drift), the helpers every resource shares, and one module per resource.

pub mod input;
pub mod lang;
pub mod listing;
pub mod organisations;
pub mod programmes;
pub mod records;
pub mod respond;
pub mod service;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use utoipa::{IntoParams, IntoResponses, ToSchema};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{AppError, Problem, problem_for_status, problem_response};

/// Registers every documented route.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(service::root)
        .service(service::health_live)
        .service(service::health_ready)
        .service(service::list_problems)
        .service(service::get_problem)
        .service(
            scope::scope("/v1")
                .service(programmes::list_programmes)
                .service(programmes::create_programme)
                .service(programmes::get_programme)
                .service(programmes::update_programme)
                .service(programmes::delete_programme)
                .service(organisations::list_organisations)
                .service(organisations::create_organisation)
                .service(organisations::get_organisation)
                .service(organisations::update_organisation)
                .service(organisations::delete_organisation),
        );
}

/// An instant as the API writes it: RFC 3339, UTC, microseconds.
pub fn instant(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Sets the `Location` header of a 201.
pub fn set_location(response: &mut HttpResponse, path: &str) {
    if let Ok(value) = HeaderValue::from_str(path) {
        response.headers_mut().insert(header::LOCATION, value);
    }
}

/// The paths and methods the API serves, for telling a 405 from a 404.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    /// Reads the routes from the OpenAPI document, plus the undocumented ones (Swagger UI).
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, extra: &[(&str, &str)]) -> Self {
        let mut routes: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        let mut add = |path: &str, method: String| {
            let segments: Vec<String> = path
                .trim_matches('/')
                .split('/')
                .map(str::to_owned)
                .collect();
            match routes.iter_mut().find(|(s, _)| *s == segments) {
                Some((_, methods)) if !methods.contains(&method) => methods.push(method),
                Some(_) => {}
                None => routes.push((segments, vec![method])),
            }
        };
        for (path, item) in &doc.paths.paths {
            let value = serde_json::to_value(item).unwrap_or_default();
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if value.get(method).is_some() {
                    add(path, method.to_uppercase());
                }
            }
        }
        for (path, method) in extra {
            add(path, (*method).to_owned());
        }
        Self { routes }
    }

    /// The methods a path has, if the API serves it at all.
    pub fn methods(&self, path: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<Vec<String>> = None;
        for (pattern, methods) in &self.routes {
            let matches = pattern.len() == segments.len()
                && pattern
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()));
            if matches {
                let all = found.get_or_insert_with(Vec::new);
                all.extend(
                    methods
                        .iter()
                        .filter(|m| !all.contains(m))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        found
    }
}

/// Answers requests no route took: 405 with `Allow` when the path exists, 404 otherwise.
pub async fn fallback(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    match table.methods(req.path()) {
        Some(mut methods) => {
            methods.sort();
            let allow = methods.join(", ");
            let problem = Problem {
                detail: format!(
                    "{} is not allowed on {}; allowed: {allow}",
                    req.method(),
                    req.path()
                ),
                ..problem_for_status(actix_web::http::StatusCode::METHOD_NOT_ALLOWED, None)
            };
            let mut response = problem_response(&problem);
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => actix_web::ResponseError::error_response(&AppError::NotFound(format!(
            "nothing is served at {}; see /openapi.json",
            req.path()
        ))),
    }
}

/// `Accept-Language`: the preferred languages, with q-values (`fr-CH, fr;q=0.9, en;q=0.8`).
#[derive(IntoParams)]
#[into_params(parameter_in = Header, names("Accept-Language"))]
#[allow(dead_code)]
pub struct AcceptLanguage(
    /// Preferred languages; en, fr and es are served, English is the fallback.
    #[param(example = "fr-CH, fr;q=0.9, en;q=0.8")]
    Option<String>,
);

/// `?lang=`: the language of the texts, overriding `Accept-Language`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct LangQuery {
    /// en, fr, es, or all (every text as an object of languages).
    #[param(value_type = Option<LangParam>)]
    lang: Option<String>,
}

/// A language of the data.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum LanguageCode {
    En,
    Fr,
    Es,
}

/// Values of `?lang=`.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "lowercase")]
pub enum LangParam {
    En,
    Fr,
    Es,
    All,
}

/// `Content-Language`: the language of plain-string texts in a write (default en).
#[derive(IntoParams)]
#[into_params(parameter_in = Header, names("Content-Language"))]
#[allow(dead_code)]
pub struct ContentLanguage(
    /// en, fr or es.
    #[param(example = "fr")]
    Option<String>,
);

/// `If-Match`: write only if the record is still at this version (an ETag of it, in any language).
#[derive(IntoParams)]
#[into_params(parameter_in = Header, names("If-Match"))]
#[allow(dead_code)]
pub struct IfMatch(
    /// The ETag read with the record.
    #[param(example = "\"v1-en-0123456789abcdef\"")]
    Option<String>,
);

/// Multilingual text in a write: a string in the request's `Content-Language`, or an object of
/// languages (English required; a null language is removed by a PATCH).
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(untagged)]
pub enum TextInput {
    /// The text in the request's Content-Language (default en).
    #[schema(example = "Partnership between Santiago and Mexico City")]
    Plain(String),
    /// The text per language.
    Languages(TextLanguages),
}

/// A text per language.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TextLanguages {
    /// English (required on create).
    #[schema(min_length = 1)]
    en: Option<String>,
    /// French; null removes it.
    #[schema(min_length = 1)]
    fr: Option<String>,
    /// Spanish; null removes it.
    #[schema(min_length = 1)]
    es: Option<String>,
}

/// Errors of a list.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ListErrors {
    /// Unknown or bad query parameter, or a cursor from another query.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of reading one record.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum ReadErrors {
    /// Unknown or bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No record has this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The record was deleted.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of a create.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum CreateErrors {
    /// Not JSON, wrong Content-Type, or a bad header or query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// The id is taken (or was used by a deleted record).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body is over the size limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body breaks the schema or a rule; `errors` lists every broken member.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of an update.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum UpdateErrors {
    /// Not JSON, wrong Content-Type, or a bad header or query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No record has this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Another write changed the record meanwhile (without If-Match); read it and retry.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The record was deleted.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// `If-Match` does not name the current version.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// The body is over the size limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The result breaks the schema or a rule; `errors` lists every broken member.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of a delete.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum DeleteErrors {
    /// A bad header or query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No record has this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Live records point to this one (`conflicts` names them).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The record was deleted already.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// `If-Match` does not name the current version.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}
