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
    /// Sets a record's instants, version and deletion to an import's. It never changes
    /// whether the record is live (an import deletes a tombstone through `delete` first), so
    /// maintained counts (`super::tally`) have nothing to move.
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

/// The [`Store`] methods that are the same for every collection with a table of its own
/// (`programmes`, `organisations`): the table has `id`, the four meta columns and the
/// collection's columns, its rows load as `$row` and become records with `$convert(conn, rows)`,
/// the module defines `filtered` (the list query with the filter applied), `sort_value`, and
/// `COLLECTION`, and the data type has `search_entries()`; `tallied_count` reads maintained
/// counts where the collection has them (`super::tally`).
macro_rules! table_store {
    ($table:ident, $row:ty, $convert:ident, $data:ty) => {
        fn find(
            conn: &mut AnyConnection,
            id: &str,
        ) -> QueryResult<Option<$crate::models::Record<$data>>> {
            let rows = $table::table
                .filter($table::id.eq(id))
                .select(<$row>::as_select())
                .load(conn)?;
            Ok($convert(conn, rows)?.pop())
        }

        fn find_live_many(
            conn: &mut AnyConnection,
            ids: &[String],
        ) -> QueryResult<Vec<$crate::models::Record<$data>>> {
            let rows = $table::table
                .filter($crate::db::any_of($table::id, ids))
                .filter($table::deleted_at.is_null())
                .order($table::id)
                .select(<$row>::as_select())
                .load(conn)?;
            $convert(conn, rows)
        }

        fn page(
            conn: &mut AnyConnection,
            after: Option<&str>,
            limit: i64,
        ) -> QueryResult<Vec<$crate::models::Record<$data>>> {
            let mut q = $table::table.into_boxed();
            if let Some(after) = after {
                q = q.filter($table::id.gt(after.to_owned()));
            }
            let rows = q
                .order($table::id)
                .limit(limit)
                .select(<$row>::as_select())
                .load(conn)?;
            $convert(conn, rows)
        }

        fn restore_meta(
            conn: &mut AnyConnection,
            id: &str,
            meta: &$crate::models::Meta,
        ) -> QueryResult<()> {
            diesel::update($table::table.filter($table::id.eq(id)))
                .set((
                    $table::created_at.eq(meta.created_at),
                    $table::updated_at.eq(meta.updated_at),
                    $table::version.eq(meta.version),
                    $table::deleted_at.eq(meta.deleted_at),
                ))
                .execute(conn)
                .map(|_| ())
        }

        fn total(conn: &mut AnyConnection) -> QueryResult<i64> {
            $table::table.count().get_result(conn)
        }

        fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
            diesel::select(diesel::dsl::exists($table::table.filter($table::id.eq(id))))
                .get_result(conn)
        }

        fn reindex(
            conn: &mut AnyConnection,
            record: &$crate::models::Record<$data>,
        ) -> QueryResult<()> {
            search::index(conn, COLLECTION, &record.id, &record.data.search_entries())
        }

        fn count(
            conn: &mut AnyConnection,
            query: &$crate::models::ListQuery,
            filter: &$crate::models::Filter,
        ) -> QueryResult<i64> {
            if let Some(n) = tallied_count(conn, query, filter)? {
                return Ok(n);
            }
            filtered(
                Backend::of(conn),
                query,
                filter,
                $crate::models::Plan::Planner,
            )?
            .count()
            .get_result(conn)
        }

        fn sort_key(record: &$crate::models::Record<$data>, sort: &str) -> $crate::models::SortKey {
            $crate::models::SortKey {
                value: sort_value(record, sort),
                id: record.id.clone(),
            }
        }
    };
}
pub(crate) use table_store;

/// Updates the live row `$id` of `$table` if it is still at `$version`, setting `$set` (a
/// tuple of assignments), `updated_at` and the next version; the number of rows written.
macro_rules! versioned_update {
    ($conn:expr, $table:ident, $id:expr, $version:expr, $at:expr, ($($set:expr),* $(,)?)) => {
        versioned_update!(@run $conn, $table, $version, $at, ($($set),*),
            $table::table.filter($table::id.eq($id)))
    };
    // `where`: one more condition on the row (the documents table's collection).
    ($conn:expr, $table:ident, $id:expr, $version:expr, $at:expr, ($($set:expr),* $(,)?),
        where $also:expr) => {
        versioned_update!(@run $conn, $table, $version, $at, ($($set),*),
            $table::table.filter($table::id.eq($id)).filter($also))
    };
    (@run $conn:expr, $table:ident, $version:expr, $at:expr, ($($set:expr),*), $rows:expr) => {
        diesel::update(
            $rows
                .filter($table::version.eq($version))
                .filter($table::deleted_at.is_null()),
        )
        .set((
            $($set,)*
            $table::updated_at.eq($at),
            $table::version.eq($version + 1),
        ))
        .execute($conn)
    };
}
pub(crate) use versioned_update;
