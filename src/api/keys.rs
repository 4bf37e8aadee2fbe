//! `/v1/keys`: API keys, managed by admin keys. A key is shown once, at creation.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::auth;
use super::extract::{run, single_query};
use crate::db::{self, Pool};
use crate::error::AppError;
use crate::models::key::{self, ApiKey, KeyError, SCOPES};
use crate::models::{Lang, instant, now};
use crate::records::check::Checker;

/// An API key's record (never the key itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyOut {
    /// The key's name.
    #[schema(example = "city-portal")]
    pub name: String,
    pub scope: KeyScope,
    /// When it was created.
    #[schema(example = "2026-01-01T00:00:00.000000Z", format = DateTime)]
    pub created_at: String,
    /// When it was last used (to the minute).
    #[schema(format = DateTime)]
    pub last_used_at: Option<String>,
    /// When it was revoked, if it was.
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
}

/// What a key may do: `write` creates, updates and deletes records; `admin` also manages keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyScope {
    Write,
    Admin,
}

impl KeyScope {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Write => "write",
            KeyScope::Admin => "admin",
        }
    }
}

impl From<&ApiKey> for KeyOut {
    fn from(key: &ApiKey) -> Self {
        KeyOut {
            name: key.name.clone(),
            scope: if key.scope == "admin" {
                KeyScope::Admin
            } else {
                KeyScope::Write
            },
            created_at: instant(&key.created_at),
            last_used_at: key.last_used_at.as_ref().map(instant),
            revoked_at: key.revoked_at.as_ref().map(instant),
        }
    }
}

/// A new key, with the key itself: store it now, it is never shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewKeyOut {
    #[serde(flatten)]
    pub record: KeyOut,
    /// The key, for `Authorization: Bearer <key>`.
    #[schema(example = "lrg_0123456789abcdef_YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU2")]
    pub key: String,
}

/// The body of `POST /v1/keys`, as the checker parses it.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"name": "city-portal", "scope": "write"}))]
pub struct KeyWrite {
    /// A slug; names are never reused.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    pub name: String,
    pub scope: KeyScope,
}

/// The list of keys.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyList {
    pub data: Vec<KeyOut>,
}

fn check(doc: &Map<String, Value>) -> Result<KeyWrite, AppError> {
    let mut c = Checker::new(Lang::En);
    c.only(doc, "", &["name", "scope"]);
    let name = c.slug(doc, "", "name", true);
    let scope = c.one_of(doc, "", "scope", true, &SCOPES);
    match c.finish((name, scope))? {
        (Some(name), Some(scope)) => Ok(KeyWrite {
            name,
            scope: if scope == "admin" {
                KeyScope::Admin
            } else {
                KeyScope::Write
            },
        }),
        _ => Err(AppError::Internal("validation passed without data".into())),
    }
}

/// Creates an API key (admin).
///
/// The key (`lrg_...`) is in `key`, shown this once; only its hash is stored. Names are slugs and
/// are never reused; `write` keys change records, `admin` keys also manage keys.
#[utoipa::path(
    tag = "Keys",
    security(("bearer" = [])),
    request_body(content = KeyWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; the key is in `key`, shown this once", body = NewKeyOut),
        super::AdminWriteErrors,
    )
)]
#[post("/keys")]
pub async fn create_key(
    req: HttpRequest,
    pool: web::Data<Pool>,
    super::body::Body(body): super::body::Body,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let KeyWrite { name, scope } = check(&super::body::json_object(&req, &body, false)?)?;
    let scope = scope.as_str();
    let (record, key) = run(&pool, move |conn| {
        db::write_transaction(conn, |conn| match key::create(conn, &name, scope, now()) {
            Ok(created) => Ok(created),
            Err(KeyError::NameTaken(name)) => Err(AppError::Conflict {
                detail: format!("a key named '{name}' exists already (names are never reused)"),
                conflicts: None,
            }),
            Err(KeyError::Database(e)) => Err(e.into()),
            Err(KeyError::Random(e)) => Err(AppError::Internal(e)),
        })
    })
    .await?;
    tracing::info!(name = %record.name, scope = %record.scope, "api key created");
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Location", format!("/v1/keys/{}", record.name)))
        .json(NewKeyOut {
            record: KeyOut::from(&record),
            key,
        }))
}

/// Lists API keys, revoked ones included (admin). Keys themselves are never shown.
///
/// Each key's name, scope, creation, last use and revocation instants.
#[utoipa::path(
    tag = "Keys",
    security(("bearer" = [])),
    responses((status = 200, description = "Every key", body = KeyList), super::AdminReadErrors)
)]
#[get("/keys")]
pub async fn list_keys(req: HttpRequest, pool: web::Data<Pool>) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let keys = run(&pool, |conn| Ok(key::list(conn)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(KeyList {
            data: keys.iter().map(KeyOut::from).collect(),
        }))
}

/// Revokes an API key (admin); it stops working at once.
///
/// Its name stays taken; requests presenting it answer 401 from then on.
#[utoipa::path(
    tag = "Keys",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "The key's name")),
    responses((status = 204, description = "Revoked"), super::AdminDeleteErrors)
)]
#[delete("/keys/{name}")]
pub async fn revoke_key(
    req: HttpRequest,
    pool: web::Data<Pool>,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    auth::require(&req, &pool, "admin").await?;
    single_query(&req, &[])?;
    let name = name.into_inner();
    let revoked = {
        let name = name.clone();
        run(&pool, move |conn| Ok(key::revoke(conn, &name, now())?)).await?
    };
    if !revoked {
        return Err(AppError::NotFound(format!("no live key is named '{name}'")));
    }
    tracing::info!(name = %name, "api key revoked");
    Ok(HttpResponse::NoContent().finish())
}
