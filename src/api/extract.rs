//! What handlers take from a request, parsed once: the negotiated language, the language of a
//! write's texts, `If-Match`, the API key; and the query string of single-record endpoints.
//! Handlers and the response cache use these and never read those headers themselves.

use std::future::{Ready, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use super::auth;
use super::lang::{self, LangChoice};
use crate::db::{AnyConnection, Pool};
use crate::error::AppError;
use crate::models::Lang;
use crate::models::key::ApiKey;

/// The language a read is rendered in: `?lang=` first, else `Accept-Language`, else English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language(pub LangChoice);

impl Language {
    /// Negotiates the language of a request (a bad `?lang=` is a 400).
    pub fn of(req: &HttpRequest) -> Result<Self, AppError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
        let param = pairs
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        lang::negotiate(req, param).map(Language)
    }
}

impl FromRequest for Language {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Language::of(req))
    }
}

/// The language of a write's plain-string texts: `Content-Language`, default English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentLanguage(pub Lang);

impl FromRequest for ContentLanguage {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(lang::content_language(req).map(ContentLanguage))
    }
}

/// The entity tags of `If-Match` (empty when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IfMatch(pub Vec<String>);

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut given = req.headers().get_all(header::IF_MATCH).peekable();
        if given.peek().is_none() {
            return ready(Ok(IfMatch::default()));
        }
        let tags: Vec<String> = given.flat_map(super::conditional::tags).collect();
        ready(if tags.is_empty() {
            // Present but unreadable: the client asked for a condition, so it cannot hold.
            Err(AppError::PreconditionFailed(
                "If-Match carries no entity tag this API can read".into(),
            ))
        } else {
            Ok(IfMatch(tags))
        })
    }
}

/// The API key of a write: a key with the `write` scope (401 without one, 403 with a key that
/// lacks it). Authentication comes before anything else a write does.
#[derive(Debug, Clone)]
pub struct Writer(pub ApiKey);

/// The API key of a key-management request: an `admin` key.
#[derive(Debug, Clone)]
pub struct Admin(pub ApiKey);

/// The API key a read presents, if any (a bad one is a 401).
#[derive(Debug, Clone)]
pub struct Reader(pub Option<ApiKey>);

type KeyFuture<T> = Pin<Box<dyn std::future::Future<Output = Result<T, AppError>>>>;

fn pool(req: &HttpRequest) -> Result<web::Data<Pool>, AppError> {
    req.app_data::<web::Data<Pool>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("the application has no database pool".into()))
}

impl FromRequest for Writer {
    type Error = AppError;
    type Future = KeyFuture<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(Writer(auth::require(&req, &pool(&req)?, "write").await?)) })
    }
}

impl FromRequest for Admin {
    type Error = AppError;
    type Future = KeyFuture<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(Admin(auth::require(&req, &pool(&req)?, "admin").await?)) })
    }
}

impl FromRequest for Reader {
    type Error = AppError;
    type Future = KeyFuture<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(Reader(auth::optional(&req, &pool(&req)?).await?)) })
    }
}

/// Runs database work on the blocking pool, off the async executor.
pub async fn run<T, F>(pool: &web::Data<Pool>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Runs a short read (one record by key) on the worker thread itself when the database is
/// embedded SQLite and a connection is idle: the hop to the blocking pool and back costs more
/// than the read (measured; see bench/RESULTS.md). Anything else goes through [`run`]:
/// PostgreSQL (a network round trip must not stall the worker) or a busy pool.
pub async fn run_short<T, F>(pool: &web::Data<Pool>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
{
    if let Some(mut conn) = pool.try_get()
        && matches!(*conn, AnyConnection::Sqlite(_))
    {
        return f(&mut conn);
    }
    run(pool, f).await
}

/// The query string of a single-record endpoint: only the named parameters, each once.
pub fn single_query(
    req: &HttpRequest,
    allowed: &[&str],
) -> Result<Vec<(String, String)>, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
    for (i, (name, _)) in pairs.iter().enumerate() {
        if !allowed.contains(&name.as_str()) {
            let takes = if allowed.is_empty() {
                "no parameters".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(AppError::InvalidQuery(format!(
                "unknown query parameter '{name}'; this endpoint takes {takes}"
            )));
        }
        if pairs[..i].iter().any(|(n, _)| n == name) {
            return Err(AppError::InvalidQuery(format!(
                "{name} is given more than once"
            )));
        }
    }
    Ok(pairs)
}

/// The value of a parameter from [`single_query`].
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
