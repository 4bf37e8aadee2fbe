//! Settings, from command-line flags and their environment-variable twins (clap), no globals.

use std::net::SocketAddr;

use clap::{Parser, Subcommand, ValueEnum};

/// The default SQLite database file.
pub const DEFAULT_DATABASE: &str = "data/iom-lrg.db";

/// Serves IOM's work with local and regional governments as a REST/JSON API.
///
/// With no subcommand it serves (as `serve`). Every flag has an environment twin.
#[derive(Debug, Clone, Parser)]
#[command(name = "iom-lrg-api", version, about, long_about = None)]
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
    Seed,
    /// Manage API keys (writes need one).
    #[command(subcommand)]
    Keys(KeysCommand),
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

    /// Seconds to finish in-flight requests after SIGTERM or SIGINT.
    #[arg(
        long,
        env = "IOM_LRG_SHUTDOWN_TIMEOUT",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_timeout: u64,
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
