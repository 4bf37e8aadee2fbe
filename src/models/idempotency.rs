//! The first response to a POST sent with an `Idempotency-Key`, kept for a day per API key, so
//! that a retry returns it instead of creating twice.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::idempotency_keys;

/// How long a key's first response is kept.
pub const RETENTION_HOURS: i64 = 24;

/// A response as it was first sent.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StoredResponse {
    pub status: i32,
    pub location: String,
    pub etag: String,
    pub content_language: String,
    pub body: String,
}

/// The stored request hash and response for `(key_name, idempotency_key)`, if any.
pub fn find(
    conn: &mut AnyConnection,
    key_name: &str,
    idempotency_key: &str,
    at: NaiveDateTime,
) -> QueryResult<Option<(String, StoredResponse)>> {
    idempotency_keys::table
        .filter(idempotency_keys::key_name.eq(key_name))
        .filter(idempotency_keys::idempotency_key.eq(idempotency_key))
        .filter(idempotency_keys::created_at.ge(at - TimeDelta::hours(RETENTION_HOURS)))
        .select((
            idempotency_keys::request_hash,
            (
                idempotency_keys::status,
                idempotency_keys::location,
                idempotency_keys::etag,
                idempotency_keys::content_language,
                idempotency_keys::body,
            ),
        ))
        .first(conn)
        .optional()
}

/// The status a stored response takes once the record it created is deleted: its replay is then
/// a 410, and the body (the record as it was, personal data included) is dropped.
pub const DELETED: i32 = 410;

/// Forgets the bodies of first responses that created the record at `location`, which is being
/// deleted: a replay must not return what a delete erased. Run in the deleting transaction.
pub fn forget_created(conn: &mut AnyConnection, location: &str) -> QueryResult<usize> {
    diesel::update(idempotency_keys::table.filter(idempotency_keys::location.eq(location)))
        .set((
            idempotency_keys::status.eq(DELETED),
            idempotency_keys::etag.eq(""),
            idempotency_keys::body.eq(""),
        ))
        .execute(conn)
}

/// Keeps a first response (and forgets those past retention). Run in the creating transaction.
pub fn store(
    conn: &mut AnyConnection,
    key_name: &str,
    idempotency_key: &str,
    request_hash: &str,
    response: &StoredResponse,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(at - TimeDelta::hours(RETENTION_HOURS))),
    )
    .execute(conn)?;
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::key_name.eq(key_name),
            idempotency_keys::idempotency_key.eq(idempotency_key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::status.eq(response.status),
            idempotency_keys::location.eq(&response.location),
            idempotency_keys::etag.eq(&response.etag),
            idempotency_keys::content_language.eq(&response.content_language),
            idempotency_keys::body.eq(&response.body),
            idempotency_keys::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}
