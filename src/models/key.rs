//! API keys: random, shown once, stored only as a hash, named, revocable.
//!
//! A key reads `lrg_<key id>_<secret>`: the key id (64 random bits, hex) finds the row; the secret
//! (256 random bits, base64url) is stored as its SHA-256 and compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::db::AnyConnection;
use crate::db::schema::api_keys;

/// Scopes: `admin` includes `write` and also manages keys.
pub const SCOPES: [&str; 2] = ["write", "admin"];

/// A key's record (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub name: String,
    pub scope: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl ApiKey {
    /// Whether the key may do what `scope` allows.
    pub fn allows(&self, scope: &str) -> bool {
        self.scope == "admin" || self.scope == scope
    }
}

/// Why a key could not be created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("a key named '{0}' exists already (names are never reused)")]
    NameTaken(String),
    #[error("the system's random number generator failed: {0}")]
    Random(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn random(bytes: usize) -> Result<Vec<u8>, KeyError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(buf)
}

fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a key; returns its record and the key itself, which is never shown again.
pub fn create(
    conn: &mut AnyConnection,
    name: &str,
    scope: &str,
    at: NaiveDateTime,
) -> Result<(ApiKey, String), KeyError> {
    let key_id: String = random(8)?.iter().map(|b| format!("{b:02x}")).collect();
    let secret = URL_SAFE_NO_PAD.encode(random(32)?);
    let taken: bool = diesel::select(diesel::dsl::exists(
        api_keys::table.filter(api_keys::name.eq(name)),
    ))
    .get_result(conn)?;
    if taken {
        return Err(KeyError::NameTaken(name.to_owned()));
    }
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::name.eq(name),
            api_keys::key_id.eq(&key_id),
            api_keys::secret_hash.eq(hash(&secret)),
            api_keys::scope.eq(scope),
            api_keys::created_at.eq(at),
        ))
        .execute(conn)?;
    let record = ApiKey {
        name: name.to_owned(),
        scope: scope.to_owned(),
        created_at: at,
        last_used_at: None,
        revoked_at: None,
    };
    Ok((record, format!("lrg_{key_id}_{secret}")))
}

/// Every key, oldest first.
pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<ApiKey>> {
    api_keys::table
        .order((api_keys::created_at, api_keys::name))
        .select(ApiKey::as_select())
        .load(conn)
}

/// Revokes a live key; `false` when no live key has this name.
pub fn revoke(conn: &mut AnyConnection, name: &str, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        api_keys::table
            .filter(api_keys::name.eq(name))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(at))
    .execute(conn)
    .map(|n| n > 0)
}

/// The live key a presented key string belongs to, if any. Records its use (at most once a
/// minute, to keep reads cheap).
pub fn authenticate(
    conn: &mut AnyConnection,
    presented: &str,
    at: NaiveDateTime,
) -> QueryResult<Option<ApiKey>> {
    let Some((key_id, secret)) = presented
        .strip_prefix("lrg_")
        .and_then(|rest| rest.split_once('_'))
    else {
        return Ok(None);
    };
    if key_id.len() != 16 || secret.is_empty() || secret.len() > 100 {
        return Ok(None);
    }
    // `key_id` is unique: no `LIMIT` (a bound one would make SQLite recompile the statement at
    // each use, see `db::limited`).
    let row: Option<(ApiKey, String)> = api_keys::table
        .filter(api_keys::key_id.eq(key_id))
        .filter(api_keys::revoked_at.is_null())
        .select((ApiKey::as_select(), api_keys::secret_hash))
        .get_result(conn)
        .optional()?;
    let Some((key, stored)) = row else {
        return Ok(None);
    };
    if !bool::from(hash(secret).as_bytes().ct_eq(stored.as_bytes())) {
        return Ok(None);
    }
    let stale = key
        .last_used_at
        .is_none_or(|used| at - used > TimeDelta::seconds(60));
    if stale {
        // Bookkeeping only: a busy database must not turn an authenticated request into an error.
        let recorded = diesel::update(api_keys::table.filter(api_keys::name.eq(&key.name)))
            .set(api_keys::last_used_at.eq(at))
            .execute(conn);
        if let Err(e) = recorded {
            tracing::warn!(key = %key.name, error = %e, "could not record the key's last use");
        }
    }
    Ok(Some(key))
}
