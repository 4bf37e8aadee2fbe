//! The feed's head as each instance sees it, kept current whoever writes (this instance,
//! another one on the same database, or the CLI), so that streams, long polls and the webhook
//! worker wake when there is something new, without each of them querying in a loop.
//!
//! - PostgreSQL: every write transaction sends `NOTIFY iom_lrg_changes` (delivered at commit,
//!   see `db::write_transaction`); a connection of the watcher's own `LISTEN`s and reads the
//!   head when notified. Notifications are a hint, never trusted for the value: the head is read
//!   from the table, and read anyway at least once a second ([`POSTGRES_FALLBACK`]), so a lost
//!   notification (a dropped connection) delays a wake-up by at most that.
//! - SQLite: a read-only connection reads the head every [`SQLITE_POLL`] (an index lookup).
//!
//! The watcher works only while someone listens (a stream, a long poll, the webhook worker,
//! the response cache on PostgreSQL): with no receiver it closes its connection and sleeps.
//! Streams and webhooks only wake on it; they read the feed itself, so a stale head can only
//! cause a spurious wake-up, never a skip. The response cache on PostgreSQL trusts its view of
//! the head for a bounded time ([`FeedWatch::confirmed_within`], [`POSTGRES_TRUST`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use tokio::sync::watch;

use crate::db::DatabaseTarget;
use crate::db::schema::changes;

/// The channel write transactions notify on PostgreSQL.
pub const CHANNEL: &str = "iom_lrg_changes";
/// How often the head is read on SQLite while someone listens.
pub const SQLITE_POLL: Duration = Duration::from_millis(100);
/// How often notifications are collected on PostgreSQL (a non-blocking read of the socket):
/// how late, at most, a delivered notification moves the head here.
pub const POSTGRES_NOTIFY_POLL: Duration = Duration::from_millis(10);
/// The longest a PostgreSQL instance goes without reading the head while someone listens: the
/// bound on how late a write is seen when its notification is lost.
pub const POSTGRES_FALLBACK: Duration = Duration::from_secs(1);
/// How long a head read on PostgreSQL vouches for the head: past it with no newer read (the
/// connection is lost, or stopped answering), [`FeedWatch::confirmed_within`] says no.
pub const POSTGRES_TRUST: Duration = Duration::from_secs(2);
/// How long the watcher sleeps between checks when nobody listens.
const IDLE: Duration = Duration::from_millis(200);
/// How long an unused PostgreSQL listening connection is kept open.
const KEEP_LISTENER: Duration = Duration::from_secs(30);

/// The watcher of one application.
pub struct FeedWatch {
    head: watch::Sender<i64>,
    stop: AtomicBool,
    /// When the watcher started, the origin of `confirmed`.
    epoch: Instant,
    /// When the last successful head read on PostgreSQL was sent, in microseconds since
    /// `epoch`, plus one (0: none since the connection was opened).
    confirmed: AtomicU64,
}

impl FeedWatch {
    /// Starts watching the database of `target` on a thread of its own.
    pub fn start(target: &DatabaseTarget) -> std::io::Result<Arc<FeedWatch>> {
        let (head, _) = watch::channel(0);
        let watch = Arc::new(FeedWatch {
            head,
            stop: AtomicBool::new(false),
            epoch: Instant::now(),
            confirmed: AtomicU64::new(0),
        });
        let target = target.clone();
        let thread = Arc::clone(&watch);
        std::thread::Builder::new()
            .name("feed-watch".into())
            .spawn(move || thread.run(&target))?;
        Ok(watch)
    }

    /// A receiver of the head: `changed()` resolves when it moves.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.head.subscribe()
    }

    /// The head as last seen (it may lag the database by the bounds above).
    pub fn current(&self) -> i64 {
        *self.head.borrow()
    }

    /// Whether every commit made before `bound` ago is in [`FeedWatch::current`]: a head read
    /// sent since then succeeded, and the head moves at the latest with the next read after a
    /// commit (at a notification, or after [`POSTGRES_FALLBACK`]). Always false on SQLite,
    /// where the head is not read for this.
    pub fn confirmed_within(&self, bound: Duration) -> bool {
        recent(
            self.confirmed.load(Ordering::Acquire),
            self.epoch.elapsed(),
            bound,
        )
    }

    fn confirm(&self, sent: Option<Instant>) {
        let stamp = sent.map_or(0, |at| {
            u64::try_from(at.saturating_duration_since(self.epoch).as_micros())
                .unwrap_or(u64::MAX - 1)
                + 1
        });
        self.confirmed.store(stamp, Ordering::Release);
    }

    /// Tells listeners at once of a write this instance has just committed.
    pub fn advance(&self, seq: i64) {
        self.head.send_if_modified(|head| {
            let moved = seq > *head;
            if moved {
                *head = seq;
            }
            moved
        });
    }

    /// Ends the thread (the application stopped).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    fn run(&self, target: &DatabaseTarget) {
        let mut source: Option<Source> = None;
        let mut unused_since = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            if self.head.receiver_count() == 0 {
                if source.is_some() && unused_since.elapsed() > KEEP_LISTENER {
                    source = None;
                    self.confirm(None);
                }
                std::thread::sleep(IDLE);
                continue;
            }
            unused_since = Instant::now();
            if source.is_none() {
                match Source::open(target) {
                    Ok(opened) => source = Some(opened),
                    Err(error) => {
                        tracing::debug!(%error, "the feed watcher cannot reach the database");
                        std::thread::sleep(POSTGRES_FALLBACK);
                        continue;
                    }
                }
            }
            let Some(open) = source.as_mut() else {
                continue;
            };
            match open.poll() {
                Ok(Some((head, sent))) => {
                    self.advance(head);
                    self.confirm(sent);
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::debug!(%error, "the feed watcher lost its connection");
                    source = None;
                    self.confirm(None);
                }
            }
            std::thread::sleep(match target {
                DatabaseTarget::Sqlite(_) => SQLITE_POLL,
                DatabaseTarget::Postgres(_) => POSTGRES_NOTIFY_POLL,
            });
        }
    }
}

/// The newest seq (0 when the feed is empty), on the watcher's own connection.
macro_rules! read_head {
    ($conn:expr) => {
        changes::table
            .select(diesel::dsl::max(changes::seq))
            .get_result::<Option<i64>>($conn)
            .map(|seq| seq.unwrap_or(0))
    };
}

/// The watcher's own connection.
enum Source {
    Sqlite(SqliteConnection),
    Postgres {
        conn: PgConnection,
        last_read: Option<Instant>,
    },
}

impl Source {
    fn open(target: &DatabaseTarget) -> Result<Source, diesel::ConnectionError> {
        match target {
            DatabaseTarget::Sqlite(path) => {
                let url = format!("file:{}?mode=ro", path.display());
                let mut conn = SqliteConnection::establish(&url)?;
                conn.batch_execute("PRAGMA busy_timeout = 1000; PRAGMA query_only = ON;")
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(Source::Sqlite(conn))
            }
            DatabaseTarget::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                conn.batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(Source::Postgres {
                    conn,
                    last_read: None,
                })
            }
        }
    }

    /// The head, when it was read this time, with when the read was sent (PostgreSQL).
    fn poll(&mut self) -> QueryResult<Option<(i64, Option<Instant>)>> {
        match self {
            Source::Sqlite(conn) => read_head!(conn).map(|head| Some((head, None))),
            Source::Postgres { conn, last_read } => {
                let mut notified = false;
                for notification in conn.notifications_iter() {
                    notification?;
                    notified = true;
                }
                let due = last_read.is_none_or(|at| at.elapsed() >= POSTGRES_FALLBACK);
                if !notified && !due {
                    return Ok(None);
                }
                let sent = Instant::now();
                *last_read = Some(sent);
                read_head!(conn).map(|head| Some((head, Some(sent))))
            }
        }
    }
}

/// Whether `confirmed` (microseconds since the epoch plus one, 0 for none) is at most `bound`
/// before `now` (since the epoch).
fn recent(confirmed: u64, now: Duration, bound: Duration) -> bool {
    let Some(at) = confirmed.checked_sub(1) else {
        return false;
    };
    let now = u64::try_from(now.as_micros()).unwrap_or(u64::MAX);
    now.saturating_sub(at) <= u64::try_from(bound.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_read_vouches_for_the_head_for_the_bound_only() {
        let ms = Duration::from_millis;
        let at = |t: u64| t * 1000 + 1;
        assert!(!recent(0, ms(5), POSTGRES_TRUST), "no read yet");
        assert!(recent(at(100), ms(100), POSTGRES_TRUST));
        assert!(recent(at(100), ms(2100), POSTGRES_TRUST));
        assert!(!recent(at(100), ms(2101), POSTGRES_TRUST), "too old");
        // A read sent at the epoch itself is a read.
        assert!(recent(at(0), ms(1), POSTGRES_TRUST));
    }
}
