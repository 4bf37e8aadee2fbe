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
//! for it in the same transaction, on whichever instance) makes the next read miss. Likewise a
//! list page without `include` or `q` depends on its collection's records alone (their data
//! and the links they own: related filters and facets read the links of the listed records,
//! and a record that others link to cannot be deleted), so it is stamped with the
//! collection's last seq. Searches, lists with `include` (embedded records of other
//! collections) or `q` (the shared search index), lists as IATI XML, and reads with `include`
//! stay stamped with the head.
//!
//! The check is cheap on purpose: on SQLite it reads the head on the worker thread through a
//! read-only connection of its own (microseconds, no hop to the blocking pool); on PostgreSQL it
//! is one indexed query. Entries are evicted least recently used, bounded both in number and in
//! bytes; once full, the cache stores a new key only at its second miss ([`Doorkeeper`]), so
//! that keys asked once do not push out the ones asked again. Responses that depend on the
//! day (`upcoming=` events) carry the day in their key.
//!
//! On SQLite most checks need no query at all ([`WalIndex`]): every commit, by any connection
//! of any process, rewrites the header of the database's wal-index (the `-shm` file), and a new
//! read sees exactly the commits that header describes. An entry remembers the header it was
//! last known current under; while the header is still that one, nothing was committed since,
//! so the entry is served after one 96-byte `pread` instead of a read transaction (measured
//! with perf: the stamp query's file locks and b-tree walk were a third of a 304's cost).
//!
//! On PostgreSQL most checks need no query either, at a stated cost in exactness across
//! instances (`--cache-exact` restores the query on every check). The view that stands for the
//! wal-index header is the feed head as the instance's feed watcher last read it (LISTEN/NOTIFY,
//! [`crate::push::watch`]) together with a count of the writes this instance has answered: an
//! entry current under that view is served with no query while neither moves. This instance's
//! writes move the count before their response is sent, so they are seen at once; another
//! instance's are seen once the notification of their commit is collected (every
//! [`watch::POSTGRES_NOTIFY_POLL`]) or, should it be lost, at the next head read (every
//! [`watch::POSTGRES_FALLBACK`]). The view is used only while a head read sent within
//! [`watch::POSTGRES_TRUST`] succeeded, so a read here is never more than that behind a commit
//! elsewhere; past it (the watcher's connection is lost or stalls) every check queries again.

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::conditional;
use super::lang::LangChoice;
use super::representation::Format;
use crate::db::{DatabaseTarget, Pool};
use crate::models::change;
use crate::push::watch::{self, FeedWatch};

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
    /// The records of one collection: the collection's last seq.
    Collection(&'static str),
}

/// A stored response.
struct Entry {
    seq: i64,
    /// The view under which `seq` was last known to be the current stamp.
    fresh_at: Option<View>,
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
    /// The database's wal-index, opened on first use (none: not SQLite, or not readable).
    wal: OnceLock<Option<WalIndex>>,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Hits served on an unchanged view, with no query.
    unqueried: AtomicU64,
    doorkeeper: Doorkeeper,
    /// PostgreSQL without `--cache-exact`: the feed watcher whose head stands for the view, and
    /// a receiver that keeps it watching.
    feed: Option<(std::sync::Arc<FeedWatch>, tokio::sync::watch::Receiver<i64>)>,
    /// Writes this instance has answered ([`ResponseCache::written`]).
    writes: AtomicU64,
}

/// What vouches, with no query, that nothing was committed since an entry was last current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    /// SQLite: the wal-index header.
    Wal(Header),
    /// PostgreSQL: the feed head as the watcher last read it, and this instance's writes.
    Feed { head: i64, writes: u64 },
}

/// The keys a full cache turned away once, so that their second miss stores them: a
/// direct-mapped table of key hashes (TinyLFU's doorkeeper, without the counting), four slots
/// per entry. A key is admitted when its slot still holds its hash, that is when no other
/// turned-away key has taken the slot since; the hash is keyed per process.
struct Doorkeeper {
    hasher: std::hash::RandomState,
    slots: Box<[AtomicU64]>,
}

impl Doorkeeper {
    fn new(entries: usize) -> Self {
        let n = entries
            .saturating_mul(4)
            .clamp(1, 1 << 22)
            .next_power_of_two();
        Self {
            hasher: std::hash::RandomState::new(),
            slots: (0..n).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Whether `key` was turned away recently; if not, it is remembered now.
    fn admit(&self, key: &str) -> bool {
        use std::hash::BuildHasher;
        // 0 marks an empty slot.
        let hash = self.hasher.hash_one(key).max(1);
        let slot = &self.slots[(hash as usize) & (self.slots.len() - 1)];
        slot.swap(hash, Ordering::Relaxed) == hash
    }
}

/// A copy of SQLite's wal-index header (<https://sqlite.org/walformat.html>, section 2.2.1):
/// version, change counter, frame count, salts and checksums of the last commit.
type Header = [u8; 48];

/// The `-shm` file of an SQLite database in WAL mode, read for its header.
///
/// SQLite's writers update the header in place at each commit (and on recovery or a restart
/// of the WAL, which only makes entries check again), copy 1 first and copy 0 second, and its
/// readers take the header as valid only when the two copies are equal, reading copy 0 first:
/// [`WalIndex::header`] reads the same way, in one `pread`, and gives up (the stamp is then
/// queried) when the copies differ or the header is not initialised. A checkpoint changes only
/// the checkpoint information after the header. A header never comes back: its change counter
/// grows with every commit and its checksums chain over every frame.
///
/// `anchor` is a connection of the cache's own, kept open and never used again: SQLite deletes
/// the `-shm` file when the last connection to the database closes, and a file opened before
/// that would then never change. While one connection stays open, the file stays the one every
/// connection writes to.
struct WalIndex {
    shm: std::fs::File,
    _anchor: Mutex<SqliteConnection>,
}

impl WalIndex {
    /// Opens the wal-index of the SQLite database at `path`, or none when it has no usable one.
    fn open(path: &Path) -> Option<Self> {
        let mut anchor = read_only(path)?;
        // A read opens the WAL, and with it the wal-index.
        diesel::connection::SimpleConnection::batch_execute(
            &mut anchor,
            "SELECT count(*) FROM sqlite_master;",
        )
        .ok()?;
        let mut shm = path.as_os_str().to_owned();
        shm.push("-shm");
        let shm = std::fs::File::open(shm).ok()?;
        let wal = Self {
            shm,
            _anchor: Mutex::new(anchor),
        };
        wal.header().map(|_| wal)
    }

    /// The current header, or none when it cannot be trusted now (being rewritten, or not
    /// initialised).
    fn header(&self) -> Option<Header> {
        let mut both = [0u8; 96];
        self.shm.read_exact_at(&mut both, 0).ok()?;
        trusted_header(&both)
    }
}

/// A read-only connection of the cache's own to the SQLite database at `path`.
fn read_only(path: &Path) -> Option<SqliteConnection> {
    let url = format!("file:{}?mode=ro", path.display());
    let mut conn = SqliteConnection::establish(&url).ok()?;
    diesel::connection::SimpleConnection::batch_execute(
        &mut conn,
        "PRAGMA busy_timeout = 1000; PRAGMA query_only = ON;",
    )
    .ok()?;
    Some(conn)
}

/// The header of the two copies at the start of a wal-index, when it can be trusted: version
/// 3007000 (native byte order), initialised, and both copies alike.
fn trusted_header(both: &[u8; 96]) -> Option<Header> {
    let (first, second) = both.split_at(48);
    let version = u32::from_ne_bytes([first[0], first[1], first[2], first[3]]);
    (first == second && version == 3_007_000 && first[12] == 1)
        .then(|| first.try_into().ok())
        .flatten()
}

thread_local! {
    /// Each worker thread's read-only SQLite connection for reading the feed head.
    static HEAD_READER: RefCell<Option<(PathBuf, crate::db::AnyConnection)>> = const { RefCell::new(None) };
}

impl ResponseCache {
    /// A cache of at most `entries` responses and `max_bytes` of bodies (0 entries: off). On
    /// PostgreSQL, `feed` (the instance's feed watcher) spares hits their query, within the
    /// watcher's bound; without it every check queries.
    pub fn new(
        entries: usize,
        max_bytes: usize,
        target: &DatabaseTarget,
        feed: Option<std::sync::Arc<FeedWatch>>,
    ) -> Self {
        let feed = match target {
            DatabaseTarget::Postgres(_) if entries > 0 => feed.map(|feed| {
                let keep = feed.subscribe();
                (feed, keep)
            }),
            _ => None,
        };
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
            wal: OnceLock::new(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            unqueried: AtomicU64::new(0),
            doorkeeper: Doorkeeper::new(entries),
            feed,
            writes: AtomicU64::new(0),
        }
    }

    /// Records that this instance answered a write (whatever its outcome), before the answer
    /// is sent: on PostgreSQL the next check of every entry then queries its stamp, so a
    /// client reading its own write through this instance never gets the cached copy.
    pub fn written(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// Reads answered from the cache, cacheable reads that were computed, and hits answered
    /// with no query (on an unchanged view), since start.
    pub fn counts(&self) -> (u64, u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            self.unqueried.load(Ordering::Relaxed),
        )
    }

    /// The view now, read before anything it is to vouch for: the wal-index header (SQLite),
    /// or the watcher's head and this instance's writes while the watcher vouches for its head
    /// (PostgreSQL without `--cache-exact`).
    fn view(&self) -> Option<View> {
        if let Some((feed, _)) = &self.feed {
            // The writes first: a write answered after this is then seen by the next view.
            let writes = self.writes.load(Ordering::SeqCst);
            if !feed.confirmed_within(watch::POSTGRES_TRUST) {
                return None;
            }
            return Some(View::Feed {
                head: feed.current(),
                writes,
            });
        }
        let path = self.sqlite.as_ref()?;
        self.wal
            .get_or_init(|| {
                let wal = WalIndex::open(path);
                if wal.is_none() {
                    tracing::warn!(
                        "the database's wal-index cannot be read: every cached read queries its stamp"
                    );
                }
                wal
            })
            .as_ref()?
            .header()
            .map(View::Wal)
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
                    let conn = read_only(path)?;
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

    /// The stored response for `key` if it is still current: its stamp is `head`, or (with no
    /// head) it was current under `view`, the view now. 200, or 304 when `If-None-Match` names
    /// its ETag. A match on `head` also records that the entry was current under `view`, read
    /// before `head` was.
    fn lookup(
        &self,
        req: &HttpRequest,
        key: &str,
        head: Option<i64>,
        view: Option<&View>,
    ) -> Option<HttpResponse> {
        let inner = self.inner.as_ref()?;
        let mut guard = inner.lock().ok()?;
        let entry = guard.map.get_mut(key)?;
        match head {
            Some(head) if entry.seq == head => entry.fresh_at = view.copied(),
            None if view.is_some() && entry.fresh_at.as_ref() == view => {}
            _ => return None,
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
    /// back. `view` is a view read before that snapshot (or before `seq` was read).
    fn store(
        &self,
        key: String,
        seq: i64,
        view: Option<View>,
        response: HttpResponse,
    ) -> HttpResponse {
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
            let key_len = key.len();
            let size = body.len() + key_len;
            // A full cache takes a new key only at its second miss in a while: a key asked once
            // (most of a uniform or long-tailed load) would evict one that is asked again.
            let full =
                guard.map.len() >= guard.map.cap().get() || guard.bytes + size > self.max_bytes;
            if full && !guard.map.contains(&key) && !self.doorkeeper.admit(&key) {
                drop(guard);
                return head.set_body(body).map_into_boxed_body();
            }
            let headers = head
                .headers()
                .iter()
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect();
            if let Some(old) = guard.map.put(
                key,
                Entry {
                    seq,
                    fresh_at: view,
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
        Scope::Collection(collection) => change::collection_head(conn, collection).map(|h| h.0),
    }
}

/// Marks a request whose 200 is to be stored before its `If-None-Match` is answered (by
/// [`Cached::store`] or [`Cached::pass`]): `respond` then leaves the condition to them.
pub struct AnswerAfterStore;

/// A read that may be answered from the cache, and stored in it once computed.
pub struct Cached {
    cache: web::Data<ResponseCache>,
    /// The request, whose `If-None-Match` is answered once the response is stored.
    req: HttpRequest,
    key: String,
    /// The stamp read by the lookup that missed, if it could be read.
    seen: Option<i64>,
    /// The view read by the lookup, before anything else.
    view: Option<View>,
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
        let view = cache.view();
        if view.is_some()
            && let Some(hit) = cache.lookup(req, &key, None, view.as_ref())
        {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            cache.unqueried.fetch_add(1, Ordering::Relaxed);
            return Err(conditional::modified_since(req, hit));
        }
        let seen = cache.stamp(pool, scope).await;
        if seen.is_some()
            && let Some(hit) = cache.lookup(req, &key, seen, view.as_ref())
        {
            cache.hits.fetch_add(1, Ordering::Relaxed);
            return Err(conditional::modified_since(req, hit));
        }
        cache.misses.fetch_add(1, Ordering::Relaxed);
        // The response is built as a 200 even when `If-None-Match` names it, so that it can be
        // stored; `store` (or `pass`) answers the condition afterwards. Without this a key
        // first seen conditionally (a mirror revalidating what it holds) was never stored.
        req.extensions_mut().insert(AnswerAfterStore);
        Ok(Some(Cached {
            cache,
            req: req.clone(),
            key,
            seen,
            view,
        }))
    }

    /// The stamp this lookup read before the response is computed. Storing the response under
    /// it is exact, though it was not read in the response's snapshot: writers commit in the
    /// order of their seqs (one writer at a time on both backends, see `db::write_transaction`),
    /// so data read afterwards is at least as new as the stamp, and when it is newer, the
    /// stamp is already past and the entry is never served.
    pub fn seen(&self) -> Option<i64> {
        self.seen
    }

    /// Stores a response computed from the snapshot at feed head `seq` (a snapshot taken after
    /// the lookup, so after its view was read).
    pub fn store(self, seq: i64, response: HttpResponse) -> HttpResponse {
        let response = self.cache.store(self.key, seq, self.view, response);
        conditional::answer_none_match(&self.req, response)
    }

    /// The response of a lookup that is not to be stored after all, with its `If-None-Match`
    /// answered.
    pub fn pass(self, response: HttpResponse) -> HttpResponse {
        conditional::answer_none_match(&self.req, response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two copies of a header with change counter `change`.
    fn copies(change: u32) -> [u8; 96] {
        let mut header = [0u8; 48];
        header[..4].copy_from_slice(&3_007_000u32.to_ne_bytes());
        header[8..12].copy_from_slice(&change.to_ne_bytes());
        header[12] = 1;
        let mut both = [0u8; 96];
        both[..48].copy_from_slice(&header);
        both[48..].copy_from_slice(&header);
        both
    }

    fn page(etag: &str) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header((header::ETAG, etag))
            .body(format!("body of {etag}"))
    }

    #[test]
    fn a_full_cache_stores_a_new_key_at_its_second_miss_and_keeps_what_is_asked_again() {
        let dir = tempfile::tempdir().expect("a folder");
        let cache = ResponseCache::new(
            2,
            1 << 20,
            &DatabaseTarget::Sqlite(dir.path().join("x.db")),
            None,
        );
        let req = actix_web::test::TestRequest::default().to_http_request();
        let hit = |key: &str| cache.lookup(&req, key, Some(1), None).is_some();
        // While there is room, every response is kept.
        cache.store("a".into(), 1, None, page("\"a\""));
        cache.store("b".into(), 1, None, page("\"b\""));
        assert!(hit("a") && hit("b"));
        // Full: a new key's first miss is not kept, its second is (evicting the least recent).
        cache.store("c".into(), 1, None, page("\"c\""));
        assert!(!hit("c"));
        assert!(hit("b"));
        cache.store("c".into(), 1, None, page("\"c\""));
        assert!(hit("c") && hit("b") && !hit("a"));
        // A key already held is replaced at once (a newer version after a write).
        cache.store("b".into(), 2, None, page("\"b2\""));
        assert!(cache.lookup(&req, "b", Some(2), None).is_some());
        // The stored body is the one given back.
        let response = cache.store("d".into(), 1, None, page("\"d\""));
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.into_body().try_into_bytes().ok().as_deref(),
            Some(&b"body of \"d\""[..])
        );
    }

    #[test]
    fn a_wal_index_header_is_trusted_only_when_whole_and_initialised() {
        let both = copies(7);
        assert_eq!(trusted_header(&both).map(|h| h[8]), Some(7));
        // A writer between its two copies.
        let mut torn = copies(7);
        torn[48 + 8] = 8;
        assert_eq!(trusted_header(&torn), None);
        // Not initialised (being recovered).
        let mut fresh = copies(7);
        fresh[12] = 0;
        fresh[48 + 12] = 0;
        assert_eq!(trusted_header(&fresh), None);
        // Another format version.
        let mut other = copies(7);
        other[..4].copy_from_slice(&3_007_001u32.to_ne_bytes());
        other[48..52].copy_from_slice(&3_007_001u32.to_ne_bytes());
        assert_eq!(trusted_header(&other), None);
    }

    #[test]
    fn the_wal_index_of_a_real_database_changes_with_each_commit_and_only_then() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("wal.db");
        let mut writer =
            SqliteConnection::establish(path.to_str().expect("utf-8")).expect("a database");
        diesel::connection::SimpleConnection::batch_execute(
            &mut writer,
            "PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
        )
        .expect("a table");
        let wal = WalIndex::open(&path).expect("a wal-index");
        let before = wal.header().expect("a header");
        // Reads, by the writer or another connection, leave it.
        diesel::connection::SimpleConnection::batch_execute(&mut writer, "SELECT * FROM t;")
            .expect("a read");
        assert_eq!(wal.header(), Some(before));
        // A commit changes it, whichever connection makes it.
        diesel::connection::SimpleConnection::batch_execute(
            &mut writer,
            "INSERT INTO t VALUES (2);",
        )
        .expect("a write");
        let after = wal.header().expect("a header");
        assert_ne!(after, before);
        let mut other = SqliteConnection::establish(path.to_str().expect("utf-8"))
            .expect("a second connection");
        diesel::connection::SimpleConnection::batch_execute(&mut other, "UPDATE t SET x = 3;")
            .expect("a write");
        assert_ne!(wal.header(), Some(after));
        // A checkpoint moves no data: it leaves the header.
        let settled = wal.header().expect("a header");
        diesel::connection::SimpleConnection::batch_execute(
            &mut other,
            "PRAGMA wal_checkpoint(PASSIVE);",
        )
        .expect("a checkpoint");
        assert_eq!(wal.header(), Some(settled));
    }
}
