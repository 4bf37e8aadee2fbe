//! Links between records, in one table for every collection: what a record points to (written
//! with the record, in its transaction), what points to a record (which blocks its deletion), and
//! the sub-queries that filter lists by related ids.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::relations;

/// One link from a record to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The member of the source record that holds the link, e.g. `participating_organisations`.
    pub relation: &'static str,
    pub target_collection: &'static str,
    pub target_id: String,
    /// The target's role, where the relation has roles (IATI roles, co-steering).
    pub role: Option<String>,
}

impl Link {
    pub fn new(
        relation: &'static str,
        target_collection: &'static str,
        target_id: impl Into<String>,
    ) -> Self {
        Self {
            relation,
            target_collection,
            target_id: target_id.into(),
            role: None,
        }
    }
}

/// Replaces every link of a record. Run inside the record's write transaction.
pub fn replace(
    conn: &mut AnyConnection,
    collection: &str,
    id: &str,
    links: &[Link],
) -> QueryResult<()> {
    clear(conn, collection, id)?;
    let mut positions: HashMap<&str, i32> = HashMap::new();
    for link in links {
        let position = positions.entry(link.relation).or_insert(0);
        diesel::insert_into(relations::table)
            .values((
                relations::collection.eq(collection),
                relations::record_id.eq(id),
                relations::relation.eq(link.relation),
                relations::position.eq(*position),
                relations::target_collection.eq(link.target_collection),
                relations::target_id.eq(&link.target_id),
                relations::role.eq(&link.role),
            ))
            .execute(conn)?;
        *position += 1;
    }
    Ok(())
}

/// Writes the links of many new records, in multi-row INSERTs (bulk loads).
pub fn insert_many(
    conn: &mut AnyConnection,
    collection: &str,
    records: &[(&str, &[Link])],
) -> QueryResult<()> {
    let mut rows = Vec::new();
    for (id, links) in records {
        let mut positions: HashMap<&str, i32> = HashMap::new();
        for link in links.iter() {
            let position = positions.entry(link.relation).or_insert(0);
            rows.push((
                relations::collection.eq(collection.to_owned()),
                relations::record_id.eq((*id).to_owned()),
                relations::relation.eq(link.relation),
                relations::position.eq(*position),
                relations::target_collection.eq(link.target_collection),
                relations::target_id.eq(link.target_id.clone()),
                relations::role.eq(link.role.clone()),
            ));
            *position += 1;
        }
    }
    // 7 columns: 4,000 rows stay under SQLite's 32,766 bound parameters.
    for chunk in rows.chunks(4000) {
        crate::db::insert_rows!(&mut *conn, relations::table, chunk)?;
    }
    Ok(())
}

/// Removes every link of a record (when it is deleted).
pub fn clear(conn: &mut AnyConnection, collection: &str, id: &str) -> QueryResult<()> {
    diesel::delete(
        relations::table
            .filter(relations::collection.eq(collection))
            .filter(relations::record_id.eq(id)),
    )
    .execute(conn)
    .map(|_| ())
}

/// A stored link with its source.
#[derive(Debug, Clone, Queryable)]
pub struct StoredLink {
    pub record_id: String,
    pub relation: String,
    pub target_id: String,
    pub role: Option<String>,
}

/// Every link from several records of a collection, in each relation's order.
pub fn of_records(
    conn: &mut AnyConnection,
    collection: &str,
    ids: &[&String],
) -> QueryResult<Vec<StoredLink>> {
    // One record (a GET) is a query of fixed shape, whose prepared statement is reused.
    if let [id] = ids {
        return relations::table
            .filter(relations::collection.eq(collection))
            .filter(relations::record_id.eq(*id))
            .order((relations::relation, relations::position))
            .select((
                relations::record_id,
                relations::relation,
                relations::target_id,
                relations::role,
            ))
            .load(conn);
    }
    relations::table
        .filter(relations::collection.eq(collection))
        .filter(crate::db::any_of(relations::record_id, ids))
        .order((
            relations::record_id,
            relations::relation,
            relations::position,
        ))
        .select((
            relations::record_id,
            relations::relation,
            relations::target_id,
            relations::role,
        ))
        .load(conn)
}

/// The records (`collection/id`) that point to a record. Deleted records keep no links, so
/// these are all live.
pub fn pointing_to(
    conn: &mut AnyConnection,
    target_collection: &str,
    target_id: &str,
) -> QueryResult<Vec<String>> {
    let mut sources: Vec<String> = relations::table
        .filter(relations::target_collection.eq(target_collection))
        .filter(relations::target_id.eq(target_id))
        .select((relations::collection, relations::record_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(collection, id)| format!("{collection}/{id}"))
        .collect();
    sources.sort();
    sources.dedup();
    Ok(sources)
}

/// Ids of `collection` records whose `relation` points to `targets` (with the given role, if
/// any), for the incoming side of an `include`.
pub fn sources_of(
    conn: &mut AnyConnection,
    collection: &str,
    relation_names: &[&str],
    targets: &[&String],
) -> QueryResult<Vec<(String, String)>> {
    relations::table
        .filter(relations::collection.eq(collection))
        .filter(relations::relation.eq_any(relation_names))
        .filter(relations::target_id.eq_any(targets))
        .order((relations::target_id, relations::record_id))
        .select((relations::target_id, relations::record_id))
        .distinct()
        .load(conn)
}

/// A sub-query: ids of `$collection` records linked through one of `$relations` to one of
/// `$targets`.
/// (A macro, as a boxed sub-query cannot be built for diesel's multi-backend.)
macro_rules! linked_to {
    ($collection:expr, $relations:expr, $targets:expr) => {
        $crate::db::schema::relations::table
            .filter($crate::db::schema::relations::collection.eq($collection))
            .filter($crate::db::schema::relations::relation.eq_any($relations))
            .filter($crate::db::schema::relations::target_id.eq_any($targets))
            .select($crate::db::schema::relations::record_id)
    };
}
pub(crate) use linked_to;
