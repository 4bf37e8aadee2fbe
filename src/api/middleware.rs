//! What wraps every request: a request id (taken from `X-Request-Id` or made, echoed back), one
//! log line per request (never headers, so never keys), metrics, and security headers.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;

use super::cache::ResponseCache;
use super::metrics::Metrics;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The CSP of API responses: they are data, never rendered.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// The CSP of Swagger UI: its own scripts and styles only (it sets inline styles).
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

thread_local! {
    /// Each worker thread's generator of request ids: seeded once from the operating system,
    /// so that making an id costs no system call (measured with perf on `/health/live`: the
    /// `getrandom` call and sixteen `format!`s per id were about 6 % of the CPU).
    static REQUEST_IDS: std::cell::RefCell<rand_chacha::ChaCha8Rng> = std::cell::RefCell::new({
        let mut seed = [0u8; 32];
        // Without randomness the ids are still unique enough from the clock and the thread.
        if getrandom::fill(&mut seed).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            seed[..16].copy_from_slice(&nanos.to_be_bytes());
            let thread = format!("{:?}", std::thread::current().id());
            for (slot, byte) in seed[16..].iter_mut().zip(thread.bytes()) {
                *slot = byte;
            }
        }
        rand::SeedableRng::from_seed(seed)
    });
}

/// A client's request id is kept when it is 1-128 visible ASCII characters; otherwise one is
/// made: 128 random bits in hex.
fn request_id(req: &ServiceRequest) -> String {
    let given = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()));
    match given {
        Some(id) => id.to_owned(),
        None => {
            let bits: u128 = REQUEST_IDS.with(|ids| rand::Rng::random(&mut *ids.borrow_mut()));
            format!("{bits:032x}")
        }
    }
}

/// The method as metrics and logs name it: one of HTTP's, or `OTHER` for an invented one (a
/// label per invented method would grow the metrics without bound).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}

/// A header that must come once: the key (which of two would be the caller?) and the origin
/// (which would CORS judge?). RFC 9110 allows a field to repeat only where it is a list.
fn repeated_header(req: &ServiceRequest) -> Option<&'static str> {
    [header::AUTHORIZATION, header::ORIGIN]
        .into_iter()
        .find(|name| req.headers().get_all(name).nth(1).is_some())
        .map(|name| {
            if name == header::AUTHORIZATION {
                "Authorization"
            } else {
                "Origin"
            }
        })
}

/// Merges every `Vary` value into one header, each name once: the handlers, CORS and
/// compression each add what the response varies on, and none may replace another's.
fn merge_vary(headers: &mut actix_web::http::header::HeaderMap) {
    // One value (the common case) has nothing to merge with.
    if headers.get_all(header::VARY).nth(1).is_none() {
        return;
    }
    let mut names: Vec<String> = Vec::new();
    for value in headers.get_all(header::VARY) {
        for name in value.to_str().unwrap_or("").split(',') {
            let name = name.trim();
            let name = if name.eq_ignore_ascii_case("accept-encoding") {
                "Accept-Encoding"
            } else {
                name
            };
            if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_owned());
            }
        }
    }
    if !names.is_empty()
        && let Ok(value) = HeaderValue::from_str(&names.join(", "))
    {
        headers.insert(header::VARY, value);
    }
}

/// The request context middleware (see the module doc). A HEAD request is served as the GET
/// of the same URL (RFC 9110 section 9.3.2): the connection then sends its headers, the GET's
/// `Content-Length` included, and no body.
pub async fn request_context(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = method_label(req.method());
    let path = req.path().to_owned();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let span = tracing::info_span!("request", request_id = %id);
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = if let Some(name) = repeated_header(&req) {
        let error = crate::error::AppError::InvalidHeader(format!("{name} must be sent once"));
        req.error_response(error)
    } else {
        if req.method() == Method::HEAD {
            req.head_mut().method = Method::GET;
        }
        next.call(req).instrument(span).await?.map_into_boxed_body()
    };
    // Before the answer leaves: a cached read that follows it through this instance must see
    // what it wrote, even before the feed watcher does (`cache::ResponseCache::written`). A 4xx
    // answer changed nothing (every refusal is decided before, or rolled back with, the write's
    // transaction), so it leaves the view alone: a flood of refused writes costs no stamp
    // queries. A 5xx may follow a commit whose answer failed, so it counts.
    if writes
        && !res.status().is_client_error()
        && let Some(cache) = res.request().app_data::<web::Data<ResponseCache>>()
    {
        cache.written();
    }

    let status_code = res.status();
    let status = status_code.as_u16();
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let elapsed = started.elapsed();
    let headers = res.headers_mut();
    merge_vary(headers);
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(REQUEST_ID, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let csp = if path == "/docs" || path.starts_with("/docs/") {
        DOCS_CSP
    } else {
        API_CSP
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    if let Some(metrics) = metrics {
        metrics.observe(&route, method, status_code.as_str(), elapsed.as_secs_f64());
    }
    // A client error's line spends the bounded client-error budget (see `telemetry`).
    if (400..500).contains(&status) && !crate::telemetry::client_error_line() {
        return Ok(res);
    }
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        route = %route,
        status,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    Ok(res)
}
