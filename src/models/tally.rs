//! Counts of live programmes kept by every write, so that `count=true` and facets are read
//! rather than counted (issue 12: at 1,000,000 programmes `facets=status` counted 1.2 s).
//!
//! A programme's *keys* are its status, its recipient countries and the ids it links to through
//! `participating_organisations`, `fund` and `engagement_areas`. `programme_tallies` holds, for a
//! scope (no filter: `('', '')`, or one key used as a filter), how many live programmes have each
//! key (`dim`, `value`), and the scope's total in the row whose `dim` and `value` are `''`.
//! Scopes are kept for no filter and for every key as a count, and as facets for the keys of
//! bounded vocabularies (status, country, fund, engagement area): an organisation's programmes
//! are few, and counting them is cheap, so organisation scopes keep only their total.
//! A dashboard's sidebar narrows a country, fund or engagement area by status, so each status
//! paired with one of those is a facet scope too: `scope_dim` `status+country`, `scope_value`
//! `closed+KE` (neither an id, a country code nor a status holds a `+`). Counting those facets
//! from the matches' links took 80-210 ms a request at 1,000,000 programmes (a status and a
//! country match 8,000 programmes and 7,000 organisations), and 32 at once exhausted the pool.
//!
//! Each write computes the keys a programme had and has, and adds the difference in the same
//! transaction (writers are serialised on both backends, see `db::write_transaction`), so a
//! reader's snapshot sees tallies and rows agree. A database whose tallies were never built
//! (one that predates them) is tallied from its rows when it is opened ([`ensure`]).

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::common::{Facet, Filter, ListQuery};
use super::programme::{
    COLLECTION, ENGAGEMENT_AREAS, FUND, PARTICIPATING_ORGANISATIONS, ProgrammeData,
};
use super::relation::Link;
use crate::db::AnyConnection;
use crate::db::schema::{programme_countries, programme_tallies, programmes, relations};

/// The relations whose targets are keys.
const RELATIONS: [&str; 3] = [PARTICIPATING_ORGANISATIONS, FUND, ENGAGEMENT_AREAS];
/// The dimensions whose values are also facet scopes.
const FACET_SCOPES: [&str; 4] = ["status", "country", FUND, ENGAGEMENT_AREAS];
/// The dimensions whose values, each paired with a status, are facet scopes too.
const PAIRED: [&str; 3] = ["country", FUND, ENGAGEMENT_AREAS];

/// The scope of a status paired with a key of a [`PAIRED`] dimension.
fn pair(status: &str, (dim, value): (&str, &str)) -> (String, String) {
    (format!("status+{dim}"), format!("{status}+{value}"))
}

/// Whether a scope keeps a count per key (and so answers facets), not only its total.
fn faceted(scope_dim: &str) -> bool {
    scope_dim.is_empty() || FACET_SCOPES.contains(&scope_dim) || scope_dim.starts_with("status+")
}

/// A programme's keys: `(dimension, value)`.
pub type Keys = BTreeSet<(String, String)>;

/// The keys of a live programme with this data and these links.
pub fn keys_of(data: &ProgrammeData, links: &[Link]) -> Keys {
    let mut keys = Keys::new();
    if let Some(status) = &data.status {
        keys.insert(("status".to_owned(), status.clone()));
    }
    for country in &data.recipient_countries {
        keys.insert(("country".to_owned(), country.clone()));
    }
    for link in links {
        if RELATIONS.contains(&link.relation) {
            keys.insert((link.relation.to_owned(), link.target_id.clone()));
        }
    }
    keys
}

/// The keys of programme `id` as stored (`None` when it is deleted or absent).
pub fn stored_keys(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Keys>> {
    // By primary key: no `LIMIT` (a bound one would make SQLite recompile the statement at
    // each use, see `db::limited`).
    let status: Option<Option<String>> = programmes::table
        .filter(programmes::id.eq(id))
        .filter(programmes::deleted_at.is_null())
        .select(programmes::status)
        .get_result(conn)
        .optional()?;
    let Some(status) = status else {
        return Ok(None);
    };
    let mut keys = Keys::new();
    if let Some(status) = status {
        keys.insert(("status".to_owned(), status));
    }
    let countries: Vec<String> = programme_countries::table
        .filter(programme_countries::programme_id.eq(id))
        .select(programme_countries::country)
        .load(conn)?;
    keys.extend(countries.into_iter().map(|c| ("country".to_owned(), c)));
    keys.extend(stored_links(conn, id)?);
    Ok(Some(keys))
}

/// The keys programme `id`'s stored links give.
fn stored_links(conn: &mut AnyConnection, id: &str) -> QueryResult<Keys> {
    let links: Vec<(String, String)> = relations::table
        .filter(relations::collection.eq(COLLECTION))
        .filter(relations::record_id.eq(id))
        .filter(relations::relation.eq_any(RELATIONS))
        .select((relations::relation, relations::target_id))
        .load(conn)?;
    Ok(links.into_iter().collect())
}

/// Changes to the tallies, by `(scope dimension, scope value, dimension, value)`.
#[derive(Debug, Default)]
pub struct Deltas(BTreeMap<(String, String, String, String), i64>);

impl Deltas {
    /// Counts (`sign` 1) or uncounts (-1) one live programme with these keys.
    pub fn add(&mut self, keys: &Keys, sign: i64) {
        let mut bump = |scope: (&str, &str), key: (&str, &str)| {
            let entry = (
                scope.0.to_owned(),
                scope.1.to_owned(),
                key.0.to_owned(),
                key.1.to_owned(),
            );
            *self.0.entry(entry).or_insert(0) += sign;
        };
        bump(("", ""), ("", ""));
        for (dim, value) in keys {
            bump(("", ""), (dim, value));
            bump((dim, value), ("", ""));
            if FACET_SCOPES.contains(&dim.as_str()) {
                for (other, other_value) in keys {
                    bump((dim, value), (other, other_value));
                }
            }
        }
        let statuses = keys.iter().filter(|(dim, _)| dim == "status");
        for (_, status) in statuses {
            for (dim, value) in keys.iter().filter(|(d, _)| PAIRED.contains(&d.as_str())) {
                let (scope_dim, scope_value) = pair(status, (dim, value));
                let scope = (scope_dim.as_str(), scope_value.as_str());
                bump(scope, ("", ""));
                for (other, other_value) in keys {
                    bump(scope, (other, other_value));
                }
            }
        }
    }

    /// Writes the changes (in key order, in one statement).
    pub fn apply(self, conn: &mut AnyConnection) -> QueryResult<()> {
        let rows: Vec<_> = self
            .0
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .map(|((sd, sv, d, v), n)| serde_json::json!([sd, sv, d, v, n]))
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let json = serde_json::Value::Array(rows).to_string();
        match conn {
            AnyConnection::Sqlite(c) => diesel::sql_query(
                "INSERT INTO programme_tallies (scope_dim, scope_value, dim, value, n) \
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), \
                 json_extract(value, '$[2]'), json_extract(value, '$[3]'), \
                 json_extract(value, '$[4]') FROM json_each(?) WHERE true \
                 ON CONFLICT (scope_dim, scope_value, dim, value) \
                 DO UPDATE SET n = programme_tallies.n + excluded.n",
            )
            .bind::<Text, _>(json)
            .execute(c)?,
            AnyConnection::Postgresql(c) => diesel::sql_query(
                "INSERT INTO programme_tallies (scope_dim, scope_value, dim, value, n) \
                 SELECT x->>0, x->>1, x->>2, x->>3, (x->>4)::bigint \
                 FROM jsonb_array_elements($1::jsonb) x \
                 ON CONFLICT (scope_dim, scope_value, dim, value) \
                 DO UPDATE SET n = programme_tallies.n + excluded.n",
            )
            .bind::<Text, _>(json)
            .execute(c)?,
        };
        Ok(())
    }
}

/// Moves one programme's count from the keys it had (`before`, `None` if it was not live) to
/// those it has (`after`, `None` if it is no longer live).
pub fn change(
    conn: &mut AnyConnection,
    before: Option<&Keys>,
    after: Option<&Keys>,
) -> QueryResult<()> {
    if before == after {
        return Ok(());
    }
    let mut deltas = Deltas::default();
    if let Some(before) = before {
        deltas.add(before, -1);
    }
    if let Some(after) = after {
        deltas.add(after, 1);
    }
    deltas.apply(conn)
}

/// The scope of a list's count, when the tallies answer it: no filter, one filter with one
/// value, or one status with one value of a [`PAIRED`] filter (and no `id`, `updated_since` or
/// `q`).
fn scope(query: &ListQuery, filter: &Filter) -> Option<(String, String)> {
    if query.ids.is_some()
        || query.updated_since.is_some()
        || query.search.is_some()
        || filter.kind.is_some()
        || filter.year.is_some()
        || filter.ends_on_or_after.is_some()
        || filter.starts_on_or_before.is_some()
    {
        return None;
    }
    let mut scopes = Vec::new();
    if let Some(statuses) = &filter.status {
        scopes.push(("status", statuses));
    }
    if let Some(countries) = &filter.country {
        scopes.push(("country", countries));
    }
    for (names, ids) in &filter.related {
        match names.as_slice() {
            [name] if RELATIONS.contains(name) => scopes.push((name, ids)),
            _ => return None,
        }
    }
    match scopes.as_slice() {
        [] => Some((String::new(), String::new())),
        [(dim, values)] if values.len() == 1 => Some(((*dim).to_owned(), values[0].clone())),
        // The status is pushed first.
        [(status, statuses), (dim, values)]
            if *status == "status"
                && PAIRED.contains(dim)
                && statuses.len() == 1
                && values.len() == 1 =>
        {
            Some(pair(&statuses[0], (dim, &values[0])))
        }
        _ => None,
    }
}

fn read(
    conn: &mut AnyConnection,
    (scope_dim, scope_value): &(String, String),
    dim: &str,
) -> QueryResult<Vec<(String, i64)>> {
    programme_tallies::table
        .filter(programme_tallies::scope_dim.eq(scope_dim))
        .filter(programme_tallies::scope_value.eq(scope_value))
        .filter(programme_tallies::dim.eq(dim))
        .filter(programme_tallies::n.gt(0))
        .select((programme_tallies::value, programme_tallies::n))
        .load(conn)
}

/// How many live programmes match, when the tallies know.
pub fn count(
    conn: &mut AnyConnection,
    query: &ListQuery,
    filter: &Filter,
) -> QueryResult<Option<i64>> {
    let Some(scope) = scope(query, filter) else {
        return Ok(None);
    };
    scope_total(conn, &scope).map(Some)
}

/// How many live programmes a scope holds.
fn scope_total(conn: &mut AnyConnection, scope: &(String, String)) -> QueryResult<i64> {
    Ok(read(conn, scope, "")?.first().map_or(0, |(_, n)| *n))
}

/// How many live programmes have both keys `a` and `b` (each a `(dimension, value)`), when the
/// tallies know: when one of the two is a facet scope, whose tallies count every other key.
pub fn both(
    conn: &mut AnyConnection,
    a: (&str, &str),
    b: (&str, &str),
) -> QueryResult<Option<i64>> {
    let (scope, key) = if FACET_SCOPES.contains(&a.0) {
        (a, b)
    } else if FACET_SCOPES.contains(&b.0) {
        (b, a)
    } else {
        return Ok(None);
    };
    programme_tallies::table
        .filter(programme_tallies::scope_dim.eq(scope.0))
        .filter(programme_tallies::scope_value.eq(scope.1))
        .filter(programme_tallies::dim.eq(key.0))
        .filter(programme_tallies::value.eq(key.1))
        .select(programme_tallies::n)
        .first::<i64>(conn)
        .optional()
        .map(|n| Some(n.unwrap_or(0)))
}

/// How many live programmes there are.
pub fn total(conn: &mut AnyConnection) -> QueryResult<i64> {
    scope_total(conn, &(String::new(), String::new()))
}

/// How many live programmes matching have each value of `facet`, when the tallies know.
pub fn facet(
    conn: &mut AnyConnection,
    query: &ListQuery,
    filter: &Filter,
    facet: &Facet,
) -> QueryResult<Option<Vec<(String, i64)>>> {
    let dim = match facet {
        Facet::Status => "status",
        Facet::Country => "country",
        Facet::Related(names) => match names.as_slice() {
            [name] if RELATIONS.contains(name) => name,
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    let Some(scope) = scope(query, filter) else {
        return Ok(None);
    };
    if !faceted(&scope.0) {
        return Ok(None);
    }
    read(conn, &scope, dim).map(Some)
}

/// Tallies every live programme again from its rows (one statement, the same on both backends),
/// written in key order: on PostgreSQL a scope's rows then share heap pages (see [`compact`]).
pub fn rebuild(conn: &mut AnyConnection) -> QueryResult<()> {
    diesel::delete(programme_tallies::table).execute(conn)?;
    let relations = RELATIONS.map(|r| format!("'{r}'")).join(", ");
    let scopes = FACET_SCOPES.map(|r| format!("'{r}'")).join(", ");
    let paired = PAIRED.map(|r| format!("'{r}'")).join(", ");
    let sql = format!(
        "INSERT INTO programme_tallies (scope_dim, scope_value, dim, value, n) \
         WITH live AS (SELECT id, status FROM programmes WHERE deleted_at IS NULL), \
         keys (pid, dim, value) AS ( \
           SELECT id, 'status', status FROM live WHERE status IS NOT NULL \
           UNION SELECT c.programme_id, 'country', c.country \
             FROM programme_countries c JOIN live ON live.id = c.programme_id \
           UNION SELECT r.record_id, r.relation, r.target_id \
             FROM relations r JOIN live ON live.id = r.record_id \
             WHERE r.collection = '{COLLECTION}' AND r.relation IN ({relations})) \
         SELECT '', '', '', '', count(*) FROM live HAVING count(*) > 0 \
         UNION ALL SELECT '', '', dim, value, count(*) FROM keys GROUP BY dim, value \
         UNION ALL SELECT dim, value, '', '', count(*) FROM keys GROUP BY dim, value \
         UNION ALL SELECT s.dim, s.value, k.dim, k.value, count(*) \
           FROM keys s JOIN keys k ON k.pid = s.pid WHERE s.dim IN ({scopes}) \
           GROUP BY s.dim, s.value, k.dim, k.value \
         UNION ALL SELECT 'status+' || p.dim, s.value || '+' || p.value, '', '', count(*) \
           FROM keys s JOIN keys p ON p.pid = s.pid \
           WHERE s.dim = 'status' AND p.dim IN ({paired}) \
           GROUP BY s.value, p.dim, p.value \
         UNION ALL SELECT 'status+' || p.dim, s.value || '+' || p.value, k.dim, k.value, \
           count(*) FROM keys s JOIN keys p ON p.pid = s.pid JOIN keys k ON k.pid = s.pid \
           WHERE s.dim = 'status' AND p.dim IN ({paired}) \
           GROUP BY s.value, p.dim, p.value, k.dim, k.value \
         ORDER BY 1, 2, 3, 4"
    );
    diesel::sql_query(sql).execute(conn)?;
    Ok(())
}

/// Rewrites the tallies in key order, after a bulk load that upserted them batch by batch.
/// On PostgreSQL a facet reads a scope's rows through the primary key, one heap page per row
/// when they are scattered: `facets=organisation` under a status and a country (7,143 rows at
/// 1,000,000 programmes) read 7,258 pages in 13 ms, and 36 in 2 ms once clustered. The table's
/// fill factor (migration 000011) leaves room on each page for a write's new row version, so
/// the order lasts. SQLite's table is its primary key's B-tree (`WITHOUT ROWID`): nothing to do.
pub fn compact(conn: &mut AnyConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    match conn {
        AnyConnection::Postgresql(c) => {
            c.batch_execute("CLUSTER programme_tallies USING programme_tallies_pkey")
        }
        AnyConnection::Sqlite(_) => Ok(()),
    }
}

/// Whether the database holds live programmes but no tallies (one opened for the first time
/// since they exist): read without the write lock, so that a start that has nothing to do
/// takes no lock and wakes no feed watcher.
pub fn missing(conn: &mut AnyConnection) -> QueryResult<bool> {
    let tallied: bool = diesel::select(diesel::dsl::exists(
        programme_tallies::table.select(programme_tallies::n),
    ))
    .get_result(conn)?;
    if tallied {
        return Ok(false);
    }
    diesel::select(diesel::dsl::exists(
        programmes::table.filter(programmes::deleted_at.is_null()),
    ))
    .get_result(conn)
}

/// Tallies the database if its tallies are [`missing`] (checked again: another instance may
/// have done it). Run in a write transaction.
pub fn ensure(conn: &mut AnyConnection) -> QueryResult<bool> {
    if !missing(conn)? {
        return Ok(false);
    }
    rebuild(conn)?;
    Ok(true)
}
