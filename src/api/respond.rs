//! Representations: strong ETags (version and language of a record, or a digest of a page),
//! `If-None-Match` (304), `If-Match` (412), and the language and caching headers.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::lang::LangChoice;
use crate::error::AppError;
use crate::models::idempotency::StoredResponse;

/// How long shared caches and clients may reuse a read: the data is public and read-mostly;
/// mirrors that must be exact follow the change feed instead.
pub const CACHE_CONTROL: &str = "public, max-age=60";

fn digest(body: &[u8]) -> String {
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
    finish(req, etag, lang, VARY_LIST, "text/csv; charset=utf-8", body)
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
    let status = if none_match(req, &etag) {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    };
    let mut builder = HttpResponse::build(status);
    builder
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .insert_header((header::CONTENT_LANGUAGE, lang.content_language()))
        .insert_header((header::VARY, vary));
    if status == StatusCode::NOT_MODIFIED {
        builder.finish()
    } else {
        builder.content_type(content_type).body(body)
    }
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

fn tags(value: &HeaderValue) -> Vec<String> {
    value
        .to_str()
        .unwrap_or("")
        .split(',')
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`.
fn none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .flat_map(tags)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(&tag) == etag)
}

/// The entity tags of `If-Match` (empty when absent).
pub fn if_match_tags(req: &HttpRequest) -> Result<Vec<String>, AppError> {
    let mut given = req.headers().get_all(header::IF_MATCH).peekable();
    if given.peek().is_none() {
        return Ok(Vec::new());
    }
    let tags: Vec<String> = given.flat_map(tags).collect();
    if tags.is_empty() {
        // Present but unreadable: the client asked for a condition, so it cannot hold.
        return Err(AppError::PreconditionFailed(
            "If-Match carries no entity tag this API can read".into(),
        ));
    }
    Ok(tags)
}

/// Checks `If-Match` tags against the record's current version; `Ok(true)` when the write is
/// conditional. No tags: any version passes. The ETag of any language of the current version
/// passes; weak ETags never do.
pub fn check_if_match(given: &[String], current_version: i32) -> Result<bool, AppError> {
    if given.is_empty() {
        return Ok(false);
    }
    let matches = given
        .iter()
        .any(|tag| tag == "*" || etag_version(tag) == Some(current_version));
    if matches {
        Ok(true)
    } else {
        Err(AppError::PreconditionFailed(format!(
            "If-Match does not name the current version ({current_version}); read the record again"
        )))
    }
}

fn etag_version(tag: &str) -> Option<i32> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    inner.strip_prefix('v')?.split('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_versions_are_read_back_from_strong_tags_only() {
        assert_eq!(etag_version("\"v12-fr-0011\""), Some(12));
        assert_eq!(etag_version("W/\"v12-fr-0011\""), None);
        assert_eq!(etag_version("\"p-fr-0011\""), None);
        assert_eq!(etag_version("v3-en"), None);
    }
}
