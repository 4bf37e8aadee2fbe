//! Builds the application from settings: opens the database (running migrations), binds the
//! listener and wires the HTTP server. Tests bind port 0 and read the port back.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use std::num::NonZeroU32;

use actix_cors::Cors;
use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::listing::CursorKey;
use crate::api::metrics::Metrics;
use crate::api::middleware::request_context;
use crate::api::rate_limit::{RateLimits, rate_limit};
use crate::api::{self, RouteTable};
use crate::config::Settings;
use crate::db::{self, DatabaseTarget, DbSetupError, Pool, PoolOptions};
use crate::error::render_framework_error;
use crate::openapi::ApiDoc;

/// Why the service could not start; each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbSetupError),
    #[error("cannot load the built-in dataset: {0}")]
    Seed(#[from] crate::records::dataset::SeedError),
    #[error("the database is unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("the database failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Opens the database named by the settings, running pending migrations.
pub fn open_database(settings: &Settings) -> Result<Pool, DbSetupError> {
    let target = DatabaseTarget::parse(&settings.database_url)?;
    let pool = db::open(
        &target,
        &PoolOptions {
            max_size: settings.pool_size,
            connection_timeout: Duration::from_millis(settings.db_timeout_ms),
        },
    )?;
    // A database migrated from before full-text search has records but no index yet.
    let mut conn = pool
        .get()
        .map_err(|e| DbSetupError::Migrations(e.to_string()))?;
    let indexed = crate::records::transfer::reindex_if_empty(&mut conn)
        .map_err(|e| DbSetupError::Migrations(format!("indexing for search: {e}")))?;
    if indexed > 0 {
        tracing::info!(records = indexed, "indexed existing records for search");
    }
    Ok(pool)
}

/// A built, bound application, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
}

impl Application {
    /// Opens the database and binds the listener; nothing is served until [`Application::run_until_stopped`].
    pub fn build(settings: &Settings) -> Result<Self, StartupError> {
        let pool = open_database(settings)?;
        if !settings.no_seed
            && let Some(report) = crate::records::dataset::seed_if_new(&mut *pool.get()?)?
        {
            tracing::info!(
                created = report.created,
                "loaded the built-in dataset into the new database"
            );
        }
        let cursor_key = CursorKey(
            crate::models::secret::get_or_create(&mut *pool.get()?, "cursor-signing")?.into_bytes(),
        );
        let listener = TcpListener::bind(settings.bind).map_err(|source| StartupError::Bind {
            addr: settings.bind.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or(settings.bind.port());
        let server = serve(listener, pool.clone(), cursor_key, settings).map_err(|source| {
            StartupError::Bind {
                addr: settings.bind.to_string(),
                source,
            }
        })?;
        Ok(Self { port, server, pool })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Serves until SIGTERM or SIGINT, then finishes in-flight requests (bounded) and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn serve(
    listener: TcpListener,
    pool: Pool,
    cursor_key: CursorKey,
    settings: &Settings,
) -> std::io::Result<Server> {
    let doc = crate::openapi::document();
    let routes = web::Data::new(RouteTable::from_openapi(
        &doc,
        &[
            ("/docs", "GET"),
            ("/docs/{path}", "GET"),
            ("/openapi.json", "GET"),
        ],
    ));
    let cache = web::Data::new(crate::api::cache::ResponseCache::new(
        settings.cache_entries,
        settings.cache_bytes,
        &DatabaseTarget::parse(&settings.database_url).map_err(std::io::Error::other)?,
    ));
    let pool = web::Data::new(pool);
    let cursor_key = web::Data::new(cursor_key);
    let max_body = settings.max_body_bytes;
    let body_timeout = web::Data::new(api::body::BodyTimeout(std::time::Duration::from_secs(
        settings.body_timeout,
    )));
    let metrics = web::Data::new(Metrics::new().map_err(std::io::Error::other)?);
    let rate_limits = (!settings.no_rate_limit).then(|| {
        web::Data::new(RateLimits::new(
            NonZeroU32::new(settings.read_rate_limit).unwrap_or(NonZeroU32::MIN),
            NonZeroU32::new(settings.write_rate_limit).unwrap_or(NonZeroU32::MIN),
        ))
    });
    let cors = CorsOrigins::new(&settings.cors_origins, &settings.cors_write_origins);
    let mut server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .configure(api::routes)
            .split_for_parts();
        let app = match &rate_limits {
            Some(limits) => app.app_data(limits.clone()),
            None => app,
        };
        app.app_data(pool.clone())
            .app_data(metrics.clone())
            .app_data(cursor_key.clone())
            .app_data(cache.clone())
            .app_data(routes.clone())
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(body_timeout.clone())
            .route(
                "/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("Location", "/docs/"))
                        .finish()
                }),
            )
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", doc.clone()))
            .default_service(web::to(api::fallback))
            // Inner to outer: compress, rate limits, CORS (so a 429 carries CORS headers and a
            // browser app can read its Retry-After), problem+json for every error, then the
            // request id, log line, metrics and security headers around everything.
            .wrap(Compress::default())
            .wrap(from_fn(rate_limit))
            .wrap(cors.middleware())
            .wrap(ErrorHandlers::new().default_handler(render_framework_error))
            .wrap(from_fn(request_context))
    })
    .shutdown_timeout(settings.shutdown_timeout)
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers.into());
    }
    Ok(server.run())
}

/// Which browser origins may read and write (CORS): reads from the configured origins (any by
/// default), writes only from the write origins (none by default).
#[derive(Debug, Clone)]
struct CorsOrigins {
    any_reader: bool,
    readers: Vec<String>,
    writers: Vec<String>,
}

impl CorsOrigins {
    fn new(readers: &[String], writers: &[String]) -> Self {
        let clean = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect()
        };
        let readers = clean(readers);
        CorsOrigins {
            any_reader: readers.iter().any(|o| o == "*"),
            readers,
            writers: clean(writers),
        }
    }

    /// Whether a request (or the one a preflight announces) writes.
    fn writes(head: &RequestHead) -> bool {
        let method = if head.method == actix_web::http::Method::OPTIONS {
            head.headers
                .get(header::ACCESS_CONTROL_REQUEST_METHOD)
                .and_then(|m| m.to_str().ok())
                .unwrap_or("GET")
                .to_owned()
        } else {
            head.method.to_string()
        };
        !matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }

    fn allows(&self, origin: &HeaderValue, head: &RequestHead) -> bool {
        let origin = origin.to_str().unwrap_or("");
        if Self::writes(head) {
            self.writers.iter().any(|o| o == origin)
        } else {
            self.any_reader
                || self.readers.iter().any(|o| o == origin)
                || self.writers.iter().any(|o| o == origin)
        }
    }

    fn middleware(&self) -> Cors {
        let origins = self.clone();
        Cors::default()
            .allowed_origin_fn(move |origin, head| origins.allows(origin, head))
            .allowed_methods(["GET", "HEAD", "POST", "PATCH", "DELETE"])
            .allowed_headers([
                header::ACCEPT,
                header::ACCEPT_LANGUAGE,
                header::AUTHORIZATION,
                header::CONTENT_LANGUAGE,
                header::CONTENT_TYPE,
                header::IF_MATCH,
                header::IF_NONE_MATCH,
                header::HeaderName::from_static("idempotency-key"),
                header::HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([
                header::CONTENT_LANGUAGE,
                header::ETAG,
                header::LINK,
                header::LOCATION,
                header::RETRY_AFTER,
                header::HeaderName::from_static("x-request-id"),
                header::HeaderName::from_static("ratelimit-limit"),
                header::HeaderName::from_static("ratelimit-remaining"),
                header::HeaderName::from_static("ratelimit-reset"),
            ])
            .max_age(3600)
            // Refuse (400) a request from an origin that may not make it, rather than run it
            // and only hide the answer from the page: a write must not happen at all.
            .block_on_origin_mismatch(true)
    }
}
