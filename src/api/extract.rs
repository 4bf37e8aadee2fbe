//! What handlers take from a request, parsed once: the negotiated language, the language of a
//! write's texts, `If-Match`, the API key; and the query string of single-record endpoints.
//! Handlers and the response cache use these and never read those headers themselves.

use std::future::{Ready, ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Required};

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

/// A documented parameter of these extractors.
fn parameter(
    name: &str,
    location: ParameterIn,
    description: &str,
    example: &str,
    schema: RefOr<utoipa::openapi::schema::Schema>,
) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(location)
        .required(Required::False)
        .description(Some(description))
        .example(Some(serde_json::Value::String(example.to_owned())))
        .schema(Some(schema))
        .build()
}

fn string() -> RefOr<utoipa::openapi::schema::Schema> {
    ObjectBuilder::new().schema_type(Type::String).into()
}

/// The `Accept-Language` header [`Language`] reads (for endpoints that document `lang`
/// themselves, such as search).
pub struct AcceptLanguage;

impl IntoParams for AcceptLanguage {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "Accept-Language",
            ParameterIn::Header,
            "Preferred languages, with q-values; en, fr and es are served, English is the fallback",
            "fr-CH, fr;q=0.9, en;q=0.8",
            string(),
        )]
    }
}

impl IntoParams for Language {
    fn into_params(provider: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let mut out = vec![parameter(
            "lang",
            ParameterIn::Query,
            "The language of the texts (overrides Accept-Language): en, fr, es, or all (every text as an object of languages)",
            "fr",
            RefOr::Ref(utoipa::openapi::Ref::from_schema_name("LangParam")),
        )];
        out.extend(AcceptLanguage::into_params(provider));
        out
    }
}

/// The language parameters of a read that is in one language only (a calendar: an event has
/// one summary): `lang` takes en, fr or es (`all` is a 400 there), with `Accept-Language`.
pub struct OneLanguage;

impl IntoParams for OneLanguage {
    fn into_params(provider: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let one = utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(["en", "fr", "es"]))
            .build();
        let mut out = vec![parameter(
            "lang",
            ParameterIn::Query,
            "The language of the texts (overrides Accept-Language): en, fr or es; a calendar entry has one summary, so `all` is not offered here",
            "fr",
            RefOr::T(utoipa::openapi::schema::Schema::Object(one)),
        )];
        out.extend(AcceptLanguage::into_params(provider));
        out
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

impl IntoParams for ContentLanguage {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "Content-Language",
            ParameterIn::Header,
            "The language of plain-string texts in the body: en (default), fr or es",
            "fr",
            string(),
        )]
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

impl IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "If-Match",
            ParameterIn::Header,
            "Write only if the record is still at this version: an ETag read with it, in any language",
            "\"v1-en-0123456789abcdef\"",
            string(),
        )]
    }
}

/// An `Idempotency-Key`: a retried POST with the same key and request returns the first
/// response (kept 24 hours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get("idempotency-key") else {
            return ready(Ok(IdempotencyKey(None)));
        };
        let key = value
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()))
            .map(|k| IdempotencyKey(Some(k.to_owned())))
            .ok_or_else(|| {
                AppError::InvalidHeader(
                    "Idempotency-Key must be 1 to 200 visible ASCII characters".into(),
                )
            });
        ready(key)
    }
}

impl IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "Idempotency-Key",
            ParameterIn::Header,
            "1 to 200 visible ASCII characters, unique per request (a UUID, say); a retry with the same key and request gets the first response again, for 24 hours",
            "9b2e6a52-1f7c-4a8e-a1c4-2d9f4e1b7c03",
            string(),
        )]
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
