//! `/v1/changes`: the change feed, in commit order, for mirrors to follow.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::auth;
use super::extract::{param, run, single_query};
use crate::db::Pool;
use crate::error::AppError;
use crate::models::{change, instant};

/// The largest page of the feed.
pub const MAX_LIMIT: i64 = 1000;

/// One create, update or delete.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    /// Its position in the feed: increasing in commit order.
    #[schema(example = 42)]
    pub seq: i64,
    #[serde(flatten)]
    pub record: super::docs::RecordRef,
    pub action: ChangeAction,
    /// The record's version after the change.
    #[schema(example = 2)]
    pub version: i32,
    /// When it was committed.
    #[schema(format = DateTime, example = "2026-01-01T00:00:00.000000Z")]
    pub at: String,
    /// The API key that made it (shown to admin keys only; null for the built-in dataset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Option<String>>,
}

/// What happened.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    Created,
    Updated,
    Deleted,
}

/// The `meta` member of a feed page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesMeta {
    /// The page size asked for.
    pub limit: i64,
    /// The newest seq overall: a mirror is current when it has read up to it.
    pub last_seq: i64,
    /// The `since` of the next page: the last seq of this page (or `since` when empty).
    pub next_since: i64,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    pub data: Vec<ChangeOut>,
    pub meta: ChangesMeta,
}

/// Query parameters of the feed, as the handler parses them.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// Entries after this seq (default 0: from the beginning).
    #[param(minimum = 0, default = 0)]
    pub since: Option<i64>,
    /// Page size, 1 to 1000.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<i64>,
}

impl ChangesParams {
    /// Reads the query string (a bad value is a 400 that names it).
    fn parse(req: &HttpRequest) -> Result<Self, AppError> {
        let pairs = single_query(req, &["since", "limit"])?;
        let since = param(&pairs, "since")
            .map(|v| {
                v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    AppError::InvalidQuery("since must be a whole number, 0 or more".into())
                })
            })
            .transpose()?;
        let limit = param(&pairs, "limit")
            .map(|v| {
                v.parse::<i64>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        AppError::InvalidQuery(format!(
                            "limit must be a whole number from 1 to {MAX_LIMIT}"
                        ))
                    })
            })
            .transpose()?;
        Ok(ChangesParams { since, limit })
    }
}

/// Lists creates, updates and deletes after `since`, in commit order.
///
/// No entry is skipped or reordered, under concurrent writers too; `meta.last_seq` is the newest
/// seq overall and `meta.next_since` the `since` of the next page. With an admin key, each entry
/// also names the key that made the change.
#[utoipa::path(
    tag = "Changes",
    security((), ("bearer" = [])),
    params(ChangesParams),
    responses(
        (status = 200, description = "A page of the feed", body = ChangesPage),
        (status = 401, description = "A presented key is unknown or revoked", body = crate::error::Problem, content_type = "application/problem+json"),
        super::ListErrors,
    )
)]
#[get("/changes")]
pub async fn list_changes(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    let params = ChangesParams::parse(&req)?;
    let (since, limit) = (params.since.unwrap_or(0), params.limit.unwrap_or(100));
    let admin = auth::optional(&req, &pool)
        .await?
        .is_some_and(|k| k.allows("admin"));
    // The head is read first: every entry up to it is committed, so a page never claims less.
    // One snapshot, so the head is never behind the page.
    let (last_seq, entries) = run(&pool, move |conn| {
        crate::db::read_transaction(conn, |conn| {
            let entries = change::list(conn, since, limit)?;
            Ok((change::last_seq(conn)?, entries))
        })
    })
    .await?;
    let next_since = entries.last().map_or(since, |c| c.seq);
    let data = entries
        .into_iter()
        .map(|c| ChangeOut {
            seq: c.seq,
            record: super::docs::RecordRef::new(c.collection, c.record_id),
            action: match c.action.as_str() {
                "created" => ChangeAction::Created,
                "deleted" => ChangeAction::Deleted,
                _ => ChangeAction::Updated,
            },
            version: c.version,
            at: instant(&c.at),
            key: admin.then_some(c.key_name),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-cache"))
        .json(ChangesPage {
            data,
            meta: ChangesMeta {
                limit,
                last_seq,
                next_since,
            },
        }))
}
