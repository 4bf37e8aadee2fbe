//! Organisations: UN agencies, city networks, local governments and the others that take part
//! in programmes, forums and funds.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use std::collections::HashMap;

use super::common::{
    CountryCode, Facet, Filter, ListQuery, Meta, Named, Plan, Record, SortValue, Source, Text,
    common_filters, filter_on, keyset_rows, string_enum, unsupported,
};
use super::relation::{self, Link};
use super::search::{self, Backend};
use super::store::{Store, table_store, versioned_update};
use crate::db::schema::organisations;
use crate::db::{AnyConnection, MultiBackend};

const COLLECTION: &str = <OrganisationData as Named>::NAME;

/// The relation that holds an organisation's `relations` to others.
pub const RELATIONS: &str = "relations";

/// Kinds of organisation.
pub const KINDS: [&str; 8] = [
    "un_agency",
    "un_network",
    "city_network",
    "local_government",
    "national_government",
    "intergovernmental_organisation",
    "civil_society",
    "other",
];
/// How one organisation relates to another.
pub const RELATION_KINDS: [&str; 4] = [
    "coordinates",
    "hosts_secretariat_of",
    "member_of",
    "partner_of",
];

string_enum!(
    /// Kinds of organisation.
    OrganisationKind = KINDS
);
string_enum!(
    /// Kinds of relation between organisations.
    OrganisationRelationKind = RELATION_KINDS
);

/// A relation to another organisation ("IOM coordinates the UN Network on Migration").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrganisationRelation {
    /// The other organisation.
    #[schema(example = "un-network-on-migration")]
    pub organisation: String,
    /// How this one relates to it.
    #[schema(value_type = OrganisationRelationKind)]
    pub relation: String,
}

/// Everything about an organisation that a client writes, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = Organisation)]
pub struct OrganisationData {
    /// Its name.
    pub name: Text,
    /// Its acronym, which may differ by language (UNDP, PNUD).
    pub acronym: Option<Text>,
    /// What kind of organisation it is.
    #[schema(value_type = OrganisationKind)]
    pub kind: String,
    /// ISO 3166-1 alpha-2 country, for local and national bodies.
    #[schema(value_type = Option<CountryCode>, example = "CL", pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
    /// What the sources say of it.
    pub description: Option<Text>,
    /// Its website.
    #[schema(example = json!(null))]
    pub website: Option<String>,
    /// How it relates to other organisations.
    pub relations: Vec<OrganisationRelation>,
    /// Where these facts come from.
    pub sources: Vec<Source>,
}

/// A stored organisation.
pub type Organisation = Record<OrganisationData>;

/// The store of organisations: their table, with their relations to others in the relations
/// table.
pub struct OrganisationTable;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisations)]
struct OrganisationRow {
    id: String,
    name_en: String,
    name_fr: Option<String>,
    name_es: Option<String>,
    acronym_en: Option<String>,
    acronym_fr: Option<String>,
    acronym_es: Option<String>,
    kind: String,
    country: Option<String>,
    description_en: Option<String>,
    description_fr: Option<String>,
    description_es: Option<String>,
    website: Option<String>,
    sources: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
    deleted_at: Option<NaiveDateTime>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
struct OrganisationColumns {
    name_en: String,
    name_fr: Option<String>,
    name_es: Option<String>,
    acronym_en: Option<String>,
    acronym_fr: Option<String>,
    acronym_es: Option<String>,
    kind: String,
    country: Option<String>,
    description_en: Option<String>,
    description_fr: Option<String>,
    description_es: Option<String>,
    website: Option<String>,
    sources: String,
}

impl OrganisationData {
    /// What search indexes, per language (English where a text lacks the language).
    pub fn search_entries(&self) -> Vec<search::Entry> {
        search::entries_of(self, None)
    }

    fn columns(&self) -> QueryResult<OrganisationColumns> {
        let (name_en, name_fr, name_es) = self.name.clone().into_columns();
        let (acronym_en, acronym_fr, acronym_es) = Text::option_columns(self.acronym.clone());
        let (description_en, description_fr, description_es) =
            Text::option_columns(self.description.clone());
        Ok(OrganisationColumns {
            name_en,
            name_fr,
            name_es,
            acronym_en,
            acronym_fr,
            acronym_es,
            kind: self.kind.clone(),
            country: self.country.clone(),
            description_en,
            description_fr,
            description_es,
            website: self.website.clone(),
            sources: serde_json::to_string(&self.sources)
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?,
        })
    }
}

impl OrganisationRow {
    fn into_organisation(self, links: Vec<relation::StoredLink>) -> QueryResult<Organisation> {
        let row = self;
        Ok(Record {
            id: row.id,
            data: OrganisationData {
                name: Text::from_columns(row.name_en, row.name_fr, row.name_es),
                acronym: Text::from_option_columns(row.acronym_en, row.acronym_fr, row.acronym_es),
                kind: row.kind,
                country: row.country,
                description: Text::from_option_columns(
                    row.description_en,
                    row.description_fr,
                    row.description_es,
                ),
                website: row.website,
                relations: links
                    .into_iter()
                    .filter(|l| l.relation == RELATIONS)
                    .map(|l| OrganisationRelation {
                        organisation: l.target_id,
                        relation: l.role.unwrap_or_default(),
                    })
                    .collect(),
                sources: serde_json::from_str(&row.sources)
                    .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
            },
            meta: Meta {
                created_at: row.created_at,
                updated_at: row.updated_at,
                version: row.version,
                deleted_at: row.deleted_at,
            },
        })
    }
}

/// Rows with their relations, loaded in one query for the batch.
fn convert(conn: &mut AnyConnection, rows: Vec<OrganisationRow>) -> QueryResult<Vec<Organisation>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let mut links: HashMap<String, Vec<relation::StoredLink>> = HashMap::new();
    for link in relation::of_records(conn, COLLECTION, &ids)? {
        links.entry(link.record_id.clone()).or_default().push(link);
    }
    rows.into_iter()
        .map(|row| {
            let l = links.remove(&row.id).unwrap_or_default();
            row.into_organisation(l)
        })
        .collect()
}

/// Applies a list's filters to a boxed query whose source includes `organisations`.
macro_rules! organisation_filters {
    ($q:expr, $plan:expr, $backend:expr, $query:expr, $filter:expr) => {{
        let (query, filter): (&ListQuery, &Filter) = ($query, $filter);
        let mut q = common_filters!(
            $q,
            $plan,
            organisations,
            query,
            filter,
            COLLECTION,
            $backend
        );
        if let Some(kinds) = &filter.kind {
            q = filter_on!(q, $plan, organisations::kind, eq_any(kinds));
        }
        if let Some(countries) = &filter.country {
            q = filter_on!(q, $plan, organisations::country, eq_any(countries));
        }
        q
    }};
}

fn filtered<'a>(
    backend: Backend,
    query: &'a ListQuery,
    filter: &'a Filter,
    plan: Plan,
) -> QueryResult<organisations::BoxedQuery<'a, MultiBackend>> {
    if filter.status.is_some()
        || filter.year.is_some()
        || filter.ends_on_or_after.is_some()
        || filter.starts_on_or_before.is_some()
    {
        return unsupported(COLLECTION, "status, year or dates");
    }
    let q = organisations::table
        .filter(organisations::deleted_at.is_null())
        .into_boxed();
    Ok(organisation_filters!(q, plan, backend, query, filter))
}

/// Organisations keep no maintained counts (`table_store!` asks; their lists are small).
fn tallied_count(_: &mut AnyConnection, _: &ListQuery, _: &Filter) -> QueryResult<Option<i64>> {
    Ok(None)
}

/// The value an organisation has for a sort field, for the next page's cursor.
fn sort_value(organisation: &Organisation, sort: &str) -> SortValue {
    match sort {
        "name" => SortValue::Text(organisation.data.name.en.clone()),
        "created_at" => SortValue::Instant(organisation.meta.created_at),
        "updated_at" => SortValue::Instant(organisation.meta.updated_at),
        _ => SortValue::Text(organisation.id.clone()),
    }
}

impl Store<OrganisationData> for OrganisationTable {
    table_store!(organisations, OrganisationRow, convert, OrganisationData);

    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &OrganisationData,
        links: &[Link],
        at: NaiveDateTime,
    ) -> QueryResult<Organisation> {
        diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(id),
                data.columns()?,
                organisations::created_at.eq(at),
                organisations::updated_at.eq(at),
                organisations::version.eq(1),
            ))
            .execute(conn)?;
        relation::replace(conn, COLLECTION, id, links)?;
        search::index(conn, COLLECTION, id, &data.search_entries())?;
        Ok(Record::created(id, data, at))
    }

    fn update(
        conn: &mut AnyConnection,
        current: &Organisation,
        data: &OrganisationData,
        links: Option<&[Link]>,
        at: NaiveDateTime,
    ) -> QueryResult<Option<Organisation>> {
        let version = current.meta.version;
        let updated = versioned_update!(
            conn,
            organisations,
            &current.id,
            version,
            at,
            (data.columns()?)
        )?;
        if updated == 0 {
            return Ok(None);
        }
        // What did not change is not rewritten.
        if let Some(links) = links {
            relation::replace(conn, COLLECTION, &current.id, links)?;
        }
        let entries = data.search_entries();
        if current.data.search_entries() != entries {
            search::index(conn, COLLECTION, &current.id, &entries)?;
        }
        Ok(Some(current.updated(data, at)))
    }

    fn delete(
        conn: &mut AnyConnection,
        current: &Organisation,
        _tombstone: &OrganisationData,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let version = current.meta.version;
        let updated = versioned_update!(
            conn,
            organisations,
            &current.id,
            version,
            at,
            (organisations::deleted_at.eq(at))
        )?;
        if updated == 0 {
            return Ok(false);
        }
        relation::clear(conn, COLLECTION, &current.id)?;
        search::remove(conn, COLLECTION, &current.id)?;
        Ok(true)
    }

    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
    ) -> QueryResult<Vec<Organisation>> {
        let backend = Backend::of(conn);
        let walk = query.walks_in_order(filter);
        let base = |plan| filtered(backend, query, filter, plan);
        let all = || {
            organisations::table
                .filter(organisations::deleted_at.is_null())
                .into_boxed()
        };
        let rows = match query.sort.as_str() {
            "name" => keyset_rows!(conn, all(), base, organisations, name_en: String,
                nullable: false, query, walk: walk, as_text, OrganisationRow)?,
            "created_at" => keyset_rows!(conn, all(), base, organisations,
                created_at: NaiveDateTime, nullable: false, query, walk: walk, as_instant,
                OrganisationRow)?,
            "updated_at" => keyset_rows!(conn, all(), base, organisations,
                updated_at: NaiveDateTime, nullable: false, query, walk: walk, as_instant,
                OrganisationRow)?,
            _ => keyset_rows!(
                conn,
                all(),
                base,
                organisations,
                id,
                query,
                walk: walk,
                OrganisationRow
            )?,
        };
        convert(conn, rows)
    }

    /// Counts `kind` or `country`.
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
        facet: &Facet,
    ) -> QueryResult<Vec<(String, i64)>> {
        use diesel::dsl::count_star;
        drop(filtered(Backend::of(conn), query, filter, Plan::Planner)?);
        let backend = Backend::of(conn);
        match facet {
            Facet::Kind => {
                let q = organisations::table
                    .filter(organisations::deleted_at.is_null())
                    .group_by(organisations::kind)
                    .select((organisations::kind, count_star()))
                    .into_boxed();
                organisation_filters!(q, Plan::Planner, backend, query, filter).load(conn)
            }
            Facet::Country => {
                let q = organisations::table
                    .filter(organisations::deleted_at.is_null())
                    .filter(organisations::country.is_not_null())
                    .group_by(organisations::country)
                    .select((organisations::country, count_star()))
                    .into_boxed();
                let rows: Vec<(Option<String>, i64)> =
                    organisation_filters!(q, Plan::Planner, backend, query, filter).load(conn)?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(v, n)| v.map(|v| (v, n)))
                    .collect())
            }
            other => unsupported(COLLECTION, &format!("{other:?}")),
        }
    }
}
