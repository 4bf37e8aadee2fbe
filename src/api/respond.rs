//! Representations: strong ETags (version and language of a record, or a digest of a page),
//! answered with a 304 when `If-None-Match` names them, and the language and caching headers.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::conditional;
use super::lang::LangChoice;
use crate::error::AppError;
use crate::models::idempotency::StoredResponse;

/// How long shared caches and clients may reuse a read: the data is public and read-mostly;
/// mirrors that must be exact follow the change feed instead.
pub const CACHE_CONTROL: &str = "public, max-age=60";

pub(crate) fn digest(body: &[u8]) -> String {
    let hash = Sha256::digest(body);
    hash[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A record's ETag: `"v{version}-{lang}-{digest}"`. The version lets `If-Match` accept the ETag
/// of any language; the digest tells apart representations of one version (embedded records).
pub fn record_etag(version: i32, lang: LangChoice, body: &[u8]) -> String {
    format!("\"v{version}-{}-{}\"", lang.tag(), digest(body))
}

/// Builds a 200 (or a 304) for a page as CSV: ETag `"c-{lang}-{digest}"`, the same language
/// and caching headers as JSON.
pub fn csv_representation(req: &HttpRequest, body: Vec<u8>, lang: LangChoice) -> HttpResponse {
    let etag = format!("\"c-{}-{}\"", lang.tag(), digest(&body));
    let mut response = finish(req, etag, lang, VARY_LIST, "text/csv; charset=utf-8", body);
    // The collection is the path's last segment (`/v1/programmes`), a name from the catalogue.
    let name = req
        .path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("records");
    if response.status() == StatusCode::OK
        && let Ok(value) =
            header::HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A page in a representation beyond JSON and CSV (GeoJSON, iCalendar): ETag
/// `"{format}-{lang}-{digest}"`, the same language, caching and `Vary` as JSON pages.
pub fn page_as<T: Serialize>(
    req: &HttpRequest,
    value: &T,
    lang: LangChoice,
    format: super::representation::Format,
) -> HttpResponse {
    match serde_json::to_vec(value) {
        Ok(body) => page_bytes(req, body, lang, format),
        Err(e) => actix_web::ResponseError::error_response(&AppError::Internal(e.to_string())),
    }
}

/// [`page_as`] for a body already written (an iCalendar text).
pub fn page_bytes(
    req: &HttpRequest,
    body: Vec<u8>,
    lang: LangChoice,
    format: super::representation::Format,
) -> HttpResponse {
    let etag = format!("\"{}-{}-{}\"", format.tag(), lang.tag(), digest(&body));
    finish(req, etag, lang, VARY_LIST, media_type(format), body)
}

/// A record in any representation: its record ETag (version, language, digest), so that
/// `If-Match` takes it whatever the format, varying on `Accept` too.
pub fn record_as(
    req: &HttpRequest,
    body: Vec<u8>,
    lang: LangChoice,
    version: i32,
    format: super::representation::Format,
) -> HttpResponse {
    finish(
        req,
        record_etag(version, lang, &body),
        lang,
        VARY_LIST,
        media_type(format),
        body,
    )
}

fn media_type(format: super::representation::Format) -> &'static str {
    use super::representation::Format;
    match format {
        Format::Json => "application/json",
        Format::Csv => "text/csv; charset=utf-8",
        Format::GeoJson => "application/geo+json",
        Format::Calendar => "text/calendar; charset=utf-8",
        Format::Xml => "application/xml; charset=utf-8",
        Format::EventStream => "text/event-stream",
    }
}

/// Builds a 200 (or a 304 when `If-None-Match` matches) for a JSON representation.
/// `version` is the record's version, or `None` for a page.
pub fn representation<T: Serialize>(
    req: &HttpRequest,
    value: &T,
    lang: LangChoice,
    version: Option<i32>,
) -> HttpResponse {
    json(req, value, lang, version, "Accept-Language")
}

/// [`representation`] for a list page, which also varies on `Accept` (JSON or CSV).
pub fn list_representation<T: Serialize>(
    req: &HttpRequest,
    value: &T,
    lang: LangChoice,
) -> HttpResponse {
    json(req, value, lang, None, VARY_LIST)
}

/// What list pages vary on.
const VARY_LIST: &str = "Accept-Language, Accept";

fn json<T: Serialize>(
    req: &HttpRequest,
    value: &T,
    lang: LangChoice,
    version: Option<i32>,
    vary: &'static str,
) -> HttpResponse {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => {
            return actix_web::ResponseError::error_response(&AppError::Internal(e.to_string()));
        }
    };
    let etag = match version {
        Some(version) => record_etag(version, lang, &body),
        None => format!("\"p-{}-{}\"", lang.tag(), digest(&body)),
    };
    finish(req, etag, lang, vary, "application/json", body)
}

/// A 200 with `body`, or a 304 when `If-None-Match` names `etag`, with the ETag, language and
/// caching headers.
fn finish(
    req: &HttpRequest,
    etag: String,
    lang: LangChoice,
    vary: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
) -> HttpResponse {
    let mut builder = HttpResponse::Ok();
    builder
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .insert_header((header::CONTENT_LANGUAGE, lang.content_language()))
        .insert_header((header::VARY, vary));
    let response = builder.content_type(content_type).body(body);
    // A read that the response cache is to store is answered conditionally once stored.
    if req
        .extensions()
        .contains::<super::cache::AnswerAfterStore>()
    {
        return response;
    }
    conditional::answer_none_match(req, response)
}

/// A written record's response, as kept for idempotent replays.
pub fn stored<T: Serialize>(
    status: StatusCode,
    value: &T,
    lang: LangChoice,
    version: i32,
    location: &str,
) -> StoredResponse {
    let body = serde_json::to_string(value).unwrap_or_default();
    StoredResponse {
        status: i32::from(status.as_u16()),
        location: location.to_owned(),
        etag: record_etag(version, lang, body.as_bytes()),
        content_language: lang.content_language().to_owned(),
        body,
    }
}

/// Sends a stored write response (first sent or replayed).
pub fn from_stored(stored: &StoredResponse) -> HttpResponse {
    let status = u16::try_from(stored.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut builder = HttpResponse::build(status);
    builder
        .insert_header((header::ETAG, stored.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_LANGUAGE, stored.content_language.as_str()))
        .insert_header((header::VARY, "Accept-Language"));
    if !stored.location.is_empty() {
        builder.insert_header((header::LOCATION, stored.location.as_str()));
    }
    builder
        .content_type("application/json")
        .body(stored.body.clone())
}

/// The answer to a write: `status` with the record, its ETag and no caching.
pub fn written<T: Serialize>(
    status: StatusCode,
    value: &T,
    lang: LangChoice,
    version: i32,
) -> HttpResponse {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => {
            return actix_web::ResponseError::error_response(&AppError::Internal(e.to_string()));
        }
    };
    HttpResponse::build(status)
        .insert_header((header::ETAG, record_etag(version, lang, &body)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_LANGUAGE, lang.content_language()))
        .insert_header((header::VARY, "Accept-Language"))
        .content_type("application/json")
        .body(body)
}
