//! Conditional requests, evaluated in one place for every read, cached or not: `If-None-Match`
//! with the weak comparison (RFC 9110 section 13.1.2), answered with a 304 that carries only the
//! headers a 304 may carry.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

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
