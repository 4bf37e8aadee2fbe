//! Builds the application from settings: opens the database (running migrations), binds the
//! listener and wires the HTTP server. Tests bind port 0 and read the port back.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, ErrorHandlers, Logger};
use actix_web::{App, HttpResponse, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::listing::CursorKey;
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
    Seed(#[from] crate::dataset::SeedError),
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
    db::open(
        &target,
        &PoolOptions {
            max_size: settings.pool_size,
            connection_timeout: Duration::from_millis(settings.db_timeout_ms),
        },
    )
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
            && let Some(report) = crate::dataset::seed_if_new(&mut *pool.get()?)?
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
    let pool = web::Data::new(pool);
    let cursor_key = web::Data::new(cursor_key);
    let max_body = settings.max_body_bytes;
    let mut server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .configure(api::routes)
            .split_for_parts();
        app.app_data(pool.clone())
            .app_data(cursor_key.clone())
            .app_data(routes.clone())
            .app_data(web::PayloadConfig::new(max_body))
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
            .wrap(ErrorHandlers::new().default_handler(render_framework_error))
            .wrap(Compress::default())
            .wrap(Logger::new("%a \"%r\" %s %b %Dms"))
    })
    .shutdown_timeout(settings.shutdown_timeout)
    .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers.into());
    }
    Ok(server.run())
}
