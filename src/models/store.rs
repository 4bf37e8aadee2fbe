//! What the record engine asks of storage: one interface over the `documents` table (most
//! collections) and the tables of their own (programmes, organisations). Every function runs on
//! a connection, inside the caller's transaction, and returns diesel's `QueryResult`.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::common::{Facet, Filter, ListQuery, Meta, Record, SortKey};
use super::relation::Link;
use crate::db::AnyConnection;

/// Storage of the records of data type `D`.
pub trait Store<D>: 'static {
    /// A record by id, deleted or not.
    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Record<D>>>;
    /// Live records among `ids`, in id order.
    fn find_live_many(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<Record<D>>>;
    /// Every record, deleted ones too, after `after` in id order (exports walk with it).
    fn page(
        conn: &mut AnyConnection,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Record<D>>>;
    /// Sets a record's instants, version and deletion to an import's.
    fn restore_meta(conn: &mut AnyConnection, id: &str, meta: &Meta) -> QueryResult<()>;
    /// How many records there are, deleted ones too.
    fn total(conn: &mut AnyConnection) -> QueryResult<i64>;
    /// Whether a record ever had this id (deleted records keep theirs).
    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool>;
    /// Creates a record (version 1) with its links and search entries.
    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &D,
        links: &[Link],
        at: NaiveDateTime,
    ) -> QueryResult<Record<D>>;
    /// Replaces a live record's data if it is still at its version (`None` when another write
    /// got there first). `links` is `Some` when they changed: unchanged links are not rewritten.
    fn update(
        conn: &mut AnyConnection,
        current: &Record<D>,
        data: &D,
        links: Option<&[Link]>,
        at: NaiveDateTime,
    ) -> QueryResult<Option<Record<D>>>;
    /// Turns a live record into a tombstone keeping `tombstone` as its data; its links and
    /// search entries go. `false` when another write got there first.
    fn delete(
        conn: &mut AnyConnection,
        current: &Record<D>,
        tombstone: &D,
        at: NaiveDateTime,
    ) -> QueryResult<bool>;
    /// Writes a record's search entries again (a database indexed before search existed).
    fn reindex(conn: &mut AnyConnection, record: &Record<D>) -> QueryResult<()>;
    /// A page of live records matching the query and filter (at most `query.limit`).
    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
    ) -> QueryResult<Vec<Record<D>>>;
    /// How many live records match.
    fn count(conn: &mut AnyConnection, query: &ListQuery, filter: &Filter) -> QueryResult<i64>;
    /// How many live records matching have each value of `facet`.
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
        facet: &Facet,
    ) -> QueryResult<Vec<(String, i64)>>;
    /// Where a record stands in a sort, for the next page's cursor.
    fn sort_key(record: &Record<D>, sort: &str) -> SortKey;
}
