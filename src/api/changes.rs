//! `/v1/changes`: the change feed, in commit order, for mirrors to follow: pages of JSON, a
//! long poll (`wait=`), or a live stream of Server-Sent Events (`Accept: text/event-stream`),
//! resumed with `Last-Event-ID`. Streams and long polls wait on the instance's feed watcher
//! (`push::watch`), which learns of writes made through any instance; what they send is always
//! read from the feed itself, so nothing is skipped or reordered.

use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::auth;
use super::extract::{param, run};
use super::streams::{Slot, StreamSlots};
use crate::db::Pool;
use crate::error::AppError;
use crate::models::change::{self, Change};
use crate::models::instant;
use crate::push::watch::FeedWatch;

/// The largest page of the feed.
pub const MAX_LIMIT: i64 = 1000;
/// The query parameters the feed takes.
pub const PARAMS: [&str; 4] = ["since", "limit", "collection", "wait"];
/// The longest long poll, in seconds.
pub const MAX_WAIT: u64 = 60;
/// Entries a stream reads at a time.
const STREAM_BATCH: i64 = 500;
/// How long a client waits before reconnecting a dropped stream (the SSE `retry:` field).
const RECONNECT_MS: u32 = 2000;

/// How often a stream with nothing to send sends a keep-alive comment.
#[derive(Debug, Clone, Copy)]
pub struct KeepAlive(pub Duration);

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
    /// The `since` of the next read: the last seq of a full page; otherwise the head (every
    /// entry up to it was looked at, which matters with `collection=`).
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
    /// Entries after this seq (default 0: from the beginning). A stream starts after
    /// `Last-Event-ID` instead when the header is sent (as EventSource does on reconnecting).
    #[param(minimum = 0, default = 0)]
    pub since: Option<i64>,
    /// Page size, 1 to 1000 (pages only).
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<i64>,
    /// Only entries of these collections (repeat it, or separate names with commas).
    #[param(value_type = Option<Vec<super::docs::CollectionName>>, style = Form, explode = true)]
    pub collection: Option<Vec<String>>,
    /// Long poll: when no entry after `since` exists yet, wait up to this many seconds (at
    /// most 60) for one, then answer (an empty page if none came). Pages only.
    #[param(minimum = 0, maximum = 60, default = 0)]
    pub wait: Option<u64>,
}

impl ChangesParams {
    /// Reads the query string (a bad value is a 400 that names it).
    fn parse(req: &HttpRequest) -> Result<Self, AppError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
            .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !PARAMS.contains(&name.as_str()) {
                return Err(AppError::InvalidQuery(format!(
                    "unknown query parameter '{name}'; this endpoint takes {}",
                    PARAMS.join(", ")
                )));
            }
            if name != "collection" && pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(AppError::InvalidQuery(format!(
                    "{name} is given more than once"
                )));
            }
        }
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
        let wait = param(&pairs, "wait")
            .map(|v| {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| *n <= MAX_WAIT)
                    .ok_or_else(|| {
                        AppError::InvalidQuery(format!(
                            "wait must be a whole number of seconds from 0 to {MAX_WAIT}"
                        ))
                    })
            })
            .transpose()?;
        let mut collections: Vec<String> = Vec::new();
        for (_, value) in pairs.iter().filter(|(n, _)| n == "collection") {
            for name in value.split(',').map(str::trim) {
                if crate::records::catalogue::entry(name).is_none() {
                    return Err(AppError::InvalidQuery(format!(
                        "collection must name collections of the catalogue ({}); '{name}' is not one",
                        crate::records::catalogue::names()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                if !collections.iter().any(|c| c == name) {
                    collections.push(name.to_owned());
                }
            }
        }
        Ok(ChangesParams {
            since,
            limit,
            collection: (!collections.is_empty()).then_some(collections),
            wait,
        })
    }
}

/// A feed entry as the feed gives it (`admin`: with the key that made it).
pub fn entry_out(c: Change, admin: bool) -> ChangeOut {
    ChangeOut {
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
    }
}

/// One read of the feed: the entries after `since` (of `collections`), the head, and where the
/// next read starts. A page that is not full has looked at every entry up to the head, so the
/// next read starts there (a filtered reader does not look at the same entries again).
struct Read {
    entries: Vec<Change>,
    last_seq: i64,
    next_since: i64,
}

async fn read(
    pool: &web::Data<Pool>,
    since: i64,
    limit: i64,
    collections: Option<Vec<String>>,
) -> Result<Read, AppError> {
    // One snapshot, so that the head is never behind the page.
    run(pool, move |conn| {
        crate::db::read_transaction(conn, |conn| {
            let entries = change::list_in(conn, since, limit, collections.as_deref())?;
            let last_seq = change::last_seq(conn)?;
            let full = i64::try_from(entries.len()).unwrap_or(i64::MAX) >= limit;
            let next_since = match entries.last() {
                Some(last) if full => last.seq,
                _ => since.max(last_seq),
            };
            Ok(Read {
                entries,
                last_seq,
                next_since,
            })
        })
    })
    .await
}

/// Whether the client asks for a stream of Server-Sent Events.
fn wants_stream(req: &HttpRequest) -> Result<bool, AppError> {
    use super::representation::{Format, negotiate};
    Ok(negotiate(req, &[Format::Json, Format::EventStream])? == Format::EventStream)
}

/// Lists creates, updates and deletes after `since`, in commit order; or waits for them; or
/// streams them.
///
/// No entry is skipped or reordered, under concurrent writers too; `meta.last_seq` is the newest
/// seq overall and `meta.next_since` the `since` of the next read. With an admin key, each entry
/// also names the key that made the change.
///
/// - `collection=` keeps the entries of some collections.
/// - `wait=S` (long poll) answers as soon as an entry after `since` exists, or after S seconds
///   with an empty page.
/// - `Accept: text/event-stream` answers a stream of Server-Sent Events: one event per entry
///   (`id:` its seq, `event: change`, `data:` the entry as a page gives it), a `: keep-alive`
///   comment at least every 15 seconds, from `since` or from the `Last-Event-ID` header.
///
/// Streams and waiting polls are limited per client address (429 beyond).
#[utoipa::path(
    tag = "Changes",
    security((), ("bearer" = [])),
    params(
        ChangesParams,
        ("Last-Event-ID" = Option<i64>, Header, nullable = false, minimum = 0, description = "A stream resumes after this seq (EventSource sends it when it reconnects); it wins over `since`. A page answers from `since` but still refuses a header that is not a whole number (400 `invalid-header`)"),
    ),
    responses(
        (status = 200, description = "A page of the feed, or a stream of its entries", content(
            (ChangesPage = "application/json"),
            (String = "text/event-stream", example = json!("retry: 2000\n\nid: 42\nevent: change\ndata: {\"seq\":42,\"collection\":\"programmes\",\"id\":\"santiago-mexico-city-partnership\",\"href\":\"/v1/programmes/santiago-mexico-city-partnership\",\"action\":\"updated\",\"version\":2,\"at\":\"2026-01-01T00:00:00.000000Z\"}\n\n: keep-alive\n\n")),
        )),
        (status = 401, description = "A presented key is unknown or revoked", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 406, description = "`Accept` names neither JSON nor an event stream", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "This client address holds as many streams and waiting polls as it may", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait"))),
        super::ListErrors,
    )
)]
#[get("/changes")]
pub async fn list_changes(
    req: HttpRequest,
    pool: web::Data<Pool>,
    watch: web::Data<FeedWatch>,
    slots: web::Data<StreamSlots>,
    keep_alive: web::Data<KeepAlive>,
) -> Result<HttpResponse, AppError> {
    let params = ChangesParams::parse(&req)?;
    let stream = wants_stream(&req)?;
    let admin = auth::optional(&req, &pool)
        .await?
        .is_some_and(|k| k.allows("admin"));
    // Checked on pages too, so a malformed header is never silently ignored.
    let resume = match req.headers().get("last-event-id") {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    AppError::InvalidHeader(
                        "Last-Event-ID must be the seq of an event (a whole number)".into(),
                    )
                })?,
        ),
    };
    if stream {
        if params.limit.is_some() || params.wait.is_some() {
            return Err(AppError::InvalidQuery(
                "limit and wait apply to pages; a stream sends every entry as it comes".into(),
            ));
        }
        let slot = StreamSlots::take(&slots, &req)?;
        let follow = Follow {
            pool,
            head: watch.subscribe(),
            position: resume.or(params.since).unwrap_or(0),
            collections: params.collection,
            admin,
            keep_alive: keep_alive.0,
            last_sent: Instant::now(),
            started: false,
            _slot: slot,
        };
        let events = futures_util::stream::unfold(follow, next_chunk);
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/event-stream"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((header::VARY, "Accept"))
            // Proxies (nginx) must pass events on as they come.
            .insert_header(("X-Accel-Buffering", "no"))
            .streaming(events));
    }
    let (since, limit) = (params.since.unwrap_or(0), params.limit.unwrap_or(100));
    let wait = Duration::from_secs(params.wait.unwrap_or(0));
    let mut head = watch.subscribe();
    head.borrow_and_update();
    let mut page = read(&pool, since, limit, params.collection.clone()).await?;
    if page.entries.is_empty() && !wait.is_zero() {
        let _slot = StreamSlots::take(&slots, &req)?;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                changed = head.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
                _ = tokio::time::sleep_until(deadline) => break,
            }
            head.borrow_and_update();
            page = read(&pool, page.next_since, limit, params.collection.clone()).await?;
            if !page.entries.is_empty() {
                break;
            }
        }
        if page.entries.is_empty() {
            // Nothing came: the empty page still says where the next poll starts.
            page = read(&pool, page.next_since, limit, params.collection.clone()).await?;
        }
    }
    let data = page
        .entries
        .into_iter()
        .map(|c| entry_out(c, admin))
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header((header::VARY, "Accept"))
        .json(ChangesPage {
            data,
            meta: ChangesMeta {
                limit,
                last_seq: page.last_seq,
                next_since: page.next_since,
            },
        }))
}

/// A stream's state.
struct Follow {
    pool: web::Data<Pool>,
    head: tokio::sync::watch::Receiver<i64>,
    position: i64,
    collections: Option<Vec<String>>,
    admin: bool,
    keep_alive: Duration,
    last_sent: Instant,
    started: bool,
    /// Held while the stream is open: the client's place in the stream limits.
    _slot: Slot,
}

/// The next bytes of a stream: events, or a keep-alive when nothing came for a while. The
/// stream ends (and the client reconnects with `Last-Event-ID`) when the database fails.
async fn next_chunk(mut follow: Follow) -> Option<(Result<Bytes, actix_web::Error>, Follow)> {
    if !follow.started {
        follow.started = true;
        follow.last_sent = Instant::now();
        let hello = format!("retry: {RECONNECT_MS}\n\n");
        return Some((Ok(Bytes::from(hello)), follow));
    }
    loop {
        follow.head.borrow_and_update();
        let page = read(
            &follow.pool,
            follow.position,
            STREAM_BATCH,
            follow.collections.clone(),
        )
        .await
        .ok()?;
        follow.position = page.next_since;
        if !page.entries.is_empty() {
            let mut chunk = String::new();
            for entry in page.entries {
                let seq = entry.seq;
                let data = serde_json::to_string(&entry_out(entry, follow.admin)).ok()?;
                chunk.push_str(&format!("id: {seq}\nevent: change\ndata: {data}\n\n"));
            }
            follow.last_sent = Instant::now();
            return Some((Ok(Bytes::from(chunk)), follow));
        }
        let quiet = follow.keep_alive.saturating_sub(follow.last_sent.elapsed());
        if quiet.is_zero() {
            follow.last_sent = Instant::now();
            return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), follow));
        }
        tokio::select! {
            changed = follow.head.changed() => {
                changed.ok()?;
            }
            _ = tokio::time::sleep(quiet) => {}
        }
    }
}
