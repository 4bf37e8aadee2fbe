//! Builds the application from settings: opens the database (running migrations), binds the
//! listener and wires the HTTP server. Tests bind port 0 and read the port back.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use std::num::NonZeroU32;

use actix_cors::Cors;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{RequestHead, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, ErrorHandlers, Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use std::sync::Arc;

use crate::api::changes::KeepAlive;
use crate::api::listing::CursorKey;
use crate::api::metrics::Metrics;
use crate::api::middleware::request_context;
use crate::api::rate_limit::{RateLimits, rate_limit};
use crate::api::streams::StreamSlots;
use crate::api::webhooks::WebhookConfig;
use crate::api::{self, RouteTable};
use crate::config::Settings;
use crate::db::{self, DatabaseTarget, DbSetupError, Pool, PoolOptions};
use crate::error::render_framework_error;
use crate::openapi::ApiDoc;
use crate::push::watch::FeedWatch;
use crate::push::webhooks::{DeliverySettings, Worker};

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
    background: Background,
}

/// The application's own threads (the feed watcher and the webhook worker), stopped when the
/// application stops or its future is dropped.
struct Background {
    watch: Arc<FeedWatch>,
    worker: Option<Arc<Worker>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        self.watch.stop();
        if let Some(worker) = &self.worker {
            worker.stop();
        }
    }
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
        let io = |source| StartupError::Bind {
            addr: settings.bind.to_string(),
            source,
        };
        let target = DatabaseTarget::parse(&settings.database_url)?;
        let metrics = Metrics::new().map_err(|e| io(std::io::Error::other(e)))?;
        let watch = FeedWatch::start(&target).map_err(io)?;
        let worker = if settings.no_webhook_delivery {
            None
        } else {
            Some(
                Worker::start(
                    pool.clone(),
                    Arc::clone(&watch),
                    DeliverySettings {
                        allow_private: settings.webhook_allow_private,
                        retry_base: Duration::from_millis(settings.webhook_retry_base_ms),
                        retry_period: Duration::from_secs(settings.webhook_retry_period),
                    },
                    metrics.webhook_deliveries.clone(),
                )
                .map_err(io)?,
            )
        };
        let background = Background { watch, worker };
        let server = serve(
            listener,
            pool.clone(),
            cursor_key,
            settings,
            metrics,
            &background,
        )
        .map_err(io)?;
        Ok(Self {
            port,
            server,
            pool,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Serves until SIGTERM or SIGINT, then finishes in-flight requests (bounded) and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application {
            server, background, ..
        } = self;
        let result = server.await;
        drop(background);
        result
    }
}

fn serve(
    listener: TcpListener,
    pool: Pool,
    cursor_key: CursorKey,
    settings: &Settings,
    metrics: Metrics,
    background: &Background,
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
    let openapi_json =
        web::Data::new(api::service::OpenApiDocument::new(&doc).map_err(std::io::Error::other)?);
    drop(doc);
    let cache = web::Data::new(crate::api::cache::ResponseCache::new(
        settings.cache_entries,
        settings.cache_bytes,
        &DatabaseTarget::parse(&settings.database_url).map_err(std::io::Error::other)?,
        (!settings.cache_exact).then(|| Arc::clone(&background.watch)),
    ));
    let pool = web::Data::new(pool);
    let cursor_key = web::Data::new(cursor_key);
    let max_body = settings.max_body_bytes;
    let body_timeout = web::Data::new(api::body::BodyTimeout(std::time::Duration::from_secs(
        settings.body_timeout,
    )));
    let metrics = web::Data::new(metrics);
    let search_limits = web::Data::new(api::search::SearchLimits {
        broad: i64::from(settings.search_broad_records),
        count_cap: i64::from(settings.search_count_cap),
    });
    let watch = web::Data::from(Arc::clone(&background.watch));
    let slots = web::Data::new(StreamSlots::new(
        settings.streams_per_client as usize,
        settings.max_streams as usize,
    ));
    let keep_alive = web::Data::new(KeepAlive(Duration::from_secs(settings.stream_keep_alive)));
    let webhooks = web::Data::new(WebhookConfig {
        allow_private: settings.webhook_allow_private,
        worker: background.worker.clone(),
    });
    let rate_limits = (!settings.no_rate_limit).then(|| {
        web::Data::new(RateLimits::new(
            NonZeroU32::new(settings.read_rate_limit).unwrap_or(NonZeroU32::MIN),
            NonZeroU32::new(settings.write_rate_limit).unwrap_or(NonZeroU32::MIN),
        ))
    });
    let cors = CorsOrigins::new(&settings.cors_origins, &settings.cors_write_origins);
    let origins = web::Data::new(cors.clone());
    let write_timeout = Duration::from_secs(settings.write_timeout);
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
            .app_data(origins.clone())
            .app_data(watch.clone())
            .app_data(slots.clone())
            .app_data(keep_alive.clone())
            .app_data(webhooks.clone())
            .app_data(search_limits.clone())
            .route(
                "/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("Location", "/docs/"))
                        .finish()
                }),
            )
            .app_data(openapi_json.clone())
            .route(
                "/openapi.json",
                web::get().to(api::service::openapi_document),
            )
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    .config(utoipa_swagger_ui::Config::from("/openapi.json")),
            )
            .default_service(web::to(api::fallback))
            // Inner to outer: rate limits; CORS (so a 429 carries CORS headers and a browser
            // app can read its Retry-After); the origin guard (a refused origin gets a 403 and
            // nothing runs); problem+json for every error; compression of whatever body is
            // final (an error's included, so `Content-Encoding` never lies); problem+json again
            // for compression's own 406; then the request id, log line, metrics, merged `Vary`
            // and security headers around everything.
            .wrap(from_fn(rate_limit))
            .wrap(cors.middleware())
            .wrap(from_fn(origin_guard))
            .wrap(ErrorHandlers::new().default_handler(render_framework_error))
            .wrap(Compress::default())
            .wrap(from_fn(uncompressed_streams))
            .wrap(ErrorHandlers::new().default_handler(render_framework_error))
            .wrap(from_fn(request_context))
    })
    .on_connect(move |connection, _| drop_stalled_after(connection, write_timeout))
    .shutdown_timeout(settings.shutdown_timeout)
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers.into());
    }
    Ok(server.run())
}

/// Event streams go out uncompressed: a compressor holds bytes back until it has enough, and
/// an event must reach the client when it happens. Removing `Accept-Encoding` from a request
/// for `text/event-stream` before `Compress` sees it leaves the stream as it is.
async fn uncompressed_streams(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let streams = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.to_ascii_lowercase().contains("text/event-stream"));
    if streams {
        req.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    next.call(req).await
}

/// Refuses, with a 403 of its own problem type and before anything runs, a browser request
/// (or its preflight) from an origin that may not make it. Same-origin requests pass.
async fn origin_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(origins) = req.app_data::<web::Data<CorsOrigins>>()
        && let Some(origin) = req.headers().get(header::ORIGIN)
        && let Some(detail) = origins.refusal(origin, req.head())
    {
        return Ok(req.error_response(crate::error::AppError::CrossOrigin(detail)));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Has the kernel drop a connection whose sent data stays unacknowledged, or whose peer keeps
/// its receive window shut, for `timeout` (TCP_USER_TIMEOUT): a client that asks for a large
/// response and never reads it frees what it held. Linux only; elsewhere the OS default holds.
fn drop_stalled_after(connection: &dyn std::any::Any, timeout: Duration) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
        && let Err(error) = socket2::SockRef::from(tcp).set_tcp_user_timeout(Some(timeout))
    {
        tracing::debug!(%error, "TCP_USER_TIMEOUT could not be set");
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = (connection, timeout);
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

    /// Whether `origin` is the service's own (a page it served, such as Swagger UI): the
    /// origin's host and port are the request's `Host`. Behind a proxy, the proxy passes `Host`
    /// through (or the public origin is listed in the write origins).
    fn same_origin(origin: &str, head: &RequestHead) -> bool {
        let host = head
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| head.uri.authority().map(|a| a.as_str()));
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        matches!((host, authority), (Some(host), Some(authority)) if !host.is_empty() && authority.eq_ignore_ascii_case(host))
    }

    fn allows(&self, origin: &HeaderValue, head: &RequestHead) -> bool {
        let origin = origin.to_str().unwrap_or("");
        if Self::same_origin(origin, head) {
            return true;
        }
        if Self::writes(head) {
            self.writers.iter().any(|o| o == origin)
        } else {
            self.any_reader
                || self.readers.iter().any(|o| o == origin)
                || self.writers.iter().any(|o| o == origin)
        }
    }

    /// Why a request from `origin` is refused, when it is.
    fn refusal(&self, origin: &HeaderValue, head: &RequestHead) -> Option<String> {
        if self.allows(origin, head) {
            return None;
        }
        let origin = String::from_utf8_lossy(origin.as_bytes());
        Some(if Self::writes(head) {
            format!(
                "writes are taken from the service's own pages and the origins its operator lists (--cors-write-origins); '{origin}' is not one of them"
            )
        } else {
            format!(
                "reads are taken from the origins the operator lists (--cors-origins); '{origin}' is not one of them"
            )
        })
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
                header::HeaderName::from_static("last-event-id"),
                header::HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([
                header::CONTENT_LANGUAGE,
                header::ETAG,
                header::LINK,
                header::LOCATION,
                header::RETRY_AFTER,
                header::HeaderName::from_static("x-request-id"),
                header::HeaderName::from_static("events-without-day"),
                header::HeaderName::from_static("iati-left-out"),
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
