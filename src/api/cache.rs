//! A bounded cache of rendered responses (record, list and search reads), exact by design.
//!
//! Every write appends to the change feed in its transaction, so the feed's head (`seq`)
//! changes whenever any data changes, on any instance sharing the database. A response is
//! stored with the head read in the same snapshot as its data, and served again only while the
//! head is still that seq, which is checked on every request. A write through one instance is
//! therefore never hidden by another instance's cache, and ETags, languages and freshness stay
//! what the uncached path gives.
//!
//! A record read without embedded records depends on that record alone (its ETag is its
//! version), so it is stamped with the record's own last seq in the feed instead of the
//! feed's head: a write elsewhere leaves it cached, and a write to it (which appends a change
//! for it in the same transaction, on whichever instance) makes the next read miss. Lists,
//! searches and reads with `include` stay stamped with the head.
//!
//! The check is cheap on purpose: on SQLite it reads the head on the worker thread through a
//! read-only connection of its own (microseconds, no hop to the blocking pool); on PostgreSQL it
//! is one indexed query. Entries are evicted least recently used, bounded both in number and in
//! bytes. Responses that depend on the day (`upcoming=` events) carry the day in their key.

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::conditional;
use super::lang::LangChoice;
use super::representation::Format;
use crate::db::{DatabaseTarget, Pool};
use crate::models::change;

/// What a response depends on, and so which seq stamps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anything: the feed's head.
    Feed,
    /// One record of a collection (by the id of its path): that record's last seq.
    Record {
        collection: &'static str,
        id: String,
    },
}

/// A stored response.
struct Entry {
    seq: i64,
    etag: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

struct Inner {
    map: lru::LruCache<String, Entry>,
    bytes: usize,
}

/// The cache, shared by the workers of one instance.
pub struct ResponseCache {
    inner: Option<Mutex<Inner>>,
    max_bytes: usize,
    sqlite: Option<PathBuf>,
    hits: AtomicU64,
    misses: AtomicU64,
}

thread_local! {
    /// Each worker thread's read-only SQLite connection for reading the feed head.
    static HEAD_READER: RefCell<Option<(PathBuf, crate::db::AnyConnection)>> = const { RefCell::new(None) };
}

impl ResponseCache {
    /// A cache of at most `entries` responses and `max_bytes` of bodies (0 entries: off).
    pub fn new(entries: usize, max_bytes: usize, target: &DatabaseTarget) -> Self {
        Self {
            inner: NonZeroUsize::new(entries).map(|n| {
                Mutex::new(Inner {
                    map: lru::LruCache::new(n),
                    bytes: 0,
                })
            }),
            max_bytes,
            sqlite: match target {
                DatabaseTarget::Sqlite(path) => Some(path.clone()),
                DatabaseTarget::Postgres(_) => None,
            },
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Reads answered from the cache, and cacheable reads that were computed, since start.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The seq that stamps `scope` now, or `None` when it cannot be read (the request then
    /// runs uncached).
    pub async fn stamp(&self, pool: &web::Data<Pool>, scope: &Scope) -> Option<i64> {
        if !self.enabled() {
            return None;
        }
        match &self.sqlite {
            Some(path) => HEAD_READER.with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.as_ref().is_none_or(|(p, _)| p != path) {
                    let url = format!("file:{}?mode=ro", path.display());
                    let mut conn = SqliteConnection::establish(&url).ok()?;
                    diesel::connection::SimpleConnection::batch_execute(
                        &mut conn,
                        "PRAGMA busy_timeout = 1000; PRAGMA query_only = ON;",
                    )
                    .ok()?;
                    *slot = Some((path.clone(), crate::db::AnyConnection::Sqlite(conn)));
                }
                let (_, conn) = slot.as_mut()?;
                // The same queries as inside a read's snapshot (prepared once per connection):
                // a record's last seq is the end of its range of the (collection, record_id)
                // index, which holds seq (the rowid) on SQLite.
                let head = scope_seq(conn, scope);
                match head {
                    Ok(head) => Some(head),
                    Err(_) => {
                        // Reopened on the next request.
                        *slot = None;
                        None
                    }
                }
            }),
            None => {
                let pool = pool.clone();
                let scope = scope.clone();
                web::block(move || {
                    let mut conn = pool.get().ok()?;
                    scope_seq(&mut conn, &scope).ok()
                })
                .await
                .ok()
                .flatten()
            }
        }
    }

    /// The stored response for `key` if it is still current at stamp `head`: 200, or 304 when
    /// `If-None-Match` names its ETag.
    pub fn lookup(&self, req: &HttpRequest, key: &str, head: i64) -> Option<HttpResponse> {
        let inner = self.inner.as_ref()?;
        let mut guard = inner.lock().ok()?;
        let entry = guard.map.get(key)?;
        if entry.seq != head {
            return None;
        }
        let mut response = HttpResponse::build(StatusCode::OK);
        for (name, value) in &entry.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        let response = response.body(entry.body.clone());
        Some(if conditional::none_match(req.headers(), &entry.etag) {
            conditional::not_modified(response.headers().iter())
        } else {
            response
        })
    }

    /// Keeps a 200 response computed from a snapshot where its stamp was `seq`, and gives it
    /// back.
    pub fn store(&self, key: String, seq: i64, response: HttpResponse) -> HttpResponse {
        let Some(inner) = &self.inner else {
            return response;
        };
        if response.status() != StatusCode::OK {
            return response;
        }
        let (head, body) = response.into_parts();
        let body = match body.try_into_bytes() {
            Ok(bytes) => bytes,
            Err(body) => return head.set_body(body),
        };
        let etag = head
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // One entry may take at most a sixteenth of the budget.
        if let Some(etag) = etag
            && body.len() <= self.max_bytes / 16
            && let Ok(mut guard) = inner.lock()
        {
            let headers = head
                .headers()
                .iter()
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect();
            let key_len = key.len();
            let size = body.len() + key_len;
            if let Some(old) = guard.map.put(
                key,
                Entry {
                    seq,
                    etag,
                    headers,
                    body: body.clone(),
                },
            ) {
                guard.bytes = guard.bytes.saturating_sub(old.body.len() + key_len);
            }
            guard.bytes += size;
            while guard.bytes > self.max_bytes {
                match guard.map.pop_lru() {
                    Some((k, old)) => {
                        guard.bytes = guard.bytes.saturating_sub(old.body.len() + k.len())
                    }
                    None => break,
                }
            }
        }
        head.set_body(body).map_into_boxed_body()
    }
}

/// The cache key of a read: path, query, negotiated language, negotiated format and (for lists
/// that depend on it) the day.
pub fn key(req: &HttpRequest, lang: LangChoice, format: Format) -> String {
    let day = if req.query_string().contains("upcoming") {
        chrono::Utc::now().date_naive().to_string()
    } else {
        String::new()
    };
    format!(
        "{}?{}|{}|{}|{day}",
        req.path(),
        req.query_string(),
        lang.tag(),
        format.tag(),
    )
}

/// The seq that stamps `scope`, read on `conn` (inside a read's snapshot, for the stamp it is
/// stored with): the feed's head, or the record's last change (0 when it has none).
pub fn scope_seq(conn: &mut crate::db::AnyConnection, scope: &Scope) -> QueryResult<i64> {
    match scope {
        Scope::Feed => change::last_seq(conn),
        Scope::Record { collection, id } => change::record_seq(conn, collection, id),
    }
}

/// A read that may be answered from the cache, and stored in it once computed.
pub struct Cached {
    cache: web::Data<ResponseCache>,
    key: String,
    /// The stamp read by the lookup that missed, if it could be read.
    seen: Option<i64>,
}

impl Cached {
    /// Looks the request up: `Err(response)` when the cache answers it, `Ok(Some(..))` to
    /// compute it (then [`Cached::store`] it), `Ok(None)` when the cache is off or cannot tell.
    /// `scope` must be a function of the key (path and query): one key, one kind of stamp.
    pub async fn lookup(
        req: &HttpRequest,
        pool: &web::Data<Pool>,
        lang: LangChoice,
        format: Format,
        scope: &Scope,
    ) -> Result<Option<Cached>, HttpResponse> {
        let Some(cache) = req.app_data::<web::Data<ResponseCache>>().cloned() else {
            return Ok(None);
        };
        if !cache.enabled() {
            return Ok(None);
        }
        let key = key(req, lang, format);
        let seen = cache.stamp(pool, scope).await;
        if let Some(head) = seen
            && let Some(hit) = cache.lookup(req, &key, head)
        {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            return Err(conditional::modified_since(req, hit));
        }
        cache.misses.fetch_add(1, Ordering::Relaxed);
        Ok(Some(Cached { cache, key, seen }))
    }

    /// The stamp this lookup read before the response is computed. Storing the response under
    /// it is exact, though it was not read in the response's snapshot: writers commit in the
    /// order of their seqs (one writer at a time on both backends, see `db::write_transaction`),
    /// so data read afterwards is at least as new as the stamp, and when it is newer, the
    /// stamp is already past and the entry is never served.
    pub fn seen(&self) -> Option<i64> {
        self.seen
    }

    /// Stores a response computed from the snapshot at feed head `seq`.
    pub fn store(self, seq: i64, response: HttpResponse) -> HttpResponse {
        self.cache.store(self.key, seq, response)
    }
}
