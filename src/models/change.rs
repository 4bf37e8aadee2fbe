//! The change feed: one row per create, update and delete, written in the same transaction as
//! the change itself (see `db::write_transaction` for why PostgreSQL writers are serialised).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::changes;

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Created,
    Updated,
    Deleted,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Deleted => "deleted",
        }
    }
}

/// One entry of the feed.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = changes)]
pub struct Change {
    pub seq: i64,
    pub collection: String,
    pub record_id: String,
    pub action: String,
    pub version: i32,
    pub at: NaiveDateTime,
    pub key_name: Option<String>,
}

/// Appends an entry; call it inside the write transaction of the change.
pub fn record(
    conn: &mut AnyConnection,
    collection: &str,
    record_id: &str,
    action: Action,
    version: i32,
    at: NaiveDateTime,
    key_name: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(changes::table)
        .values((
            changes::collection.eq(collection),
            changes::record_id.eq(record_id),
            changes::action.eq(action.as_str()),
            changes::version.eq(version),
            changes::at.eq(at),
            changes::key_name.eq(key_name),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether any write of a record was made with an API key (rather than by the dataset or an
/// import).
pub fn written_with_a_key(
    conn: &mut AnyConnection,
    collection: &str,
    record_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        changes::table
            .filter(changes::collection.eq(collection))
            .filter(changes::record_id.eq(record_id))
            .filter(changes::key_name.is_not_null()),
    ))
    .get_result(conn)
}

/// Appends "created" entries for many new records, in order, in multi-row INSERTs (bulk loads).
pub fn record_created_many(
    conn: &mut AnyConnection,
    collection: &str,
    ids: &[&str],
    at: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                changes::collection.eq(collection),
                changes::record_id.eq(*id),
                changes::action.eq(Action::Created.as_str()),
                changes::version.eq(1),
                changes::at.eq(at),
            )
        })
        .collect();
    for chunk in rows.chunks(4000) {
        crate::db::insert_rows!(&mut *conn, changes::table, chunk)?;
    }
    Ok(())
}

/// Entries after `since`, oldest first.
pub fn list(conn: &mut AnyConnection, since: i64, limit: i64) -> QueryResult<Vec<Change>> {
    list_in(conn, since, limit, None)
}

/// Entries after `since` of the given collections (all when `None`), oldest first.
pub fn list_in(
    conn: &mut AnyConnection,
    since: i64,
    limit: i64,
    collections: Option<&[String]>,
) -> QueryResult<Vec<Change>> {
    let mut query = changes::table.filter(changes::seq.gt(since)).into_boxed();
    if let Some(collections) = collections {
        query = query.filter(crate::db::any_of(changes::collection, collections));
    }
    crate::db::limited(
        conn,
        query.order(changes::seq.asc()).select(Change::as_select()),
        limit,
    )
    .load(conn)
}

/// The feed's head: its last seq (0 when empty) and when that change was made (`None` when
/// empty). Every write appends to the feed, so no data changed after that instant.
///
/// The queries of this module read one row without `LIMIT` (`first`): through the
/// multi-backend connection a query with a `LIMIT` is prepared again on every run, one
/// without it once per connection (counted with a probe on `sqlite3Prepare`, bench/RESULTS.md),
/// and these run on every cached read and every list.
pub fn head(conn: &mut AnyConnection) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    // `IN (SELECT max(seq) ..)` rather than `ORDER BY seq DESC LIMIT 1` (`single_value`
    // would add the `LIMIT` back): the same index seek on both backends.
    let newest_changes = diesel::alias!(changes as newest_changes);
    let newest = newest_changes.select(diesel::dsl::max(newest_changes.field(changes::seq)));
    let last = changes::table
        .filter(changes::seq.nullable().eq_any(newest))
        .select((changes::seq, changes::at))
        .get_result::<(i64, NaiveDateTime)>(conn)
        .optional()?;
    Ok(last.map_or((0, None), |(seq, at)| (seq, Some(at))))
}

/// The newest change of one collection's records, as [`head`] is of all (0 and no time when
/// it has none): the stamp and the `Last-Modified` of a list that depends on that collection
/// alone. The same index seek on `(collection, seq)` on both backends.
pub fn collection_head(
    conn: &mut AnyConnection,
    collection: &str,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let newest_changes = diesel::alias!(changes as newest_changes);
    let newest = newest_changes
        .filter(newest_changes.field(changes::collection).eq(collection))
        .select(diesel::dsl::max(newest_changes.field(changes::seq)));
    let last = changes::table
        .filter(changes::seq.nullable().eq_any(newest))
        .select((changes::seq, changes::at))
        .get_result::<(i64, NaiveDateTime)>(conn)
        .optional()?;
    Ok(last.map_or((0, None), |(seq, at)| (seq, Some(at))))
}

/// The newest seq of one record's changes (0 when it has none). Every write to a record
/// appends a change for it in its transaction, and seqs are never reused, so an unchanged value
/// means an unchanged record.
pub fn record_seq(conn: &mut AnyConnection, collection: &str, id: &str) -> QueryResult<i64> {
    changes::table
        .filter(changes::collection.eq(collection))
        .filter(changes::record_id.eq(id))
        .select(diesel::dsl::max(changes::seq))
        .get_result::<Option<i64>>(conn)
        .map(|seq| seq.unwrap_or(0))
}

/// The newest seq (0 when the feed is empty).
pub fn last_seq(conn: &mut AnyConnection) -> QueryResult<i64> {
    changes::table
        .select(diesel::dsl::max(changes::seq))
        .get_result::<Option<i64>>(conn)
        .map(|seq| seq.unwrap_or(0))
}
