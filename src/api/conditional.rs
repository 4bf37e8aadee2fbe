//! Conditional requests, evaluated in one place for every read, cached or not: `If-None-Match`
//! with the weak comparison (RFC 9110 section 13.1.2) and, without it, `If-Modified-Since`
//! against `Last-Modified`, answered with a 304 that carries only the headers a 304 may carry.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue, HttpDate};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

/// The entity tags of one `If-Match` or `If-None-Match` header value.
pub fn tags(value: &HeaderValue) -> Vec<String> {
    value
        .to_str()
        .unwrap_or("")
        .split(',')
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `If-None-Match` names `etag` (or `*`), comparing weakly: `W/"x"` matches `"x"`.
pub fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let strip = |t: &str| t.strip_prefix("W/").unwrap_or(t).to_owned();
    let etag = strip(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .flat_map(tags)
        .any(|tag| tag == "*" || strip(&tag) == etag)
}

/// The headers a 304 keeps from the 200 it stands for (RFC 9110 section 15.4.5).
const KEPT_BY_304: [HeaderName; 4] = [
    header::ETAG,
    header::CACHE_CONTROL,
    header::VARY,
    header::CONTENT_LOCATION,
];

/// A 304 for a representation with these headers.
pub fn not_modified<'a>(
    headers: impl IntoIterator<Item = (&'a HeaderName, &'a HeaderValue)>,
) -> HttpResponse {
    let mut builder = HttpResponse::build(StatusCode::NOT_MODIFIED);
    for (name, value) in headers {
        if KEPT_BY_304.contains(name) {
            builder.append_header((name.clone(), value.clone()));
        }
    }
    builder.finish()
}

/// A 200 turned into its 304 when `If-None-Match` names its ETag; anything else as it is.
pub fn answer_none_match(req: &HttpRequest, response: HttpResponse) -> HttpResponse {
    let matches = response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|etag| none_match(req.headers(), etag));
    if matches {
        not_modified(response.headers().iter())
    } else {
        response
    }
}

/// Adds `Last-Modified` to a 200: `at`, the instant nothing in the representation changed
/// after, to the second. It is left out while `at`'s second is still running: a change later
/// in that same second would carry the same date, and `If-Modified-Since` would then miss it.
/// (The ETag is the exact validator; this one serves clients that only keep dates.)
pub fn last_modified(mut response: HttpResponse, at: Option<NaiveDateTime>) -> HttpResponse {
    let Some(at) = at else {
        return response;
    };
    let seconds = at.and_utc().timestamp();
    if response.status() != StatusCode::OK || chrono::Utc::now().timestamp() <= seconds {
        return response;
    }
    let Ok(seconds) = u64::try_from(seconds) else {
        return response;
    };
    let date = HttpDate::from(UNIX_EPOCH + Duration::from_secs(seconds));
    if let Ok(value) = HeaderValue::from_str(&date.to_string()) {
        response.headers_mut().insert(header::LAST_MODIFIED, value);
    }
    response
}

/// A 304 in place of a 200 whose `Last-Modified` is not after the request's
/// `If-Modified-Since`. Evaluated only without `If-None-Match`, which takes precedence (RFC
/// 9110 section 13.2.2); an unreadable date is ignored, as the RFC says.
pub fn modified_since(req: &HttpRequest, response: HttpResponse) -> HttpResponse {
    if response.status() != StatusCode::OK || req.headers().contains_key(header::IF_NONE_MATCH) {
        return response;
    }
    let date = |headers: &HeaderMap, name: HeaderName| {
        let mut values = headers.get_all(name);
        let value = values.next()?;
        if values.next().is_some() {
            return None;
        }
        value
            .to_str()
            .ok()?
            .parse::<HttpDate>()
            .ok()
            .map(SystemTime::from)
    };
    match (
        date(req.headers(), header::IF_MODIFIED_SINCE),
        date(response.headers(), header::LAST_MODIFIED),
    ) {
        (Some(since), Some(modified)) if modified <= since => {
            not_modified(response.headers().iter())
        }
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_across_every_header_value() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        headers.append(header::IF_NONE_MATCH, HeaderValue::from_static("\"c\""));
        assert!(none_match(&headers, "\"a\""));
        assert!(none_match(&headers, "\"b\""));
        assert!(none_match(&headers, "\"c\""));
        assert!(!none_match(&headers, "\"d\""));
        let mut any = HeaderMap::new();
        any.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(none_match(&any, "\"d\""));
    }
}
