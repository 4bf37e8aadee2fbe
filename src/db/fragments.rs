//! Query fragments that keep SQLite from preparing or compiling a statement on every request.
//!
//! - [`any_of`]: `column IN (list)` as a statement of one shape whatever the list's length, so
//!   that it is prepared once per connection and reused. diesel's `eq_any` writes one
//!   placeholder per value on SQLite (`IN (?, ?, ?)`) and so marks its statement as never to be
//!   cached: each page's batch reads (the countries and the links of its 15-25 records) were
//!   parsed and planned on every request. Measured with perf on the random filtered lists at
//!   100,000 programmes, preparing those two statements was about 6 % of the service's CPU
//!   (then 3 %). [`any_of`] binds the whole list as one value instead: `IN (SELECT value FROM
//!   json_each(?))` with a JSON array on SQLite, and `= ANY(?)` with an array on PostgreSQL
//!   (what diesel writes there too).
//! - [`Limited`]: `LIMIT n` (and `OFFSET k`) written into the SQL on SQLite. SQLite 3.50
//!   reads the value bound to `LIMIT ?` while planning, which marks the statement as depending
//!   on it: every new binding expires the statement and its first step compiles it again, so
//!   every list page was compiled twice, and a cached page statement recompiled on each use
//!   (`sqlite3Reprepare`, 4.5 % of the CPU of the same lists). With the limit in the text a
//!   statement is compiled once per page size and kept. The window a sorted page measures
//!   (`LIMIT 1 OFFSET k`) uses it too; lookups on a unique key need no limit at all, so they
//!   use `get_result` rather than `.first()` (a bound `LIMIT 1`). `n` and `k` are integers the
//!   service chose (a page size, at most the documented maximum), never text from a client, so
//!   writing them inline cannot change the statement's meaning. On PostgreSQL they stay bound
//!   (see the `QueryFragment` implementation).

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::is_aggregate;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, BigInt, Bool, HasSqlType, Text};
use diesel::sqlite::Sqlite;

use super::MultiBackend;

/// `column` is one of `values` (none: false), as one bound parameter.
pub fn any_of<C, S: AsRef<str>>(column: C, values: &[S]) -> AnyOf<C>
where
    C: Expression<SqlType = Text>,
{
    let values: Vec<String> = values.iter().map(|v| v.as_ref().to_owned()).collect();
    let json = serde_json::to_string(&values).unwrap_or_else(|_| "[]".to_owned());
    AnyOf {
        column,
        values,
        json,
    }
}

/// See [`any_of`].
#[derive(Debug, Clone)]
pub struct AnyOf<C> {
    column: C,
    /// The values, bound as an array on PostgreSQL.
    values: Vec<String>,
    /// The same values as a JSON array, bound as text on SQLite.
    json: String,
}

impl<C> Expression for AnyOf<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for AnyOf<C> where C: AppearsOnTable<QS> {}

impl<C, QS> SelectableExpression<QS> for AnyOf<C> where C: SelectableExpression<QS> {}

impl<C> ValidGrouping<()> for AnyOf<C> {
    type IsAggregate = is_aggregate::Never;
}

/// Identified by its SQL text, which does not depend on the values: the statement cache keeps
/// one statement for every list length.
impl<C> QueryId for AnyOf<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<Text>, _>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryFragment<MultiBackend> for AnyOf<C>
where
    Self: QueryFragment<Sqlite> + QueryFragment<Pg>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}

/// `query LIMIT limit`, the limit written into the SQL on SQLite and bound on PostgreSQL
/// (`conn` tells which; see the module's documentation). `query` must have no `LIMIT` or
/// `OFFSET` of its own.
pub fn limited<Q>(conn: &super::AnyConnection, query: Q, limit: i64) -> Limited<Q> {
    Limited {
        query,
        limit,
        offset: 0,
        literal: !super::is_postgres(conn),
    }
}

/// See [`limited`].
#[derive(Debug, Clone)]
pub struct Limited<Q> {
    query: Q,
    limit: i64,
    offset: i64,
    /// Written into the SQL (SQLite), or bound (PostgreSQL).
    literal: bool,
}

impl<Q> Limited<Q> {
    /// Skips the first `offset` rows (`OFFSET offset`, written or bound like the limit).
    pub fn offset(self, offset: i64) -> Self {
        Self { offset, ..self }
    }
}

impl<Q: Query> Query for Limited<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Limited<Q> {}

/// Identified by its SQL text, which holds the limit: one cached statement per page size.
impl<Q> QueryId for Limited<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// On SQLite the limit is written into the SQL. PostgreSQL keeps it bound, as diesel writes it:
/// its prepared statements do not depend on bound values, and a literal limit made the random
/// filtered lists about half as fast there (bench/RESULTS.md, session 21), its generic plans
/// being costed for the literal.
impl<Q, DB> QueryFragment<DB> for Limited<Q>
where
    Q: QueryFragment<DB>,
    DB: Backend + HasSqlType<BigInt>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT ");
        if self.literal {
            // An i64 formatted by Rust: digits only, whatever its value.
            out.push_sql(&self.limit.max(0).to_string());
        } else {
            out.push_bind_param::<BigInt, _>(&self.limit)?;
        }
        if self.offset > 0 {
            out.push_sql(" OFFSET ");
            if self.literal {
                out.push_sql(&self.offset.to_string());
            } else {
                out.push_bind_param::<BigInt, _>(&self.offset)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::relations;
    use diesel::prelude::*;

    /// The SQL of a query on a backend, and its binds.
    macro_rules! sql {
        ($db:ty, $query:expr) => {{
            let text = diesel::debug_query::<$db, _>(&$query).to_string();
            let (sql, binds) = text.split_once(" -- binds: ").expect("binds");
            (sql.to_owned(), binds.to_owned())
        }};
    }

    #[test]
    fn a_list_of_any_length_makes_one_statement_and_a_limit_is_written_into_it() {
        let links = |ids: &[&str]| {
            relations::table
                .filter(any_of(relations::record_id, ids))
                .select(relations::record_id)
        };
        let (two, binds) = sql!(Sqlite, links(&["a", "b"]));
        let (three, _) = sql!(Sqlite, links(&["a", "b", "c\"d"]));
        assert_eq!(two, three, "one statement whatever the length");
        assert!(
            two.ends_with("IN (SELECT value FROM json_each(?))"),
            "{two}"
        );
        assert_eq!(binds, r#"["[\"a\",\"b\"]"]"#);
        let (pg, binds) = sql!(Pg, links(&["a", "b"]));
        assert!(pg.ends_with("= ANY($1)"), "{pg}");
        assert_eq!(binds, r#"[["a", "b"]]"#);

        // As `limited` makes them on each backend.
        let page = |limit, literal| Limited {
            query: relations::table
                .select(relations::record_id)
                .order(relations::record_id),
            limit,
            offset: 0,
            literal,
        };
        let (sql21, binds) = sql!(Sqlite, page(21, true));
        assert!(
            sql21.ends_with("ORDER BY `relations`.`record_id` LIMIT 21"),
            "{sql21}"
        );
        assert_eq!(binds, "[]", "the limit is not bound");
        let (negative, _) = sql!(Sqlite, page(-5, true));
        assert!(negative.ends_with(" LIMIT 0"), "{negative}");
        let (window, binds) = sql!(Sqlite, page(1, true).offset(999));
        assert!(window.ends_with(" LIMIT 1 OFFSET 999"), "{window}");
        assert_eq!(binds, "[]");
        let (pg, binds) = sql!(Pg, page(21, false).offset(3));
        assert!(pg.ends_with(" LIMIT $1 OFFSET $2"), "{pg}");
        assert_eq!(binds, "[21, 3]", "PostgreSQL binds them");
    }

    #[test]
    fn on_a_real_database_a_list_matches_its_members_only_and_a_page_stops_at_its_size() {
        use diesel::connection::SimpleConnection;
        let mut conn = crate::db::AnyConnection::Sqlite(
            diesel::sqlite::SqliteConnection::establish(":memory:").expect("in memory"),
        );
        conn.batch_execute(
            "CREATE TABLE relations (record_id TEXT NOT NULL); \
             INSERT INTO relations VALUES ('a'), ('b'), ('c\"d'), ('e');",
        )
        .expect("table");
        let members = |conn: &mut crate::db::AnyConnection, ids: &[&str]| -> Vec<String> {
            relations::table
                .filter(any_of(relations::record_id, ids))
                .select(relations::record_id)
                .order(relations::record_id)
                .load(conn)
                .expect("query")
        };
        assert_eq!(members(&mut conn, &["e", "c\"d", "zz"]), ["c\"d", "e"]);
        assert!(
            members(&mut conn, &[]).is_empty(),
            "an empty list matches nothing"
        );
        let page = |conn: &mut crate::db::AnyConnection, n: i64, skip: i64| -> Vec<String> {
            let query = relations::table
                .select(relations::record_id)
                .order(relations::record_id);
            limited(conn, query, n)
                .offset(skip)
                .load(conn)
                .expect("page")
        };
        assert_eq!(page(&mut conn, 2, 0), ["a", "b"]);
        assert_eq!(page(&mut conn, 2, 3), ["e"]);
        assert!(page(&mut conn, 0, 0).is_empty());
    }
}
