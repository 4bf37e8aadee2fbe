//! The one error type of the HTTP layer, and its RFC 9457 `application/problem+json` rendering.
//!
//! Use [`AppError`] in handlers and the API helpers; models return diesel's `QueryResult` and the
//! conversion below decides the status (not found -> 404, unique violation -> 409, foreign key
//! -> 422, pool or connection failure -> 503, anything else -> 500 with nothing internal shown).
//! Errors that actix-web raises itself are rewritten into the same shape by [`render_framework_error`].

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One broken member of a request body.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// JSON Pointer (RFC 6901) to the member in the request body.
    #[schema(example = "/title")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "English text is required")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A document that breaks the schema or a rule of its collection: every broken member. The
/// record engine (`records`) returns it; it becomes a 422 here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} invalid member(s)", .0.len())]
pub struct Invalid(pub Vec<FieldError>);

impl From<Invalid> for AppError {
    fn from(invalid: Invalid) -> Self {
        AppError::Validation(invalid.0)
    }
}

/// An RFC 9457 problem document, the body of every 4xx and 5xx response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/not-found",
    "title": "Not found",
    "status": 404,
    "detail": "no programme has the id 'unknown'"
}))]
pub struct Problem {
    /// A stable URI reference per kind of problem; `GET /problems` lists them all.
    #[serde(rename = "type")]
    #[schema(value_type = ProblemTypeUri)]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// Every broken member of the body (422 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// The records that prevent a delete (409 on delete only), as `collection/id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflicts: Option<Vec<String>>,
}

/// The `type` of a problem document: the `ProblemTypeUri` schema, listing every kind.
pub struct ProblemTypeUri;

impl utoipa::PartialSchema for ProblemTypeUri {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let uris = ProblemKind::ALL
            .iter()
            .chain([&ProblemKind::Other])
            .map(|k| serde_json::Value::String(k.uri()))
            .collect::<Vec<_>>();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(uris))
            .description(Some(
                "A stable URI reference per kind of problem; `GET /problems` documents each",
            ))
            .into()
    }
}

impl ToSchema for ProblemTypeUri {}

/// The kinds of problem, each with its stable `type` URI, title and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    InvalidQuery,
    InvalidHeader,
    InvalidCursor,
    MalformedBody,
    UnsupportedMediaType,
    Unauthorized,
    Forbidden,
    CrossOriginRefused,
    NotFound,
    MethodNotAllowed,
    NotAcceptable,
    RequestTimeout,
    Conflict,
    Gone,
    PreconditionFailed,
    PayloadTooLarge,
    ValidationFailed,
    TooManyRequests,
    Internal,
    ServiceUnavailable,
    Other,
}

impl ProblemKind {
    /// Every kind, for the `/problems` documentation.
    pub const ALL: [ProblemKind; 20] = [
        Self::InvalidQuery,
        Self::InvalidHeader,
        Self::InvalidCursor,
        Self::MalformedBody,
        Self::UnsupportedMediaType,
        Self::Unauthorized,
        Self::Forbidden,
        Self::CrossOriginRefused,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::NotAcceptable,
        Self::RequestTimeout,
        Self::Conflict,
        Self::Gone,
        Self::PreconditionFailed,
        Self::PayloadTooLarge,
        Self::ValidationFailed,
        Self::TooManyRequests,
        Self::Internal,
        Self::ServiceUnavailable,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::InvalidQuery => "invalid-query",
            Self::InvalidHeader => "invalid-header",
            Self::InvalidCursor => "invalid-cursor",
            Self::MalformedBody => "malformed-body",
            Self::UnsupportedMediaType => "unsupported-media-type",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::CrossOriginRefused => "cross-origin-refused",
            Self::NotFound => "not-found",
            Self::MethodNotAllowed => "method-not-allowed",
            Self::NotAcceptable => "not-acceptable",
            Self::RequestTimeout => "request-timeout",
            Self::Conflict => "conflict",
            Self::Gone => "gone",
            Self::PreconditionFailed => "precondition-failed",
            Self::PayloadTooLarge => "payload-too-large",
            Self::ValidationFailed => "validation-failed",
            Self::TooManyRequests => "too-many-requests",
            Self::Internal => "internal",
            Self::ServiceUnavailable => "service-unavailable",
            Self::Other => "about:blank",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::InvalidQuery => "Invalid query parameter",
            Self::InvalidHeader => "Invalid request header",
            Self::InvalidCursor => "Invalid cursor",
            Self::MalformedBody => "Malformed request body",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::Unauthorized => "Authentication required",
            Self::Forbidden => "Not allowed",
            Self::CrossOriginRefused => "Cross-origin request refused",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::NotAcceptable => "Not acceptable",
            Self::RequestTimeout => "Request timeout",
            Self::Conflict => "Conflict",
            Self::Gone => "Gone",
            Self::PreconditionFailed => "Precondition failed",
            Self::PayloadTooLarge => "Payload too large",
            Self::ValidationFailed => "Validation failed",
            Self::TooManyRequests => "Too many requests",
            Self::Internal => "Internal server error",
            Self::ServiceUnavailable => "Service unavailable",
            Self::Other => "Error",
        }
    }

    /// What the kind means, for the `/problems` documentation.
    pub fn description(self) -> &'static str {
        match self {
            Self::InvalidQuery => {
                "A query parameter is unknown, repeated where it takes one value, or has a bad value (400)."
            }
            Self::InvalidHeader => {
                "A request header (Accept-Language, Content-Language, If-Match, Idempotency-Key) has a value this API does not take, or Authorization or Origin comes twice (400)."
            }
            Self::InvalidCursor => {
                "The paging cursor was altered or belongs to another query (400)."
            }
            Self::MalformedBody => "The body is not valid JSON (400).",
            Self::UnsupportedMediaType => {
                "The body's Content-Type is not application/json (or application/merge-patch+json for PATCH) (415, with Accept-Post or Accept-Patch naming what is taken)."
            }
            Self::Unauthorized => {
                "The request needs a valid API key in `Authorization: Bearer <key>` (401)."
            }
            Self::Forbidden => "The API key lacks the scope the operation needs (403).",
            Self::CrossOriginRefused => {
                "A browser page of another origin sent a request its origin may not make: a write from an origin not in the operator's write origins, or a read from one not in the read origins (403). Nothing was done."
            }
            Self::NotFound => "No record or route has this address (404).",
            Self::MethodNotAllowed => {
                "The path exists but not with this method; `Allow` lists the methods it has (405)."
            }
            Self::NotAcceptable => "None of the media types in `Accept` can be produced (406).",
            Self::RequestTimeout => {
                "The body did not arrive within the configured time; the connection is closed (408)."
            }
            Self::Conflict => {
                "The id is taken (or was used by a deleted record), or other records still point to this one (409)."
            }
            Self::Gone => "The record was deleted; its tombstone remains (410).",
            Self::PreconditionFailed => {
                "`If-Match` does not carry the record's current version (412)."
            }
            Self::PayloadTooLarge => "The body is larger than the configured limit (413).",
            Self::ValidationFailed => {
                "The body parses but breaks the schema or a rule; `errors` lists every broken member (422)."
            }
            Self::TooManyRequests => {
                "The client sent too many requests; wait for `Retry-After` seconds (429)."
            }
            Self::Internal => "An unexpected failure; it is logged with the request id (500).",
            Self::ServiceUnavailable => {
                "The database cannot be reached, or its disk is full or read-only, right now; retry after `Retry-After` seconds (503)."
            }
            Self::Other => "Any other HTTP error.",
        }
    }

    /// The `type` URI: a path of this service, where the kind is documented.
    pub fn uri(self) -> String {
        match self {
            Self::Other => "about:blank".to_owned(),
            kind => format!("/problems/{}", kind.slug()),
        }
    }
}

/// Every error a handler can return. Each variant's doc says its status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: an unknown, repeated or malformed query parameter.
    #[error("{0}")]
    InvalidQuery(String),
    /// 400: a request header with a bad value.
    #[error("{0}")]
    InvalidHeader(String),
    /// 400: a cursor that was altered or belongs to another query.
    #[error("the cursor is not valid for this query")]
    InvalidCursor,
    /// 400: a body that is not JSON.
    #[error("{0}")]
    MalformedBody(String),
    /// 415: a body with the wrong media type.
    #[error("{detail}")]
    UnsupportedMediaType {
        detail: String,
        /// A PATCH (its media types go in `Accept-Patch`; a POST's in `Accept-Post`).
        patch: bool,
    },
    /// 408: the body did not arrive in time.
    #[error("{0}")]
    RequestTimeout(String),
    /// 401: no key, or an unknown or revoked one.
    #[error("{detail}")]
    Unauthorized {
        detail: String,
        /// RFC 6750's error code for `WWW-Authenticate`: `invalid_request` (a malformed
        /// header), `invalid_token` (an unknown or revoked key); none when no key was sent.
        code: Option<&'static str>,
    },
    /// 403: the key lacks the scope (the scope it needs).
    #[error("this operation needs a key with the '{0}' scope")]
    Forbidden(&'static str),
    /// 403: a browser request from an origin that may not make it (nothing is run).
    #[error("{0}")]
    CrossOrigin(String),
    /// 404: no such record.
    #[error("{0}")]
    NotFound(String),
    /// 406: `Accept` names nothing this endpoint can produce.
    #[error("{0}")]
    NotAcceptable(String),
    /// 409: the id is taken, or records still point to this one.
    #[error("{detail}")]
    Conflict {
        detail: String,
        conflicts: Option<Vec<String>>,
    },
    /// 410: the record was deleted.
    #[error("{0}")]
    Gone(String),
    /// 412: `If-Match` names a version that is not the current one.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 422: the body breaks the schema or a rule; every broken member is listed.
    #[error("the request body has {} invalid member(s)", .0.len())]
    Validation(Vec<FieldError>),
    /// 429: the client holds as many event streams and waiting polls as it may.
    #[error("{0}")]
    TooManyStreams(String),
    /// 503: the database cannot be reached.
    #[error("the database is unavailable")]
    Unavailable(String),
    /// 500: anything unexpected; the cause is logged, never shown.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn kind(&self) -> ProblemKind {
        match self {
            Self::InvalidQuery(_) => ProblemKind::InvalidQuery,
            Self::InvalidHeader(_) => ProblemKind::InvalidHeader,
            Self::InvalidCursor => ProblemKind::InvalidCursor,
            Self::MalformedBody(_) => ProblemKind::MalformedBody,
            Self::UnsupportedMediaType { .. } => ProblemKind::UnsupportedMediaType,
            Self::Unauthorized { .. } => ProblemKind::Unauthorized,
            Self::Forbidden(_) => ProblemKind::Forbidden,
            Self::CrossOrigin(_) => ProblemKind::CrossOriginRefused,
            Self::NotFound(_) => ProblemKind::NotFound,
            Self::NotAcceptable(_) => ProblemKind::NotAcceptable,
            Self::RequestTimeout(_) => ProblemKind::RequestTimeout,
            Self::Conflict { .. } => ProblemKind::Conflict,
            Self::Gone(_) => ProblemKind::Gone,
            Self::PreconditionFailed(_) => ProblemKind::PreconditionFailed,
            Self::Validation(_) => ProblemKind::ValidationFailed,
            Self::TooManyStreams(_) => ProblemKind::TooManyRequests,
            Self::Unavailable(_) => ProblemKind::ServiceUnavailable,
            Self::Internal(_) => ProblemKind::Internal,
        }
    }

    /// A 409 for an id already used by a record, live or deleted.
    pub fn id_taken(collection: &str, id: &str) -> Self {
        Self::Conflict {
            detail: format!(
                "the id '{id}' is already used in {collection} (ids are never reused, even after a delete)"
            ),
            conflicts: None,
        }
    }

    /// A 422 for a single member.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    fn problem(&self) -> Problem {
        let kind = self.kind();
        let detail = match self {
            Self::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            Self::Unavailable(_) => {
                "the database cannot be reached right now; retry shortly".to_owned()
            }
            other => other.to_string(),
        };
        Problem {
            kind: kind.uri(),
            title: kind.title().to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors: match self {
                Self::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
            conflicts: match self {
                Self::Conflict { conflicts, .. } => conflicts.clone(),
                _ => None,
            },
        }
    }
}

/// Seconds a client should wait after a 503.
pub const RETRY_AFTER_UNAVAILABLE: u32 = 2;
/// Seconds a client should wait after a 429 for too many streams.
pub const RETRY_AFTER_STREAMS: u32 = 10;

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::InvalidQuery(_)
            | Self::InvalidHeader(_)
            | Self::InvalidCursor
            | Self::MalformedBody(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CrossOrigin(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyStreams(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(cause = %cause, "database unavailable"),
            _ => {}
        }
        let mut response = problem_response(&self.problem());
        let challenge = match self {
            Self::Unauthorized { code: None, .. } => {
                Some(r#"Bearer realm="iom-lrg-api""#.to_owned())
            }
            Self::Unauthorized {
                code: Some(code), ..
            } => Some(format!(r#"Bearer realm="iom-lrg-api", error="{code}""#)),
            Self::Forbidden(scope) => Some(format!(
                r#"Bearer realm="iom-lrg-api", error="insufficient_scope", scope="{scope}""#
            )),
            _ => None,
        };
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        if matches!(self, Self::RequestTimeout(_)) {
            // What is left of the body would be read as the next request.
            response
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
        }
        if let Self::UnsupportedMediaType { patch, .. } = self {
            let (name, value) = if *patch {
                (
                    "accept-patch",
                    "application/merge-patch+json, application/json",
                )
            } else {
                ("accept-post", "application/json")
            };
            response.headers_mut().insert(
                header::HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        if matches!(self, Self::Unavailable(_)) {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(RETRY_AFTER_UNAVAILABLE),
            );
        }
        if matches!(self, Self::TooManyStreams(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_STREAMS));
        }
        response
    }
}

/// Renders a problem document with its media type; errors are never cached.
pub fn problem_response(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "application/problem+json"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(serde_json::to_vec(problem).unwrap_or_default())
}

/// A problem for a status that actix-web (or a middleware) produced on its own.
pub fn problem_for_status(status: StatusCode, detail: Option<String>) -> Problem {
    let kind = match status.as_u16() {
        400 => ProblemKind::MalformedBody,
        401 => ProblemKind::Unauthorized,
        403 => ProblemKind::Forbidden,
        404 => ProblemKind::NotFound,
        405 => ProblemKind::MethodNotAllowed,
        406 => ProblemKind::NotAcceptable,
        408 => ProblemKind::RequestTimeout,
        409 => ProblemKind::Conflict,
        410 => ProblemKind::Gone,
        412 => ProblemKind::PreconditionFailed,
        413 => ProblemKind::PayloadTooLarge,
        415 => ProblemKind::UnsupportedMediaType,
        422 => ProblemKind::ValidationFailed,
        429 => ProblemKind::TooManyRequests,
        500 => ProblemKind::Internal,
        503 => ProblemKind::ServiceUnavailable,
        _ => ProblemKind::Other,
    };
    let title = if kind == ProblemKind::Other {
        status.canonical_reason().unwrap_or("Error").to_owned()
    } else {
        kind.title().to_owned()
    };
    let detail = match (status.is_server_error(), detail) {
        (false, Some(detail)) if !detail.is_empty() => detail,
        _ => title.to_lowercase(),
    };
    Problem {
        kind: kind.uri(),
        title,
        status: status.as_u16(),
        detail,
        errors: None,
        conflicts: None,
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("not found".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::info!(cause = %info.message(), "unique violation");
                AppError::Conflict {
                    detail: "a record with these values exists already".into(),
                    conflicts: None,
                }
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::invalid("", "a related record does not exist")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if is_connection_message(info.message()) =>
            {
                AppError::Unavailable(info.message().to_owned())
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// libpq reports a dropped server as an unknown error whose text says so; SQLite and
/// PostgreSQL report a full or read-only disk the same way.
fn is_connection_message(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "server closed the connection",
        "connection refused",
        "could not connect",
        "no connection to the server",
        "terminating connection",
        "database is locked",
        "unable to open database",
        "lock timeout",
        "disk i/o error",
        // A full or read-only disk (SQLite's SQLITE_FULL and SQLITE_READONLY, PostgreSQL's
        // disk_full and read-only transactions): nothing the client can mend, retry later.
        "database or disk is full",
        "no space left on device",
        "could not extend file",
        "readonly database",
        "read-only transaction",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// Rewrites an error response that is not problem+json yet (actix-web's own: payload too
/// large, bad query or path, ...) into a problem document with the same status.
pub fn render_framework_error<B>(
    res: actix_web::dev::ServiceResponse<B>,
) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
    use actix_web::middleware::ErrorHandlerResponse;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = res.response().error().map(|e| e.to_string());
    let (req, old) = res.into_parts();
    let mut response = problem_response(&problem_for_status(status, detail));
    // Keep the headers that carry meaning (Allow, Retry-After, WWW-Authenticate, rate limits,
    // every Vary value), but none that described the replaced body: a `Content-Encoding` kept
    // over a plain problem document would make clients fail to decode it.
    let kept = |name: &header::HeaderName| {
        ![
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CACHE_CONTROL,
            header::CONTENT_ENCODING,
        ]
        .contains(name)
    };
    for name in old.headers().keys().filter(|n| kept(n)) {
        response.headers_mut().remove(name);
    }
    for (name, value) in old.headers().iter().filter(|(n, _)| kept(n)) {
        response.headers_mut().append(name.clone(), value.clone());
    }
    Ok(ErrorHandlerResponse::Response(
        actix_web::dev::ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn database_error(message: &str) -> AppError {
        Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(message.to_owned())).into()
    }

    #[test]
    fn a_full_or_read_only_disk_is_a_503_with_retry_after() {
        for message in [
            "database or disk is full",
            "could not extend file \"base/16384/2619\": No space left on device",
            "attempt to write a readonly database",
            "cannot execute INSERT in a read-only transaction",
            "disk I/O error",
        ] {
            let response = actix_web::ResponseError::error_response(&database_error(message));
            assert_eq!(
                response.status(),
                StatusCode::SERVICE_UNAVAILABLE,
                "{message}"
            );
            assert!(
                response.headers().contains_key(header::RETRY_AFTER),
                "{message}"
            );
        }
        // A bug stays a 500: retrying would not help.
        let response =
            actix_web::ResponseError::error_response(&database_error("no such column: x"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
