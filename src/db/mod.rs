//! Storage: one code path for SQLite (embedded default) and PostgreSQL (production), through
//! diesel's `MultiConnection`, an r2d2 pool and migrations embedded per backend.

mod fragments;
pub mod schema;

pub use fragments::{any_of, limited};

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. PostgreSQL comes first, as diesel tries the variants in order.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The r2d2 pool every request draws from.
pub type Pool = r2d2::Pool<Manager>;
/// A connection checked out of [`Pool`].
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// Where the data lives, parsed from `--database-url` / `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

/// Why a database could not be opened; each message is one line an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error(
        "invalid database URL {0:?}: use a file path, sqlite://PATH, file:PATH or postgres://..."
    )]
    InvalidUrl(String),
    #[error("cannot create the data folder {path}: {source}")]
    DataFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the SQLite database {path}: {reason}")]
    Sqlite { path: String, reason: String },
    #[error("cannot connect to PostgreSQL at {url}: {reason}")]
    Postgres { url: String, reason: String },
    #[error("database migrations failed: {0}")]
    Migrations(String),
}

impl DatabaseTarget {
    /// Parses a database URL: a plain path, `sqlite://PATH` or `file:PATH` is SQLite;
    /// `postgres://` or `postgresql://` is PostgreSQL.
    pub fn parse(url: &str) -> Result<Self, DbSetupError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .or_else(|| url.strip_prefix("file://"))
            .or_else(|| url.strip_prefix("file:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") || path == ":memory:" {
            // `:memory:` is one database per connection, which a pool cannot share.
            return Err(DbSetupError::InvalidUrl(url.to_owned()));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// The URL with any password replaced, for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => path.display().to_string(),
            Self::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Opens connections of the configured backend; SQLite connections get their PRAGMAs here.
#[derive(Debug, Clone)]
pub struct Manager {
    target: DatabaseTarget,
    /// Whether a missing SQLite file may be created: only by the first connection, which runs
    /// the migrations. A pool connection opening a file that vanished meanwhile must fail (and
    /// answer 503), not create an empty database without tables.
    create: bool,
}

impl Manager {
    fn connect(&self) -> Result<AnyConnection, DbSetupError> {
        match &self.target {
            DatabaseTarget::Postgres(url) => PgConnection::establish(url)
                .map(AnyConnection::Postgresql)
                .map_err(|e| DbSetupError::Postgres {
                    url: redact_password(url),
                    reason: first_line(&e.to_string()),
                }),
            DatabaseTarget::Sqlite(path) => {
                let sqlite_err = |reason: String| DbSetupError::Sqlite {
                    path: path.display().to_string(),
                    reason,
                };
                let path_str = path
                    .to_str()
                    .ok_or_else(|| sqlite_err("path is not UTF-8".into()))?;
                let mode = if self.create { "rwc" } else { "rw" };
                let uri = format!("file:{}?mode={mode}", uri_path(path_str));
                let mut conn = SqliteConnection::establish(&uri)
                    .map_err(|e| sqlite_err(first_line(&e.to_string())))?;
                // WAL lets readers run beside the one writer; foreign keys are off by default in
                // SQLite; the busy timeout makes a second writer wait instead of failing.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )
                .map_err(|e| sqlite_err(first_line(&e.to_string())))?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

/// A file path as the path of an SQLite `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23")
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_owned()
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        Manager::connect(self).map_err(|e| {
            r2d2::Error::ConnectionError(ConnectionError::BadConnection(e.to_string()))
        })
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        match conn {
            AnyConnection::Postgresql(c) => r2d2::R2D2Connection::is_broken(c),
            AnyConnection::Sqlite(c) => r2d2::R2D2Connection::is_broken(c),
        }
    }
}

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connection_timeout: Duration,
}

/// Opens the database (creating a SQLite file and its folder), checks that it answers, and runs
/// pending migrations. Errors are one line each, for the start-up message.
pub fn open(target: &DatabaseTarget, options: &PoolOptions) -> Result<Pool, DbSetupError> {
    if let DatabaseTarget::Sqlite(path) = target {
        create_parent(path)?;
    }
    // The first connection is made here, so that its real error can be reported.
    let mut first = Manager {
        target: target.clone(),
        create: true,
    }
    .connect()?;
    run_migrations(&mut first)?;
    // A database that predates the maintained counts is tallied once, here.
    let tallying =
        |e: diesel::result::Error| DbSetupError::Migrations(format!("tallying programmes: {e}"));
    if crate::models::tally::missing(&mut first).map_err(tallying)? {
        write_transaction(&mut first, crate::models::tally::ensure).map_err(tallying)?;
    }
    drop(first);
    let manager = Manager {
        target: target.clone(),
        create: false,
    };
    let max_size = match target {
        DatabaseTarget::Sqlite(_) => options.max_size.min(8),
        DatabaseTarget::Postgres(_) => options.max_size,
    };
    r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        // r2d2 runs `SELECT 1` on every checkout by default: a parse and a step per request on
        // SQLite, where a connection to a local file does not break (bench/RESULTS.md,
        // "2026-12-04"). PostgreSQL keeps the check: a connection the server dropped is
        // replaced before a request uses it instead of failing that request.
        .test_on_check_out(matches!(target, DatabaseTarget::Postgres(_)))
        .connection_timeout(options.connection_timeout)
        .build(manager)
        .map_err(|e| match target {
            DatabaseTarget::Postgres(url) => DbSetupError::Postgres {
                url: redact_password(url),
                reason: e.to_string(),
            },
            DatabaseTarget::Sqlite(path) => DbSetupError::Sqlite {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
        })
}

fn create_parent(path: &Path) -> Result<(), DbSetupError> {
    let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(parent).map_err(|source| DbSetupError::DataFolder {
        path: parent.display().to_string(),
        source,
    })?;
    // Creating the folder can succeed on a read-only parent that already has it: check writing.
    let probe = parent.join(".iom-lrg-write-probe");
    std::fs::write(&probe, b"").map_err(|source| DbSetupError::DataFolder {
        path: parent.display().to_string(),
        source,
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Runs the migrations of the connection's backend. When some ran, the planner's statistics
/// are refreshed: a migration that rebuilds indexes (`000006_sort_indexes`) leaves SQLite
/// without statistics for them, and it then picks poor plans on large tables.
pub fn run_migrations(conn: &mut AnyConnection) -> Result<(), DbSetupError> {
    let applied = match conn {
        AnyConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    }
    .map_err(|e| DbSetupError::Migrations(e.to_string()))?;
    if applied > 0 {
        analyze(conn).map_err(|e| DbSetupError::Migrations(format!("ANALYZE: {e}")))?;
    }
    Ok(())
}

/// Multi-row INSERTs of `rows` into `table`: the multi-backend connection cannot express them,
/// each backend's own connection can (bulk loads: `generate`, many links at once).
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::AnyConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::db::AnyConnection::Postgresql(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}
pub(crate) use insert_rows;

/// One SQLite writer at a time in this process.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` in a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so that a transaction
/// that reads before it writes never fails to upgrade its lock; on PostgreSQL it takes a
/// transaction-scoped advisory lock, so that writers commit in the order of their change-feed
/// sequence numbers and a reader following the feed never skips an entry, and notifies the
/// feed watchers of every instance.
pub fn write_transaction<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Postgresql(_) => conn.transaction(|conn| {
            // A writer waits at most 5 s for the lock, then answers 503 rather than pile up.
            // The NOTIFY is delivered at commit (never for a rollback): every instance's feed
            // watcher (`push::watch`) then reads the head and wakes its streams.
            conn.batch_execute(
                "SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock(7324001); \
                 NOTIFY iom_lrg_changes",
            )?;
            f(conn)
        }),
        AnyConnection::Sqlite(_) => {
            // Writers of this process queue here rather than in SQLite's busy handler, which
            // sleeps with back-off (measured: 330 PATCH/s with the handler, see bench/).
            // Other processes (the CLI) still meet `busy_timeout`.
            let _turn = SQLITE_WRITER.lock().unwrap_or_else(|p| p.into_inner());
            conn.batch_execute("BEGIN IMMEDIATE")?;
            // A panic inside `f` must not hand the connection back to the pool mid-transaction.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *conn)));
            let outcome = match outcome {
                Ok(outcome) => outcome,
                Err(panic) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    std::panic::resume_unwind(panic)
                }
            };
            match outcome {
                Ok(value) => {
                    if let Err(e) = conn.batch_execute("COMMIT") {
                        let _ = conn.batch_execute("ROLLBACK");
                        return Err(e.into());
                    }
                    Ok(value)
                }
                Err(e) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

/// Runs `f` in a read transaction, so that a record and its relations (or a page, its count and
/// its embedded records) come from one snapshot: `REPEATABLE READ, READ ONLY` on PostgreSQL; on
/// SQLite (WAL) a deferred transaction reads one snapshot from its first read.
pub fn read_transaction<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let postgres = is_postgres(conn);
    conn.transaction(|conn| {
        if postgres {
            conn.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        }
        f(conn)
    })
}

/// Refreshes the planner's statistics, after bulk loads (generate, import): without them
/// SQLite may pick a poor plan for joins over a large table (a facet took 280 ms instead of
/// 45 ms at 100,000 programmes).
pub fn analyze(conn: &mut AnyConnection) -> QueryResult<()> {
    conn.batch_execute("ANALYZE")
}

/// The backend behind a connection, for the few queries that differ.
pub fn is_postgres(conn: &AnyConnection) -> bool {
    matches!(conn, AnyConnection::Postgresql(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_connections_never_create_a_missing_sqlite_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("with space?#%.db");
        let target = DatabaseTarget::Sqlite(path.clone());
        let error = Manager {
            target: target.clone(),
            create: false,
        }
        .connect();
        assert!(error.is_err());
        assert!(
            !path.exists(),
            "an opening pool connection must not create the file"
        );
        Manager {
            target,
            create: true,
        }
        .connect()
        .unwrap();
        assert!(
            path.exists(),
            "the first connection creates it, at the path given"
        );
    }

    #[test]
    fn database_urls_select_the_backend() {
        assert_eq!(
            DatabaseTarget::parse("data/x.db").unwrap(),
            DatabaseTarget::Sqlite("data/x.db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite://x.db").unwrap(),
            DatabaseTarget::Sqlite("x.db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("file:x.db").unwrap(),
            DatabaseTarget::Sqlite("x.db".into())
        );
        assert!(matches!(
            DatabaseTarget::parse("postgresql://u@h/db").unwrap(),
            DatabaseTarget::Postgres(_)
        ));
        assert!(DatabaseTarget::parse(":memory:").is_err());
        assert!(DatabaseTarget::parse("mysql://h/db").is_err());
        assert_eq!(
            DatabaseTarget::Postgres("postgres://u:secret@h/db".into()).redacted(),
            "postgres://u:***@h/db"
        );
    }
}
