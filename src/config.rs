//! Settings, from command-line flags and their environment-variable twins (clap), no globals.

use std::net::SocketAddr;

use clap::{Parser, Subcommand, ValueEnum};

/// The default SQLite database file.
pub const DEFAULT_DATABASE: &str = "data/iom-lrg.db";

/// Serves IOM's work with local and regional governments as a REST/JSON API.
///
/// With no subcommand it serves (as `serve`). Every flag has an environment twin.
#[derive(Debug, Clone, Parser)]
#[command(name = "iom-lrg-api", version, about, long_about = None, args_override_self = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

/// What to do.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (the committed openapi/openapi.json is this output).
    Openapi,
    /// Load the built-in dataset: creates the records whose ids were never used, keeps the rest.
    Seed {
        /// Also give the dataset's version (its corrections) to every live record that only
        /// the dataset ever wrote; records edited through the API or deleted are kept. Each
        /// update is a change-feed entry.
        #[arg(long)]
        update: bool,
    },
    /// Manage API keys (writes need one).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write the whole dataset, every language, deleted records too, as NDJSON stamped with
    /// the change-feed seq it was taken at.
    Export {
        /// The file to write (`-` for standard output).
        file: std::path::PathBuf,
    },
    /// Load an export (NDJSON) or a dataset (JSON, like dataset/iom-lrg.json): every record
    /// is validated first and every problem reported; then all are written, or none.
    Import {
        /// The file to read.
        file: std::path::PathBuf,
    },
    /// Write a synthetic dataset for benchmarks and scale tests (deterministic for a seed):
    /// the built-in dataset if the database is new, then generated organisations and programmes.
    Generate {
        /// How many programmes to generate.
        #[arg(long)]
        programmes: u64,
        /// The random seed: the same seed gives the same records.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// API key management.
#[derive(Debug, Clone, Subcommand)]
pub enum KeysCommand {
    /// Create a key; it is printed once, alone on the last line.
    Create {
        /// The key's name (a slug such as `city-portal`); names are never reused.
        #[arg(long)]
        name: String,
        /// `write` (create, update, delete records) or `admin` (also manage keys).
        #[arg(long, value_parser = ["write", "admin"])]
        scope: String,
    },
    /// List keys (never the keys themselves).
    List,
    /// Revoke a key by name; it stops working at once.
    Revoke {
        /// The key's name.
        name: String,
    },
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Every setting of the service.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "BIND_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// The database: a SQLite file path (or sqlite://PATH, file:PATH), or a postgres:// URL.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,

    /// Log format.
    #[arg(
        long,
        env = "IOM_LRG_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    /// Log filter (tracing's EnvFilter syntax, e.g. `info` or `iom_lrg_api=debug`).
    #[arg(long, env = "IOM_LRG_LOG_LEVEL", default_value = "info", global = true)]
    pub log_level: String,

    /// Largest request body, in bytes.
    #[arg(
        long,
        env = "IOM_LRG_MAX_BODY_BYTES",
        default_value_t = 262_144,
        global = true
    )]
    pub max_body_bytes: usize,

    /// Most database connections in the pool (SQLite uses at most 8).
    #[arg(long, env = "IOM_LRG_POOL_SIZE", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=256), global = true)]
    pub pool_size: u32,

    /// How long a request waits for a database connection before answering 503, in milliseconds.
    #[arg(long, env = "IOM_LRG_DB_TIMEOUT_MS", default_value_t = 3000, value_parser = clap::value_parser!(u64).range(100..=60_000), global = true)]
    pub db_timeout_ms: u64,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "IOM_LRG_WORKERS", value_parser = clap::value_parser!(u16).range(1..=256), global = true)]
    pub workers: Option<u16>,

    /// Do not load the built-in dataset into a new, empty database at start.
    #[arg(long, env = "IOM_LRG_NO_SEED", global = true)]
    pub no_seed: bool,

    /// Turn rate limiting off.
    #[arg(long, env = "IOM_LRG_NO_RATE_LIMIT", global = true)]
    pub no_rate_limit: bool,

    /// Units of reads (GET, HEAD, OPTIONS) one client address may spend per minute: a plain
    /// read costs one, a costlier one more (docs/API.md, "Rate limits").
    #[arg(long, env = "IOM_LRG_READ_RATE_LIMIT", default_value_t = 1200, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub read_rate_limit: u32,

    /// Units of writes one client address may spend per minute.
    #[arg(long, env = "IOM_LRG_WRITE_RATE_LIMIT", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub write_rate_limit: u32,

    /// Origins allowed to read from a browser (comma-separated), or `*` for any.
    #[arg(
        long,
        env = "IOM_LRG_CORS_ORIGINS",
        default_value = "*",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,

    /// Origins allowed to write from a browser (comma-separated); none by default.
    #[arg(
        long,
        env = "IOM_LRG_CORS_WRITE_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_write_origins: Vec<String>,

    /// A TOML file of settings (keys are the flag names: `bind = "0.0.0.0:8080"`); flags and
    /// environment variables win over it.
    #[arg(long, env = "IOM_LRG_CONFIG", global = true)]
    pub config: Option<std::path::PathBuf>,

    /// Rendered read responses kept in memory (0 turns the cache off). Entries stay exact:
    /// each is served only while the change feed has not moved (see docs/API.md).
    #[arg(
        long,
        env = "IOM_LRG_CACHE_ENTRIES",
        default_value_t = 10_000,
        global = true
    )]
    pub cache_entries: usize,

    /// Most bytes of response bodies the cache keeps.
    #[arg(
        long,
        env = "IOM_LRG_CACHE_BYTES",
        default_value_t = 32 * 1024 * 1024,
        global = true
    )]
    pub cache_bytes: usize,

    /// On PostgreSQL, check every cached read's stamp with a query, so that a write through
    /// another instance is seen by the very next read here. Without it, an instance trusts its
    /// feed watcher's view of the head (LISTEN/NOTIFY): another instance's writes are seen
    /// within milliseconds, at most 2 s (docs/API.md, "Response cache"). This instance's own
    /// writes are seen at once either way, and SQLite is exact either way.
    #[arg(long, env = "IOM_LRG_CACHE_EXACT", global = true)]
    pub cache_exact: bool,

    /// Records a word of a search may be held by before the search is broad: its hits then
    /// come most recently indexed first (`ranked_by: "recency"`) instead of by relevance, whose
    /// cost grows with every record holding the word.
    #[arg(long, env = "IOM_LRG_SEARCH_BROAD_RECORDS", default_value_t = crate::models::search::BROAD_RECORDS as u32, value_parser = clap::value_parser!(u32).range(1..=10_000_000), global = true)]
    pub search_broad_records: u32,

    /// Hits a search counts at most for `count=true` and `facets=collection` (past it,
    /// `meta.total_relation` is `gte` and the facets count the most recently indexed hits).
    #[arg(long, env = "IOM_LRG_SEARCH_COUNT_CAP", default_value_t = crate::models::search::COUNT_CAP as u32, value_parser = clap::value_parser!(u32).range(1..=10_000_000), global = true)]
    pub search_count_cap: u32,

    /// Seconds a client has to send a request's whole body; one that trickles it slower gets a
    /// 408 and the connection is closed.
    #[arg(
        long,
        env = "IOM_LRG_BODY_TIMEOUT",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub body_timeout: u64,

    /// Seconds a client may leave what the service sent it unread (its receive window shut, or
    /// the data unacknowledged) before the connection is dropped (TCP_USER_TIMEOUT, on Linux):
    /// a client that asks for a large response and never reads it does not hold it forever.
    #[arg(
        long,
        env = "IOM_LRG_WRITE_TIMEOUT",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub write_timeout: u64,

    /// Event streams and waiting long polls of `/v1/changes` one client address may hold.
    #[arg(long, env = "IOM_LRG_STREAMS_PER_CLIENT", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=10_000), global = true)]
    pub streams_per_client: u32,

    /// Event streams and waiting long polls the instance holds at most.
    #[arg(long, env = "IOM_LRG_MAX_STREAMS", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=100_000), global = true)]
    pub max_streams: u32,

    /// Seconds between keep-alive comments on an idle event stream (at most 15).
    #[arg(long, env = "IOM_LRG_STREAM_KEEP_ALIVE", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=15), global = true)]
    pub stream_keep_alive: u64,

    /// Let webhooks deliver to loopback, private and link-local addresses (refused by
    /// default: a subscription must not reach the service's own network).
    #[arg(long, env = "IOM_LRG_WEBHOOK_ALLOW_PRIVATE", global = true)]
    pub webhook_allow_private: bool,

    /// Milliseconds before the first retry of a failed delivery; retry n waits about this
    /// times 2^(n-1), within ±20 %, at most an hour.
    #[arg(long, env = "IOM_LRG_WEBHOOK_RETRY_BASE_MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=3_600_000), global = true)]
    pub webhook_retry_base_ms: u64,

    /// Seconds a failing entry is retried before its subscription is marked failing (and
    /// delivery pauses until a retry is asked for); 72 hours by default.
    #[arg(long, env = "IOM_LRG_WEBHOOK_RETRY_PERIOD", default_value_t = 259_200, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub webhook_retry_period: u64,

    /// Do not deliver webhooks from this instance (others on the database do).
    #[arg(long, env = "IOM_LRG_NO_WEBHOOK_DELIVERY", global = true)]
    pub no_webhook_delivery: bool,

    /// Seconds to finish in-flight requests after SIGTERM or SIGINT.
    #[arg(
        long,
        env = "IOM_LRG_SHUTDOWN_TIMEOUT",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_timeout: u64,
}

impl Cli {
    /// Reads the command line and the environment, then the config file (if any) for the
    /// settings neither gave.
    pub fn load() -> Result<Cli, LoadError> {
        Self::load_from(std::env::args_os().collect())
    }

    /// [`Cli::load`] with explicit arguments (the first is the program name).
    pub fn load_from(args: Vec<std::ffi::OsString>) -> Result<Cli, LoadError> {
        use clap::parser::ValueSource;
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().try_get_matches_from(&args)?;
        let cli = Cli::from_arg_matches(&matches)?;
        let Some(path) = cli.settings.config.clone() else {
            return Ok(cli);
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            LoadError::Config(format!(
                "cannot read the config file {}: {e}",
                path.display()
            ))
        })?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            LoadError::Config(format!(
                "the config file {} is not valid TOML: {e}",
                path.display()
            ))
        })?;
        let command = Cli::command();
        let mut from_file: Vec<std::ffi::OsString> = Vec::new();
        for (key, value) in table {
            let id = key.replace('-', "_");
            let Some(arg) = command
                .get_arguments()
                .find(|a| a.get_id() == id.as_str() && a.get_long().is_some() && id != "config")
            else {
                return Err(LoadError::Config(format!(
                    "the config file {} has an unknown setting '{key}'",
                    path.display()
                )));
            };
            if !matches!(
                matches.value_source(&id),
                None | Some(ValueSource::DefaultValue)
            ) {
                continue; // given on the command line or in the environment
            }
            let flag = format!("--{}", arg.get_long().unwrap_or_default());
            match value {
                toml::Value::Boolean(true) => from_file.push(flag.into()),
                toml::Value::Boolean(false) => {}
                toml::Value::String(s) => from_file.extend([flag.into(), s.into()]),
                toml::Value::Integer(n) => from_file.extend([flag.into(), n.to_string().into()]),
                toml::Value::Array(items) => {
                    let items: Vec<String> = items
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect();
                    from_file.extend([flag.into(), items.join(",").into()]);
                }
                other => {
                    return Err(LoadError::Config(format!(
                        "the config file {} gives '{key}' an unusable value {other}",
                        path.display()
                    )));
                }
            }
        }
        let mut merged = vec![args.first().cloned().unwrap_or_default()];
        merged.extend(from_file);
        merged.extend(args.into_iter().skip(1));
        Ok(Cli::try_parse_from(merged)?)
    }
}

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A bad flag, or `--help` / `--version` (which clap prints and exits on).
    #[error(transparent)]
    Clap(#[from] clap::Error),
    /// The config file cannot be read or used.
    #[error("{0}")]
    Config(String),
}

impl Settings {
    /// Settings for tests and embedding: defaults with the given database and bind address.
    pub fn new(database_url: impl Into<String>, bind: SocketAddr) -> Self {
        let mut settings = Cli::parse_from(["iom-lrg-api"]).settings;
        settings.database_url = database_url.into();
        settings.bind = bind;
        settings
    }
}
