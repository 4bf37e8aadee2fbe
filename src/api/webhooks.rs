//! `/v1/webhooks`: subscriptions that receive the change feed as signed POSTs (Standard
//! Webhooks), managed with admin keys. The delivery itself is `push::webhooks`; the payload is
//! described in the document's `webhooks` section and docs/WEBHOOKS.md.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::TimeDelta;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::{IntoResponses, ToSchema};

use super::auth;
use super::extract::{param, run, single_query};
use crate::db::{self, Pool};
use crate::error::{AppError, Problem};
use crate::models::webhook::{self, CreateError, Delivery, NewWebhook, Retry, Sealer, Webhook};
use crate::models::{Lang, instant, now};
use crate::push::webhooks::Worker;
use crate::push::{signature, ssrf};
use crate::records::check::{Checker, Len};

/// How long a rotated secret keeps signing beside the new one.
pub const SECRET_OVERLAP: Duration = Duration::from_secs(24 * 3600);
/// The largest page of delivery attempts.
pub const MAX_DELIVERIES: i64 = 1000;

/// What the webhook endpoints need from the application.
pub struct WebhookConfig {
    /// `--webhook-allow-private`.
    pub allow_private: bool,
    /// The worker, woken when a subscription is created or a retry is asked for (none with
    /// `--no-webhook-delivery`: another instance delivers).
    pub worker: Option<Arc<Worker>>,
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookState {
    /// Delivering, or retrying the entry after `position`.
    Active,
    /// No attempt succeeded for the retry period: delivery is paused (nothing is lost; a retry
    /// resumes it).
    Failing,
    /// The receiver answered 410 Gone: delivery stopped (a retry resumes it).
    Disabled,
}

/// A subscription (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookOut {
    #[schema(example = "wh_3f9a0c1d2e4b5a69")]
    pub id: String,
    /// Where deliveries are POSTed.
    #[schema(example = "https://portal.example.org/hooks/iom-lrg")]
    pub url: String,
    /// The collections it receives changes of (null: all).
    #[schema(value_type = Option<Vec<super::docs::CollectionName>>)]
    pub collections: Option<Vec<String>>,
    pub description: Option<String>,
    #[schema(format = DateTime, example = "2026-01-01T00:00:00.000000Z")]
    pub created_at: String,
    pub state: WebhookState,
    /// Why it is failing or disabled.
    pub state_reason: Option<String>,
    /// Every feed entry up to this seq has been delivered (or does not concern it).
    #[schema(example = 42)]
    pub position: i64,
    /// Failed attempts at the entry after `position`.
    pub attempts: i32,
    /// When the entry after `position` is tried again, while it fails.
    #[schema(format = DateTime)]
    pub next_attempt_at: Option<String>,
    /// Until when the secret replaced by the last rotation still signs beside the new one.
    #[schema(format = DateTime)]
    pub previous_secret_expires_at: Option<String>,
}

impl From<&Webhook> for WebhookOut {
    fn from(hook: &Webhook) -> Self {
        WebhookOut {
            id: hook.id.clone(),
            url: hook.url.clone(),
            collections: hook.collection_list(),
            description: hook.description.clone(),
            created_at: instant(&hook.created_at),
            state: match hook.state.as_str() {
                "failing" => WebhookState::Failing,
                "disabled" => WebhookState::Disabled,
                _ => WebhookState::Active,
            },
            state_reason: hook.state_reason.clone(),
            position: hook.position,
            attempts: hook.attempts,
            next_attempt_at: hook.next_attempt_at.as_ref().map(instant),
            previous_secret_expires_at: hook
                .previous_secret_until
                .filter(|until| *until > now())
                .as_ref()
                .map(instant),
        }
    }
}

/// A subscription with its secret: store it now, it is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: WebhookOut,
    /// The signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks).
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYqr")]
    pub secret: String,
}

/// Every subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub data: Vec<WebhookOut>,
}

/// The body of `POST /v1/webhooks`.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"url": "https://portal.example.org/hooks/iom-lrg", "collections": ["programmes", "events"], "description": "City portal mirror"}))]
pub struct WebhookWrite {
    /// An absolute http or https URL on a public address, without user name or password.
    #[schema(max_length = 2048)]
    pub url: String,
    /// Only changes of these collections (absent or null: all).
    #[schema(value_type = Option<Vec<super::docs::CollectionName>>, min_items = 1)]
    pub collections: Option<Vec<String>>,
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

/// The body of a delivery (the document's `webhooks` section).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "programmes.updated", "timestamp": "2026-01-01T00:00:00.000000Z", "data": {"seq": 42, "collection": "programmes", "id": "santiago-mexico-city-partnership", "href": "/v1/programmes/santiago-mexico-city-partnership", "action": "updated", "version": 2, "at": "2026-01-01T00:00:00.000000Z"}}))]
pub struct WebhookPayload {
    /// `<collection>.<action>`, such as `programmes.updated`.
    #[serde(rename = "type")]
    #[schema(
        pattern = "^[a-z-]+\\.(created|updated|deleted)$",
        example = "programmes.updated"
    )]
    pub kind: String,
    /// When the change was committed (RFC 3339).
    #[schema(format = DateTime)]
    pub timestamp: String,
    /// The feed entry, as `GET /v1/changes` gives it.
    pub data: super::changes::ChangeOut,
}

/// What happened to one delivery attempt.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryOutcome {
    /// The receiver answered 2xx.
    Delivered,
    /// Anything else: another status, a timeout, a refused address or connection.
    Failed,
}

/// One attempt to deliver an entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    /// The attempt's id (for `.../deliveries/{delivery_id}/retry`).
    #[schema(example = 7)]
    pub id: i64,
    /// The feed entry delivered.
    #[schema(example = 42)]
    pub seq: i64,
    /// Its `webhook-id` header: the same on every attempt at this entry.
    #[schema(example = "msg_wh_3f9a0c1d2e4b5a69_42")]
    pub message_id: String,
    /// 1 for the first attempt at the entry, then 2, 3...
    pub attempt: i32,
    /// Asked for through the API (a retry of an entry already delivered).
    pub manual: bool,
    #[schema(format = DateTime)]
    pub at: String,
    /// The receiver's HTTP status (null when none came).
    pub status: Option<i32>,
    /// How long the attempt took, in milliseconds.
    pub duration_ms: i32,
    /// Why it failed.
    pub error: Option<String>,
    pub outcome: DeliveryOutcome,
}

impl From<Delivery> for DeliveryOut {
    fn from(d: Delivery) -> Self {
        DeliveryOut {
            message_id: crate::push::webhooks::message_id(&d.webhook_id, d.seq),
            id: d.id,
            seq: d.seq,
            attempt: d.attempt,
            manual: d.manual,
            at: instant(&d.at),
            status: d.status,
            duration_ms: d.duration_ms,
            error: d.error,
            outcome: if d.outcome == "delivered" {
                DeliveryOutcome::Delivered
            } else {
                DeliveryOutcome::Failed
            },
        }
    }
}

/// The `meta` of a page of attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveriesMeta {
    pub limit: i64,
    /// The `before` of the next (older) page; null on the last.
    pub next_before: Option<i64>,
}

/// Attempts, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub data: Vec<DeliveryOut>,
    pub meta: DeliveriesMeta,
}

/// What a retry does.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RetryKind {
    /// The entry was not delivered yet: the subscription is active again and tries it now,
    /// then goes on in order.
    Resumed,
    /// The entry was delivered already: it is sent once more (same `webhook-id`).
    Redelivery,
}

/// An accepted retry.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetryOut {
    pub seq: i64,
    pub kind: RetryKind,
}

/// The body of a subscription.
fn check(doc: &Map<String, Value>, allow_private: bool) -> Result<WebhookWrite, AppError> {
    let mut c = Checker::new(Lang::En);
    c.only(doc, "", &["url", "collections", "description"]);
    let url = c
        .string(doc, "", "url", true, Len(ssrf::MAX_URL_LEN))
        .and_then(|url| match ssrf::check_url(&url, allow_private) {
            Ok(parsed) => Some(parsed.to_string()),
            Err(why) => {
                c.fail("/url", format!("the URL {why}"));
                None
            }
        });
    let description = c.string(doc, "", "description", false, Len(500));
    let collections = match doc.get("collections") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) if items.is_empty() => {
            c.fail(
                "/collections",
                "must name at least one collection (leave it out for all)",
            );
            None
        }
        Some(Value::Array(items)) => {
            let mut names: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(name) if crate::records::catalogue::entry(name).is_some() => {
                        if names.iter().any(|n| n == name) {
                            c.fail(format!("/collections/{i}"), "is named twice");
                        } else {
                            names.push(name.to_owned());
                        }
                    }
                    _ => c.fail(
                        format!("/collections/{i}"),
                        format!(
                            "must be a collection of the catalogue ({})",
                            crate::records::catalogue::names()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                }
            }
            Some(names)
        }
        Some(_) => {
            c.fail("/collections", "must be an array of collection names");
            None
        }
    };
    match c.finish((url, collections, description))? {
        (Some(url), collections, description) => Ok(WebhookWrite {
            url,
            collections,
            description,
        }),
        _ => Err(AppError::Internal("validation passed without a URL".into())),
    }
}

/// Refuses a host name that resolves to an address webhooks may not reach (checked again at
/// every delivery). A name that does not resolve now is taken: it may later.
async fn check_resolved(url: &str) -> Result<(), AppError> {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return Ok(());
    };
    let Some(host) = parsed.host_str().map(str::to_owned) else {
        return Ok(());
    };
    if host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let lookup = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::lookup_host((host.clone(), 0)),
    )
    .await;
    if let Ok(Ok(addresses)) = lookup {
        for address in addresses {
            if let Some(why) = ssrf::refused_ip(address.ip()) {
                return Err(AppError::invalid(
                    "/url",
                    format!(
                        "the URL's host {host} resolves to {why} ({}); webhooks deliver only to public addresses (the operator can allow private ones with --webhook-allow-private)",
                        address.ip()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no webhook subscription has the id '{id}'"))
}

/// Errors of creating a subscription.
#[derive(IntoResponses)]
pub enum CreateErrors {
    /// Not JSON, or a bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key is not an admin key.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// The body did not arrive within the configured time (`--body-timeout`).
    #[response(status = 408, content_type = "application/problem+json")]
    RequestTimeout(Problem),
    /// As many subscriptions exist as may (100).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body is over the size limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body is not `application/json` (`Accept-Post` names it).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// A bad URL (not http(s), a private or loopback address...), collection or description.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of the operations on one subscription.
#[derive(IntoResponses)]
pub enum OneErrors {
    /// A bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key is not an admin key.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such subscription (or attempt).
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Subscribes a URL to the change feed (admin).
///
/// The subscription starts at the feed's head: it receives the changes committed after it was
/// created (load `/v1/export` first for what came before). Each change is POSTed as
/// `{"type", "timestamp", "data"}` with Standard Webhooks headers, in seq order, at least once,
/// retried with exponential backoff. The signing secret is in `secret`, shown this once.
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    request_body(content = WebhookWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Subscribed; the secret is in `secret`, shown this once", body = WebhookWithSecret,
            headers(("Location" = String, description = "The subscription"))),
        CreateErrors,
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    req: HttpRequest,
    pool: web::Data<Pool>,
    config: web::Data<WebhookConfig>,
    super::body::Body(body): super::body::Body,
) -> Result<HttpResponse, AppError> {
    let key = auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let WebhookWrite {
        url,
        collections,
        description,
    } = check(
        &super::body::json_object(&req, &body, false)?,
        config.allow_private,
    )?;
    if !config.allow_private {
        check_resolved(&url).await?;
    }
    let secret = signature::new_secret().map_err(|e| AppError::Internal(e.to_string()))?;
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = format!(
        "wh_{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let plain = secret.clone();
    let created = run(&pool, move |conn| {
        let sealed = Sealer::of(conn)?.seal(&plain).map_err(AppError::Internal)?;
        db::write_transaction(conn, |conn| {
            webhook::create(
                conn,
                &NewWebhook {
                    id: &id,
                    url: &url,
                    collections: collections.as_deref(),
                    description: description.as_deref(),
                    secret_sealed: &sealed,
                    created_by: Some(&key.name),
                    at: now(),
                },
            )
            .map_err(|e| match e {
                CreateError::TooMany => AppError::Conflict {
                    detail: e.to_string(),
                    conflicts: None,
                },
                CreateError::Query(e) => e.into(),
            })
        })
    })
    .await?;
    if let Some(worker) = &config.worker {
        worker.wake();
    }
    tracing::info!(webhook = %created.id, url = %created.url, "webhook subscription created");
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Location", format!("/v1/webhooks/{}", created.id)))
        .json(WebhookWithSecret {
            webhook: WebhookOut::from(&created),
            secret,
        }))
}

/// Lists webhook subscriptions (admin), oldest first, with where each stands.
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    responses((status = 200, description = "Every subscription", body = WebhookList), super::AdminReadErrors)
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let hooks = run(&pool, |conn| Ok(webhook::list(conn)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(WebhookList {
            data: hooks.iter().map(WebhookOut::from).collect(),
        }))
}

async fn load(pool: &web::Data<Pool>, id: &str) -> Result<Webhook, AppError> {
    let key = id.to_owned();
    run(pool, move |conn| Ok(webhook::get(conn, &key)?))
        .await?
        .ok_or_else(|| not_found(id))
}

/// Reads a webhook subscription (admin): its state, position and retry schedule.
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The subscription's id")),
    responses((status = 200, description = "The subscription", body = WebhookOut), OneErrors)
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let hook = load(&pool, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(WebhookOut::from(&hook)))
}

/// Deletes a webhook subscription and its attempts (admin); nothing more is delivered.
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The subscription's id")),
    responses((status = 204, description = "Deleted"), OneErrors)
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let key = id.clone();
    let deleted = run(&pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            webhook::delete(conn, &key)
        })?)
    })
    .await?;
    if !deleted {
        return Err(not_found(&id));
    }
    tracing::info!(webhook = %id, "webhook subscription deleted");
    Ok(HttpResponse::NoContent().finish())
}

/// Gives a subscription a new secret (admin), shown this once.
///
/// The old secret keeps signing beside the new one for 24 hours (`previous_secret_expires_at`):
/// deliveries carry both signatures, so a receiver verifies with either while it switches.
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The subscription's id")),
    responses((status = 200, description = "The new secret is in `secret`, shown this once", body = WebhookWithSecret), OneErrors)
)]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_webhook_secret(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let secret = signature::new_secret().map_err(|e| AppError::Internal(e.to_string()))?;
    let (key, plain) = (id.clone(), secret.clone());
    let until = now() + TimeDelta::from_std(SECRET_OVERLAP).unwrap_or(TimeDelta::MAX);
    let rotated = run(&pool, move |conn| {
        let sealed = Sealer::of(conn)?.seal(&plain).map_err(AppError::Internal)?;
        Ok(db::write_transaction(conn, |conn| {
            webhook::rotate(conn, &key, &sealed, until)
        })?)
    })
    .await?
    .ok_or_else(|| not_found(&id))?;
    tracing::info!(webhook = %id, "webhook secret rotated");
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(WebhookWithSecret {
            webhook: WebhookOut::from(&rotated),
            secret,
        }))
}

/// Lists a subscription's delivery attempts (admin), newest first.
///
/// Each attempt's time, the receiver's status, its duration and the error; the last 1,000 are
/// kept. Page with `before` (`meta.next_before`).
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The subscription's id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Page size (default 100)"),
        ("before" = Option<i64>, Query, minimum = 1, description = "Attempts older than this attempt id"),
    ),
    responses((status = 200, description = "Attempts, newest first", body = DeliveryList), OneErrors)
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    let pairs = single_query(&req, &["limit", "before"])?;
    let limit = match param(&pairs, "limit") {
        None => 100,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_DELIVERIES).contains(n))
            .ok_or_else(|| {
                AppError::InvalidQuery(format!(
                    "limit must be a whole number from 1 to {MAX_DELIVERIES}"
                ))
            })?,
    };
    let before = param(&pairs, "before")
        .map(|v| {
            v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                AppError::InvalidQuery("before must be an attempt id (a whole number)".into())
            })
        })
        .transpose()?;
    let hook = load(&pool, &id).await?;
    let attempts = run(&pool, move |conn| {
        Ok(webhook::deliveries(conn, &hook.id, before, limit)?)
    })
    .await?;
    let full = i64::try_from(attempts.len()).unwrap_or(i64::MAX) >= limit;
    let next_before = attempts.last().filter(|_| full).map(|d| d.id);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(DeliveryList {
            data: attempts.into_iter().map(DeliveryOut::from).collect(),
            meta: DeliveriesMeta { limit, next_before },
        }))
}

/// Retries the entry of a delivery attempt (admin).
///
/// When the entry was not delivered yet (the subscription is retrying, failing or disabled),
/// the subscription becomes active and tries it now, then goes on in order. When it was
/// delivered, it is sent once more, outside the feed's order, with the same `webhook-id`.
#[utoipa::path(
    tag = "Webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The subscription's id"),
        ("delivery_id" = i64, Path, description = "An attempt's id"),
    ),
    responses((status = 202, description = "Accepted: the worker delivers it shortly; its attempts list the outcome", body = RetryOut), OneErrors)
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/retry")]
pub async fn retry_webhook_delivery(
    req: HttpRequest,
    pool: web::Data<Pool>,
    config: web::Data<WebhookConfig>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let (id, delivery) = path.into_inner();
    let hook = load(&pool, &id).await?;
    let Some(delivery_id) = delivery.parse::<i64>().ok() else {
        return Err(AppError::NotFound(format!(
            "the subscription '{id}' has no delivery attempt '{delivery}'"
        )));
    };
    let outcome = run(&pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let Some(attempt) = webhook::delivery(conn, &hook.id, delivery_id)? else {
                return Ok(None);
            };
            let kind = webhook::request_retry(conn, &hook, attempt.seq, now())?;
            Ok::<_, AppError>(Some((attempt.seq, kind)))
        })
    })
    .await?;
    let Some((seq, kind)) = outcome else {
        return Err(AppError::NotFound(format!(
            "the subscription '{id}' has no delivery attempt {delivery_id}"
        )));
    };
    if let Some(worker) = &config.worker {
        worker.wake();
    }
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(RetryOut {
            seq,
            kind: match kind {
                Retry::Resumed => RetryKind::Resumed,
                Retry::Redelivery => RetryKind::Redelivery,
            },
        }))
}
