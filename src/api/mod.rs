//! The HTTP API: the one route table (collected by utoipa, so the OpenAPI document and the routes
//! cannot drift), the helpers every resource shares, and one module per resource.

/// Declares `OutDoc`, `WriteDoc` and `PageDoc`: the collection's response, request and page
/// schemas, derived from its data type by [`docs::Out`], [`docs::Write`] and [`docs::Page`]
/// (utoipa refers to a component by a concrete type, so each module names its own).
macro_rules! wire_docs {
    ($collection:ty) => {
        wire_docs!(@one OutDoc, $crate::api::docs::Out<$collection>);
        wire_docs!(@one WriteDoc, $crate::api::docs::Write<$collection>);
        wire_docs!(@one PageDoc, $crate::api::docs::Page<$collection>);
    };
    (@one $name:ident, $derived:ty) => {
        #[doc = "A schema of the collection, derived from its data type."]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <$derived as utoipa::PartialSchema>::schema()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                <$derived as utoipa::ToSchema>::name()
            }
            fn schemas(
                schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                <$derived as utoipa::ToSchema>::schemas(schemas)
            }
        }
    };
}

/// Declares the routes of a collection around the generic handlers of [`collection`], with
/// their OpenAPI annotations, and `routes`, which registers them. Parameters that depend on the
/// collection (`sort`, `include`, `facets`, filters) are documented from the same declarations
/// the handlers parse with ([`docs::ListDoc`], [`docs::GetDoc`]), and bodies from the data type
/// (`docs::Out`, `docs::Write`, `docs::Page`, which the calling module imports: utoipa names a
/// body type by its last path segment).
macro_rules! collection_routes {
    ($($module:ident: $collection:ty, $path:literal, $tag:literal {
        $list:ident $list_doc:literal;
        $download:ident $download_path:literal $download_doc:literal;
        $get:ident $get_doc:literal;
        $create:ident $create_doc:literal;
        $update:ident $update_doc:literal;
        $delete:ident $delete_doc:literal;
    })*) => {$(
        #[doc = concat!("`/v1", $path, "`: the routes of the ", $tag, " tag.")]
        pub mod $module {
            use actix_web::{delete, get, patch, post};

            collection_routes!(@one $collection, $path, $tag,
                $list $list_doc, $download $download_path $download_doc, $get $get_doc, $create $create_doc, $update $update_doc,
                $delete $delete_doc);
        }
    )*};
    (@one $collection:ty, $path:literal, $tag:literal,
        $list:ident $list_doc:literal, $download:ident $download_path:literal $download_doc:literal,
        $get:ident $get_doc:literal,
        $create:ident $create_doc:literal, $update:ident $update_doc:literal,
        $delete:ident $delete_doc:literal) => {
        wire_docs!($collection);

        #[doc = $list_doc]
        #[utoipa::path(
            tag = $tag,
            security(()),
            params($crate::api::docs::ListDoc<$collection>, $crate::api::extract::Language),
            responses(
                (status = 200, description = "A page of records: JSON, or CSV (one row per record) with `Accept: text/csv`",
                    content((PageDoc = "application/json"), (String = "text/csv")), headers(
                    ("ETag" = String, description = "Strong entity tag of the page"),
                    ("Link" = String, description = "RFC 8288 link to the next page (rel=\"next\")"),
                    ("Content-Language" = String, description = "The language of the texts"),
                )),
                (status = 304, description = "Not modified (If-None-Match)"),
                $crate::api::ListErrors,
            )
        )]
        #[get("")]
        pub async fn $list(
            req: actix_web::HttpRequest,
            pool: actix_web::web::Data<$crate::db::Pool>,
            lang: $crate::api::extract::Language,
        ) -> Result<actix_web::HttpResponse, $crate::error::AppError> {
            $crate::api::collection::list::<$collection>(req, pool, lang).await
        }

        #[doc = $download_doc]
        #[utoipa::path(
            tag = $tag,
            security(()),
            params($crate::api::docs::DownloadDoc<$collection>, $crate::api::extract::Language),
            responses(
                (status = 200, description = "Every live record that matches, one CSV row each (the list's columns), written from one snapshot and streamed",
                    content_type = "text/csv", body = String, headers(
                    ("Content-Disposition" = String, description = "attachment; the file's name is the collection's"),
                    ("Content-Language" = String, description = "The language of the texts"),
                )),
                $crate::api::ListErrors,
            )
        )]
        #[get($download_path)]
        pub async fn $download(
            req: actix_web::HttpRequest,
            pool: actix_web::web::Data<$crate::db::Pool>,
            lang: $crate::api::extract::Language,
        ) -> Result<actix_web::HttpResponse, $crate::error::AppError> {
            $crate::api::collection::download::<$collection>(req, pool, lang).await
        }

        #[doc = $get_doc]
        #[utoipa::path(
            tag = $tag,
            security(()),
            params(
                ("id" = String, Path, description = "The record's id"),
                $crate::api::docs::GetDoc<$collection>,
                $crate::api::extract::Language,
            ),
            responses(
                (status = 200, description = "The record", body = OutDoc, headers(
                    ("ETag" = String, description = "Strong entity tag: version and language"),
                    ("Content-Language" = String, description = "The language of the texts"),
                )),
                (status = 304, description = "Not modified (If-None-Match)"),
                $crate::api::ReadErrors,
            )
        )]
        #[get("/{id}")]
        pub async fn $get(
            req: actix_web::HttpRequest,
            pool: actix_web::web::Data<$crate::db::Pool>,
            lang: $crate::api::extract::Language,
            id: actix_web::web::Path<String>,
        ) -> Result<actix_web::HttpResponse, $crate::error::AppError> {
            $crate::api::collection::get::<$collection>(req, pool, lang, id.into_inner()).await
        }

        #[doc = $create_doc]
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params($crate::api::extract::Language, $crate::api::extract::ContentLanguage, $crate::api::extract::IdempotencyKey),
            request_body(content = WriteDoc, content_type = "application/json"),
            responses(
                (status = 201, description = "Created", body = OutDoc, headers(
                    ("Location" = String, description = "The new record's URL"),
                    ("ETag" = String, description = "Strong entity tag"),
                )),
                $crate::api::CreateErrors,
            )
        )]
        #[post("")]
        pub async fn $create(
            write: $crate::api::collection::WriteRequest,
            idempotency_key: $crate::api::extract::IdempotencyKey,
            body: $crate::api::body::Body,
        ) -> Result<actix_web::HttpResponse, $crate::error::AppError> {
            $crate::api::collection::create::<$collection>(write, idempotency_key, body.0).await
        }

        #[doc = $update_doc]
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params(
                ("id" = String, Path, description = "The record's id"),
                $crate::api::extract::Language,
                $crate::api::extract::ContentLanguage,
                $crate::api::extract::IfMatch,
            ),
            request_body(content = WriteDoc, content_type = "application/merge-patch+json"),
            responses(
                (status = 200, description = "Updated", body = OutDoc, headers(("ETag" = String, description = "Strong entity tag"))),
                $crate::api::UpdateErrors,
            )
        )]
        #[patch("/{id}")]
        pub async fn $update(
            write: $crate::api::collection::WriteRequest,
            if_match: $crate::api::extract::IfMatch,
            id: actix_web::web::Path<String>,
            body: $crate::api::body::Body,
        ) -> Result<actix_web::HttpResponse, $crate::error::AppError> {
            $crate::api::collection::update::<$collection>(write, if_match, id.into_inner(), body.0)
                .await
        }

        #[doc = $delete_doc]
        #[utoipa::path(
            tag = $tag,
            security(("bearer" = [])),
            params(("id" = String, Path, description = "The record's id"), $crate::api::extract::IfMatch),
            responses((status = 204, description = "Deleted; the id stays taken"), $crate::api::DeleteErrors)
        )]
        #[delete("/{id}")]
        pub async fn $delete(
            key: $crate::api::extract::Writer,
            req: actix_web::HttpRequest,
            pool: actix_web::web::Data<$crate::db::Pool>,
            if_match: $crate::api::extract::IfMatch,
            id: actix_web::web::Path<String>,
        ) -> Result<actix_web::HttpResponse, $crate::error::AppError> {
            $crate::api::collection::delete::<$collection>(req, pool, key, if_match, id.into_inner())
                .await
        }

        /// Registers the collection's routes: the download beside, the others in a scope of
        /// the collection's path (the router then tells collections apart by a prefix instead
        /// of trying every collection's `{id}` pattern in turn, which was a tenth of a record
        /// read measured with perf). The handlers' paths are relative to that scope.
        pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service($download).service(
                utoipa_actix_web::scope::scope($path)
                    .service($list)
                    .service($create)
                    .service($get)
                    .service($update)
                    .service($delete),
            );
        }
    };
}

pub mod auth;
pub mod body;
pub mod cache;
pub mod changes;
pub mod collection;
pub mod conditional;
pub mod csv_out;
pub mod docs;
pub mod export;
pub mod extract;
pub mod iati;
pub mod institution;
pub mod keys;
pub mod lang;
pub mod listing;
pub mod metrics;
pub mod middleware;
pub mod rate_limit;
pub mod representation;
pub mod respond;
pub mod routes;
pub mod search;
pub mod service;
pub mod streams;
pub mod webhooks;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::{IntoResponses, ToSchema};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{AppError, Problem, problem_for_status, problem_response};

/// Registers every documented route: the service endpoints, then under `/v1` the feed, search,
/// export and keys, and every collection of the catalogue.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(service::root)
        .service(metrics::get_metrics)
        .service(service::health_live)
        .service(service::health_ready)
        .service(service::list_problems)
        .service(service::get_problem)
        .service(
            scope::scope("/v1")
                .service(changes::list_changes)
                .service(search::search_all)
                .service(export::export_all)
                .service(routes::events_calendar)
                .service(iati::activities_file)
                .service(iati::report)
                .configure(collection_routes)
                // After the collections, which are read far more often: each pattern with a
                // `{..}` here costs every request routed past it a regex match.
                .service(keys::create_key)
                .service(keys::list_keys)
                .service(keys::revoke_key)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::get_webhook)
                .service(webhooks::delete_webhook)
                .service(webhooks::rotate_webhook_secret)
                .service(webhooks::list_webhook_deliveries)
                .service(webhooks::retry_webhook_delivery),
        );
}

/// Registers a collection's routes: from [`routes`], or its own module for a singleton.
macro_rules! catalogue_routes {
    ($module:ident $cfg:ident []) => {
        routes::$module::routes($cfg)
    };
    ($module:ident $cfg:ident [singleton]) => {
        $module::routes($cfg)
    };
}

macro_rules! by_catalogue {
    ($($module:ident $name:literal ($ty:path) dataset $key:literal tag $tag:literal
        $description:literal [$($singleton:ident)?];)*) => {
        /// Registers the routes of every collection of the catalogue.
        fn collection_routes(cfg: &mut ServiceConfig) {
            $(catalogue_routes!($module cfg [$($singleton)?]);)*
        }

        /// Live records of `collection` among `ids`, rendered in `lang`, by id.
        pub fn render_live(
            conn: &mut crate::db::AnyConnection,
            collection: &str,
            ids: &[String],
            lang: lang::LangChoice,
        ) -> Result<std::collections::HashMap<String, serde_json::Value>, AppError> {
            if ids.is_empty() {
                return Ok(std::collections::HashMap::new());
            }
            Ok(match collection {
                $($name => collection::render_live::<$ty>(conn, ids, lang)?,)*
                _ => return Err(AppError::Internal(format!("no collection is called {collection}"))),
            })
        }

        /// What a collection's records can be read as beyond JSON (and CSV on lists).
        pub fn representations(collection: &str) -> &'static [crate::records::Representation] {
            match collection {
                $($name => <$ty as crate::records::Collection>::REPRESENTATIONS,)*
                _ => &[],
            }
        }

        /// The name of the schema of a collection's data type (`Programme`), whose `Out`,
        /// `Write`, `Patch`, `Page` and `Included` schemas the document derives.
        pub fn schema_name(collection: &str) -> Option<String> {
            match collection {
                $($name => Some(<$ty as utoipa::ToSchema>::name().into_owned()),)*
                _ => None,
            }
        }

        /// Every collection with a list under `/v1/{name}`, with the query parameters its list
        /// takes (for the check that the OpenAPI document lists exactly these).
        pub fn list_parameters() -> Vec<(&'static str, Vec<String>)> {
            let mut out = Vec::new();
            $(if !crate::records::catalogue::entry($name).is_some_and(|e| e.singleton) {
                out.push(($name, docs::list_parameter_names(&collection::spec::<$ty>())));
            })*
            out
        }
    };
}
crate::records::catalogue::catalogue!(by_catalogue);

/// The paths and methods the API serves, for telling a 405 from a 404.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    /// Reads the routes from the OpenAPI document, plus the undocumented ones (Swagger UI).
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, extra: &[(&str, &str)]) -> Self {
        let mut routes: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        let mut add = |path: &str, method: String| {
            let segments: Vec<String> = path
                .trim_matches('/')
                .split('/')
                .map(str::to_owned)
                .collect();
            match routes.iter_mut().find(|(s, _)| *s == segments) {
                Some((_, methods)) if !methods.contains(&method) => methods.push(method),
                Some(_) => {}
                None => routes.push((segments, vec![method])),
            }
        };
        for (path, item) in &doc.paths.paths {
            let value = serde_json::to_value(item).unwrap_or_default();
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if value.get(method).is_some() {
                    add(path, method.to_uppercase());
                }
            }
        }
        for (path, method) in extra {
            add(path, (*method).to_owned());
        }
        Self { routes }
    }

    /// The methods a path has, if the API serves it at all.
    pub fn methods(&self, path: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<Vec<String>> = None;
        for (pattern, methods) in &self.routes {
            let matches = pattern.len() == segments.len()
                && pattern
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()));
            if matches {
                let all = found.get_or_insert_with(Vec::new);
                all.extend(
                    methods
                        .iter()
                        .filter(|m| !all.contains(m))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        found
    }
}

/// Answers requests no route took: 405 with `Allow` when the path exists, 404 otherwise.
pub async fn fallback(req: HttpRequest, table: web::Data<RouteTable>) -> HttpResponse {
    match table.methods(req.path()) {
        // The path's pattern matches but its handler did not take the request (a trailing
        // slash, an id that is not one): not found rather than not allowed.
        Some(methods) if methods.iter().any(|m| m == req.method().as_str()) => {
            actix_web::ResponseError::error_response(&AppError::NotFound(format!(
                "nothing is served at {}",
                req.path()
            )))
        }
        Some(mut methods) => {
            // Every GET also answers HEAD (see `middleware::request_context`).
            if methods.iter().any(|m| m == "GET") {
                methods.push("HEAD".to_owned());
            }
            methods.sort();
            let allow = methods.join(", ");
            let problem = Problem {
                detail: format!(
                    "{} is not allowed on {}; allowed: {allow}",
                    req.method(),
                    req.path()
                ),
                ..problem_for_status(actix_web::http::StatusCode::METHOD_NOT_ALLOWED, None)
            };
            let mut response = problem_response(&problem);
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => actix_web::ResponseError::error_response(&AppError::NotFound(format!(
            "nothing is served at {}; see /openapi.json",
            req.path()
        ))),
    }
}

/// What every record carries besides its data (served as it is documented: `collection::render`
/// serialises this struct).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct RecordMeta {
    /// Languages this record lacks in the requested language (shown in English instead).
    pub missing_languages: Vec<crate::models::Lang>,
    /// When it was created (RFC 3339, UTC, microseconds).
    #[schema(example = "2024-01-25T00:00:00.000000Z", format = DateTime)]
    pub created_at: String,
    /// When it last changed.
    #[schema(example = "2024-01-25T00:00:00.000000Z", format = DateTime)]
    pub updated_at: String,
    /// 1 at creation, +1 per change.
    #[schema(example = 1, minimum = 1)]
    pub version: i32,
}

/// Values of `?lang=`.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LangParam {
    En,
    Fr,
    Es,
    All,
}

/// Errors of a list.
#[derive(IntoResponses)]
pub enum ListErrors {
    /// Unknown or bad query parameter, or a cursor from another query.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of reading one record.
#[derive(IntoResponses)]
pub enum ReadErrors {
    /// Unknown or bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No record has this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The record was deleted.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of a create.
#[derive(IntoResponses)]
pub enum CreateErrors {
    /// Not JSON, or a bad header or query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key lacks the `write` scope.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// The id is taken (or was used by a deleted record).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body did not arrive within the configured time (`--body-timeout`).
    #[response(status = 408, content_type = "application/problem+json")]
    RequestTimeout(Problem),
    /// The body is over the size limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body's Content-Type is not one the operation takes (`Accept-Post` or
    /// `Accept-Patch` names them).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// The body breaks the schema or a rule; `errors` lists every broken member.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of an update.
#[derive(IntoResponses)]
pub enum UpdateErrors {
    /// Not JSON, or a bad header or query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key lacks the `write` scope.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No record has this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Another write changed the record meanwhile (without If-Match); read it and retry.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The record was deleted.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// `If-Match` does not name the current version.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// The body did not arrive within the configured time (`--body-timeout`).
    #[response(status = 408, content_type = "application/problem+json")]
    RequestTimeout(Problem),
    /// The body is over the size limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body's Content-Type is not one the operation takes (`Accept-Post` or
    /// `Accept-Patch` names them).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// The result breaks the schema or a rule; `errors` lists every broken member.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of creating a key (admin).
#[derive(IntoResponses)]
pub enum AdminWriteErrors {
    /// Not JSON, or a bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key is not an admin key.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// A key with this name exists (or existed).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body did not arrive within the configured time (`--body-timeout`).
    #[response(status = 408, content_type = "application/problem+json")]
    RequestTimeout(Problem),
    /// The body is over the size limit.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// The body's Content-Type is not one the operation takes (`Accept-Post` or
    /// `Accept-Patch` names them).
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// A bad name or scope.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of listing keys (admin).
#[derive(IntoResponses)]
pub enum AdminReadErrors {
    /// A bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key is not an admin key.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of revoking a key (admin).
#[derive(IntoResponses)]
pub enum AdminDeleteErrors {
    /// A bad query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key is not an admin key.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No live key has this name.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// Errors of a delete.
#[derive(IntoResponses)]
pub enum DeleteErrors {
    /// A bad header or query parameter.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The API key lacks the `write` scope.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No record has this id.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Live records point to this one (`conflicts` names them).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The record was deleted already.
    #[response(status = 410, content_type = "application/problem+json")]
    Gone(Problem),
    /// `If-Match` does not name the current version.
    #[response(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Problem),
    /// Too many requests from this client; retry after `Retry-After`.
    #[response(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Problem),
    /// The database cannot be reached; retry after `Retry-After`.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}
