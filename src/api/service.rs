//! Service endpoints: the index, health checks and the documentation of problem types.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::extract::run;
use crate::db::Pool;
use crate::error::{AppError, ProblemKind};
use diesel::connection::SimpleConnection;

/// Links to the API's entry points.
///
/// The documentation (Swagger UI), this OpenAPI document, the problem types, the health checks
/// and every collection of the catalogue, as relative references.
#[utoipa::path(
    tag = "Service",
    security(()),
    operation_id = "get_index",
    responses(
        (status = 200, description = "Links to the documentation, the OpenAPI document and the collections", body = Object),
        (status = 429, description = "Too many requests; retry after `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/")]
pub async fn root() -> HttpResponse {
    let entries = crate::records::catalogue::CATALOGUE;
    let collections: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .filter(|e| !e.singleton)
        .map(|e| (e.name.to_owned(), format!("/v1/{}", e.name).into()))
        .collect();
    let mut links = json!({
        "docs": "/docs/",
        "openapi": "/openapi.json",
        "problems": "/problems",
        "health": {"live": "/health/live", "ready": "/health/ready"},
    });
    for e in entries.iter().filter(|e| e.singleton) {
        links[e.name] = format!("/v1/{}", e.name).into();
    }
    links["collections"] = collections.into();
    HttpResponse::Ok().json(json!({
        "name": "iom-lrg-api",
        "description": "IOM's work with local and regional governments, in English, French and Spanish",
        "version": env!("CARGO_PKG_VERSION"),
        "links": links,
    }))
}

/// A health status.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The OpenAPI document as served at `/openapi.json`: serialized once at start and shared by
/// every worker. Held as utoipa's structs the document takes about 14 MB; Swagger UI's own
/// handler kept a copy per worker (and actix a copy of the factory's per worker), 57 MB of an
/// idle service's 62 MB heap (heaptrack, bench/RESULTS.md session 24), and serialized it again
/// at every request.
pub struct OpenApiDocument {
    body: web::Bytes,
    etag: String,
}

impl OpenApiDocument {
    /// Serializes the document.
    pub fn new(doc: &utoipa::openapi::OpenApi) -> serde_json::Result<Self> {
        let body = serde_json::to_vec(doc)?;
        let etag = format!("\"{}\"", super::respond::digest(&body));
        Ok(Self {
            body: body.into(),
            etag,
        })
    }
}

/// `/openapi.json`: the stored bytes, with a strong ETag (a 304 for `If-None-Match`). Left out
/// of the document it serves, as Swagger UI's handler was.
pub async fn openapi_document(
    req: actix_web::HttpRequest,
    doc: web::Data<OpenApiDocument>,
) -> HttpResponse {
    let response = HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, doc.etag.clone()))
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            super::respond::CACHE_CONTROL,
        ))
        .content_type("application/json")
        .body(doc.body.clone());
    super::conditional::answer_none_match(&req, response)
}

/// Liveness: the process answers.
///
/// Answers 200 whenever the process serves HTTP, without touching the database; exempt from
/// rate limits, for load balancers.
#[utoipa::path(
    tag = "Service",
    security(()),
    operation_id = "health_live",
    responses((status = 200, description = "The process is up", body = Health))
)]
#[get("/health/live")]
pub async fn health_live() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Health { status: "ok" })
}

/// Readiness: the database answers.
///
/// Runs one trivial query: 200 when the database answers within the connection timeout, 503 with
/// `Retry-After` otherwise.
#[utoipa::path(
    tag = "Service",
    security(()),
    operation_id = "health_ready",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 429, description = "Too many requests from this client (readiness reaches the database, so it is counted); retry after `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database cannot be reached", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
pub async fn health_ready(pool: web::Data<Pool>) -> Result<HttpResponse, AppError> {
    run(&pool, |conn| {
        conn.batch_execute("SELECT 1")
            .map_err(|e| AppError::Unavailable(e.to_string()))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Health { status: "ok" }))
}

/// A kind of problem this API reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemType {
    /// The `type` URI problems of this kind carry.
    #[schema(example = "/problems/not-found")]
    #[serde(rename = "type")]
    pub kind: String,
    /// Its title.
    #[schema(example = "Not found")]
    pub title: &'static str,
    /// What it means and its status.
    pub description: &'static str,
}

fn problem_type(kind: ProblemKind) -> ProblemType {
    ProblemType {
        kind: kind.uri(),
        title: kind.title(),
        description: kind.description(),
    }
}

/// Every kind of problem (the `type` of error responses).
///
/// Each RFC 9457 problem document this API sends has one of these `type` URIs; each entry gives
/// its title, what it means and its status.
#[utoipa::path(
    tag = "Service",
    security(()),
    operation_id = "list_problem_types",
    responses(
        (status = 200, description = "Every problem type", body = Vec<ProblemType>),
        (status = 429, description = "Too many requests; retry after `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/problems")]
pub async fn list_problems() -> HttpResponse {
    HttpResponse::Ok().json(
        ProblemKind::ALL
            .iter()
            .map(|k| problem_type(*k))
            .collect::<Vec<_>>(),
    )
}

/// One kind of problem.
///
/// The documentation of the problem type whose `type` URI ends with `kind` (the target of a
/// problem's `type`).
#[utoipa::path(
    tag = "Service",
    security(()),
    operation_id = "get_problem_type",
    params(("kind" = String, Path, description = "The last segment of a problem's `type`", example = "not-found")),
    responses(
        (status = 200, description = "The problem type", body = ProblemType),
        (status = 404, description = "No such problem type", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests; retry after `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/problems/{kind}")]
pub async fn get_problem(kind: web::Path<String>) -> Result<HttpResponse, AppError> {
    ProblemKind::ALL
        .iter()
        .find(|k| k.slug() == kind.as_str())
        .map(|k| HttpResponse::Ok().json(problem_type(*k)))
        .ok_or_else(|| AppError::NotFound(format!("no problem type is called '{kind}'")))
}
