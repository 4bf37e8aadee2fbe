//! Programmes, modelled on the IATI activity standard, with their recipient countries and
//! participating organisations (join tables) and their locations and links (JSON columns).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::common::{
    CountryCode, Facet, Filter, ListQuery, MANY_MATCHES, Meta, Named, Plan, Record, SortValue,
    Source, Text, common_filters, filter_on, keyset_rows, string_enum, unsupported,
};
use super::relation::{self, Link as RecordLink};
use super::search::{self, Backend};
use super::store::{Store, table_store, versioned_update};
use super::tally;
use crate::db::schema::{programme_countries, programmes};
use crate::db::{AnyConnection, MultiBackend, insert_rows};

pub(crate) const COLLECTION: &str = <ProgrammeData as Named>::NAME;

/// IATI activity statuses.
pub const STATUSES: [&str; 6] = [
    "pipeline",
    "implementation",
    "finalisation",
    "closed",
    "cancelled",
    "suspended",
];
/// IATI organisation roles in an activity.
pub const ROLES: [&str; 4] = ["funding", "accountable", "extending", "implementing"];

string_enum!(
    /// IATI activity statuses.
    ProgrammeStatus = STATUSES
);
string_enum!(
    /// IATI organisation roles.
    ParticipationRole = ROLES
);

/// A place where a programme works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    /// The place's name.
    pub name: Text,
    /// Its country (ISO 3166-1 alpha-2).
    #[schema(value_type = CountryCode, example = "CL", pattern = "^[A-Z]{2}$")]
    pub country: String,
    /// WGS 84 latitude.
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    /// WGS 84 longitude.
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
}

/// A web page about a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Link {
    /// The page's title.
    pub title: Text,
    /// Its address.
    #[schema(example = "https://www.iom.int/")]
    pub url: String,
}

/// An organisation taking part in a programme, in an IATI role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Participation {
    /// The organisation's id.
    #[schema(
        example = "santiago-local-government",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"
    )]
    pub organisation: String,
    /// Its IATI role.
    #[schema(value_type = ParticipationRole)]
    pub role: String,
}

/// A programme's budget.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Budget {
    /// The amount.
    #[schema(example = 1500000.0, minimum = 0)]
    pub amount: f64,
    /// ISO 4217 currency.
    #[schema(example = "USD", pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

/// Everything about a programme that a client writes, validated. It serialises into the
/// document a merge patch applies to (the request schema, every language as an object).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Programme)]
pub struct ProgrammeData {
    /// Its IATI activity identifier, where it has one.
    #[schema(example = json!(null), max_length = 150)]
    pub iati_identifier: Option<String>,
    /// Its title.
    pub title: Text,
    /// A one-sentence summary.
    pub summary: Option<Text>,
    /// A full description.
    pub description: Option<Text>,
    /// IATI activity status; null when unknown.
    #[schema(value_type = Option<ProgrammeStatus>)]
    pub status: Option<String>,
    /// Planned start date.
    pub planned_start: Option<NaiveDate>,
    /// Planned end date.
    pub planned_end: Option<NaiveDate>,
    /// Actual start date.
    pub actual_start: Option<NaiveDate>,
    /// Actual end date.
    pub actual_end: Option<NaiveDate>,
    /// Recipient countries (ISO 3166-1 alpha-2).
    #[schema(value_type = Vec<CountryCode>, example = json!(["CL", "MX"]))]
    pub recipient_countries: Vec<String>,
    /// Places where it works.
    pub locations: Vec<Location>,
    /// Organisations taking part, each in an IATI role.
    pub participating_organisations: Vec<Participation>,
    /// The fund that finances it.
    #[schema(example = "mmptf")]
    pub fund: Option<String>,
    /// The engagement areas it serves, where a source makes the link.
    pub engagement_areas: Vec<String>,
    /// Its budget, where known.
    pub budget: Option<Budget>,
    /// Web pages about it.
    pub links: Vec<Link>,
    /// Where these facts come from.
    pub sources: Vec<Source>,
}

/// A stored programme.
pub type Programme = Record<ProgrammeData>;

/// The relations a programme keeps in the relations table (the members of the same names).
pub const PARTICIPATING_ORGANISATIONS: &str = "participating_organisations";
pub const FUND: &str = "fund";
pub const ENGAGEMENT_AREAS: &str = "engagement_areas";

/// The store of programmes: their table, with recipient countries in a join table and their
/// organisations, fund and engagement areas in the relations table.
pub struct ProgrammeTable;

#[derive(Queryable, Selectable)]
#[diesel(table_name = programmes)]
struct ProgrammeRow {
    id: String,
    iati_identifier: Option<String>,
    title_en: String,
    title_fr: Option<String>,
    title_es: Option<String>,
    summary_en: Option<String>,
    summary_fr: Option<String>,
    summary_es: Option<String>,
    description_en: Option<String>,
    description_fr: Option<String>,
    description_es: Option<String>,
    status: Option<String>,
    planned_start: Option<NaiveDate>,
    planned_end: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
    actual_end: Option<NaiveDate>,
    budget_amount: Option<f64>,
    budget_currency: Option<String>,
    locations: String,
    links: String,
    sources: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
    deleted_at: Option<NaiveDateTime>,
}

/// The columns a create or an update writes (None writes NULL).
#[derive(Insertable, AsChangeset)]
#[diesel(
    table_name = programmes,
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
struct ProgrammeColumns {
    iati_identifier: Option<String>,
    title_en: String,
    title_fr: Option<String>,
    title_es: Option<String>,
    summary_en: Option<String>,
    summary_fr: Option<String>,
    summary_es: Option<String>,
    description_en: Option<String>,
    description_fr: Option<String>,
    description_es: Option<String>,
    status: Option<String>,
    planned_start: Option<NaiveDate>,
    planned_end: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
    actual_end: Option<NaiveDate>,
    budget_amount: Option<f64>,
    budget_currency: Option<String>,
    locations: String,
    links: String,
    sources: String,
}

fn to_json<T: Serialize>(value: &T) -> QueryResult<String> {
    serde_json::to_string(value).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> QueryResult<T> {
    serde_json::from_str(text).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

impl ProgrammeData {
    /// What search indexes, per language (English where a text lacks the language).
    pub fn search_entries(&self) -> Vec<search::Entry> {
        search::entries_of(self, None)
    }

    fn columns(&self) -> QueryResult<ProgrammeColumns> {
        let (title_en, title_fr, title_es) = self.title.clone().into_columns();
        let (summary_en, summary_fr, summary_es) = Text::option_columns(self.summary.clone());
        let (description_en, description_fr, description_es) =
            Text::option_columns(self.description.clone());
        Ok(ProgrammeColumns {
            iati_identifier: self.iati_identifier.clone(),
            title_en,
            title_fr,
            title_es,
            summary_en,
            summary_fr,
            summary_es,
            description_en,
            description_fr,
            description_es,
            status: self.status.clone(),
            planned_start: self.planned_start,
            planned_end: self.planned_end,
            actual_start: self.actual_start,
            actual_end: self.actual_end,
            budget_amount: self.budget.as_ref().map(|b| b.amount),
            budget_currency: self.budget.as_ref().map(|b| b.currency.clone()),
            locations: to_json(&self.locations)?,
            links: to_json(&self.links)?,
            sources: to_json(&self.sources)?,
        })
    }
}

impl ProgrammeRow {
    fn into_programme(
        self,
        countries: Vec<String>,
        links: Vec<relation::StoredLink>,
    ) -> QueryResult<Programme> {
        let mut organisations = Vec::new();
        let mut fund = None;
        let mut engagement_areas = Vec::new();
        for link in links {
            match link.relation.as_str() {
                PARTICIPATING_ORGANISATIONS => organisations.push(Participation {
                    organisation: link.target_id,
                    role: link.role.unwrap_or_default(),
                }),
                FUND => fund = Some(link.target_id),
                _ => engagement_areas.push(link.target_id),
            }
        }
        let budget = match (self.budget_amount, self.budget_currency) {
            (Some(amount), Some(currency)) => Some(Budget { amount, currency }),
            _ => None,
        };
        Ok(Record {
            id: self.id,
            data: ProgrammeData {
                iati_identifier: self.iati_identifier,
                title: Text::from_columns(self.title_en, self.title_fr, self.title_es),
                summary: Text::from_option_columns(
                    self.summary_en,
                    self.summary_fr,
                    self.summary_es,
                ),
                description: Text::from_option_columns(
                    self.description_en,
                    self.description_fr,
                    self.description_es,
                ),
                status: self.status,
                planned_start: self.planned_start,
                planned_end: self.planned_end,
                actual_start: self.actual_start,
                actual_end: self.actual_end,
                recipient_countries: countries,
                locations: from_json(&self.locations)?,
                participating_organisations: organisations,
                fund,
                engagement_areas,
                budget,
                links: from_json(&self.links)?,
                sources: from_json(&self.sources)?,
            },
            meta: Meta {
                created_at: self.created_at,
                updated_at: self.updated_at,
                version: self.version,
                deleted_at: self.deleted_at,
            },
        })
    }
}

/// Loads rows with their countries and organisations, in two queries for the whole batch.
fn with_relations(
    conn: &mut AnyConnection,
    rows: Vec<ProgrammeRow>,
) -> QueryResult<Vec<Programme>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let mut countries: HashMap<String, Vec<String>> = HashMap::new();
    let found: Vec<(String, String)> = if let [id] = ids.as_slice() {
        // One record (a GET): a query of fixed shape, whose prepared statement is reused.
        programme_countries::table
            .filter(programme_countries::programme_id.eq(*id))
            .order(programme_countries::position)
            .select((
                programme_countries::programme_id,
                programme_countries::country,
            ))
            .load(conn)?
    } else {
        programme_countries::table
            .filter(crate::db::any_of(programme_countries::programme_id, &ids))
            .order((
                programme_countries::programme_id,
                programme_countries::position,
            ))
            .select((
                programme_countries::programme_id,
                programme_countries::country,
            ))
            .load(conn)?
    };
    for (programme_id, country) in found {
        countries.entry(programme_id).or_default().push(country);
    }
    let mut links: HashMap<String, Vec<relation::StoredLink>> = HashMap::new();
    for link in relation::of_records(conn, COLLECTION, &ids)? {
        links.entry(link.record_id.clone()).or_default().push(link);
    }
    rows.into_iter()
        .map(|row| {
            let c = countries.remove(&row.id).unwrap_or_default();
            let l = links.remove(&row.id).unwrap_or_default();
            row.into_programme(c, l)
        })
        .collect()
}

/// Applies a list's filters but the country to a boxed query whose source includes
/// `programmes` (and may include `programme_countries`, which `in_one_country` walks).
macro_rules! filters_but_country {
    ($q:expr, $plan:expr, $backend:expr, $query:expr, $filter:expr) => {{
        let (query, filter): (&ListQuery, &Filter) = ($query, $filter);
        let mut q = common_filters!($q, $plan, programmes, query, filter, COLLECTION, $backend);
        if let Some(statuses) = &filter.status {
            q = filter_on!(q, $plan, programmes::status, eq_any(statuses));
        }
        q
    }};
}

/// Applies a list's filters to a boxed query whose source includes `programmes` (the table
/// alone for pages and counts, joined for facets).
macro_rules! programme_filters {
    ($q:expr, $plan:expr, $backend:expr, $query:expr, $filter:expr) => {{
        let (query, filter): (&ListQuery, &Filter) = ($query, $filter);
        let mut q = filters_but_country!($q, $plan, $backend, query, filter);
        if let Some(countries) = &filter.country {
            let in_countries = programme_countries::table
                .filter(programme_countries::country.eq_any(countries))
                .select(programme_countries::programme_id);
            q = match $plan {
                Plan::Planner => q.filter(programmes::id.eq_any(in_countries)),
                // Tested record by record (see `common_filters`).
                Plan::InOrder => q.filter(diesel::dsl::exists(in_countries.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(
                        "programme_countries.programme_id = programmes.id",
                    ),
                ))),
            };
        }
        q
    }};
}

fn filtered<'a>(
    backend: Backend,
    query: &'a ListQuery,
    filter: &'a Filter,
    plan: Plan,
) -> QueryResult<programmes::BoxedQuery<'a, MultiBackend>> {
    if filter.kind.is_some()
        || filter.year.is_some()
        || filter.ends_on_or_after.is_some()
        || filter.starts_on_or_before.is_some()
    {
        return unsupported(COLLECTION, "kind, year or dates");
    }
    let q = programmes::table
        .filter(programmes::deleted_at.is_null())
        .into_boxed();
    Ok(programme_filters!(q, plan, backend, query, filter))
}

/// The country of a page in id order filtered on exactly one country, with neither `id=` nor
/// `q` (each of which the planner serves from its own, more selective, list).
fn one_country_in_id_order<'a>(query: &ListQuery, filter: &'a Filter) -> Option<&'a str> {
    match filter.country.as_deref() {
        Some([country]) if query.sort == "id" && query.ids.is_none() && query.search.is_none() => {
            Some(country)
        }
        _ => None,
    }
}

/// A page in id order of one country's programmes, walked in the `(country, programme_id)`
/// index, which holds them in id order, each entry tested against the other filters by one
/// primary-key lookup (and one look in the relations index per related-record condition).
/// Neither a sort of every match nor a sub-query per programme of the whole table: a page
/// costs the entries walked up to its last row. Measured with sqlite3 at 100,000 programmes, a
/// page of `country=MX` or `country=MX&status=closed` is read in about 0.1 ms, against 0.5 ms
/// for the walk of the id index and 3 ms for the planner's list of the country's ids; the
/// random filtered lists of bench/run.sh went from about 500 to 1,100-1,500 req/s.
fn in_one_country(
    conn: &mut AnyConnection,
    backend: Backend,
    query: &ListQuery,
    filter: &Filter,
    country: &str,
) -> QueryResult<Vec<ProgrammeRow>> {
    if filter.kind.is_some()
        || filter.year.is_some()
        || filter.ends_on_or_after.is_some()
        || filter.starts_on_or_before.is_some()
    {
        return unsupported(COLLECTION, "kind, year or dates");
    }
    let q = programme_countries::table
        .inner_join(programmes::table.on(programmes::id.eq(programme_countries::programme_id)))
        .filter(programme_countries::country.eq(country))
        .filter(programmes::deleted_at.is_null())
        .into_boxed::<MultiBackend>();
    // `InOrder`: the other conditions are tested entry by entry, never drawing the planner
    // to their own indexes and a sort.
    let mut q = filters_but_country!(q, Plan::InOrder, backend, query, filter);
    let after = query.after.as_ref().map(|key| key.id.as_str());
    q = match (after, query.descending) {
        (Some(id), false) => q.filter(programme_countries::programme_id.gt(id)),
        (Some(id), true) => q.filter(programme_countries::programme_id.lt(id)),
        (None, _) => q,
    };
    q = if query.descending {
        q.order(programme_countries::programme_id.desc())
    } else {
        q.order(programme_countries::programme_id.asc())
    };
    crate::db::limited(conn, q.select(ProgrammeRow::as_select()), query.limit).load(conn)
}

/// Whether each condition of the filter matches at least `MANY_MATCHES` programmes, counted in
/// its own index and only up to that many (a fraction of a millisecond): then a page is found
/// sooner by walking the sort's index than by sorting every match. A status and a country
/// that each match many may match few together: the tallies know how many match both, and the
/// walk is taken only if the window of `WALK_WINDOW` entries can be expected to hold twice the
/// page (a walk that does not fill the page costs the window for nothing, bench/RESULTS.md).
fn matches_many(conn: &mut AnyConnection, filter: &Filter, limit: i64) -> QueryResult<bool> {
    if !each_matches_many(conn, filter)? {
        return Ok(false);
    }
    // Only a status and a country, one value each (in `id` order one country is walked in its
    // own index instead, `in_one_country`). A related-record condition is left to the
    // walk: measured at 100,000 programmes, the planner's plan for `country=KE&fund=mmptf`
    // (15-25 ms) is slower than the walk that falls back to it (16 ms), while for
    // `country=KE&status=closed` it halves the time (4-6 ms against 9-11 ms).
    if let (Some([status]), Some([country]), true) = (
        filter.status.as_deref(),
        filter.country.as_deref(),
        filter.related.is_empty(),
    ) && let Some(together) = tally::both(conn, ("status", status), ("country", country))?
    {
        let total = tally::total(conn)?;
        return Ok(
            together.saturating_mul(crate::models::WALK_WINDOW) >= total.saturating_mul(2 * limit)
        );
    }
    Ok(true)
}

/// Whether each condition of the filter matches at least `MANY_MATCHES` programmes.
fn each_matches_many(conn: &mut AnyConnection, filter: &Filter) -> QueryResult<bool> {
    use crate::db::schema::relations;
    use diesel::dsl::sql;
    use diesel::sql_types::Integer;
    let many = |found: Vec<i32>| found.len() as i64 >= MANY_MATCHES;
    if let Some(statuses) = &filter.status {
        let found = programmes::table
            .filter(programmes::status.eq_any(statuses))
            .select(sql::<Integer>("1"))
            .limit(MANY_MATCHES)
            .load(conn)?;
        if !many(found) {
            return Ok(false);
        }
    }
    if let Some(countries) = &filter.country {
        let found = programme_countries::table
            .filter(programme_countries::country.eq_any(countries))
            .select(sql::<Integer>("1"))
            .limit(MANY_MATCHES)
            .load(conn)?;
        if !many(found) {
            return Ok(false);
        }
    }
    for (names, targets) in &filter.related {
        let found = relations::table
            .filter(relations::collection.eq(COLLECTION))
            .filter(relations::relation.eq_any(names))
            .filter(relations::target_id.eq_any(targets))
            .select(sql::<Integer>("1"))
            .limit(MANY_MATCHES)
            .load(conn)?;
        if !many(found) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A count the tallies answer (`table_store!`'s count tries it first).
fn tallied_count(
    conn: &mut AnyConnection,
    query: &ListQuery,
    filter: &Filter,
) -> QueryResult<Option<i64>> {
    tally::count(conn, query, filter)
}

/// The value a programme has for a sort field, for the next page's cursor.
fn sort_value(programme: &Programme, sort: &str) -> SortValue {
    let date = |d: Option<NaiveDate>| d.map_or(SortValue::Null, SortValue::Date);
    match sort {
        "title" => SortValue::Text(programme.data.title.en.clone()),
        "created_at" => SortValue::Instant(programme.meta.created_at),
        "updated_at" => SortValue::Instant(programme.meta.updated_at),
        "planned_start" => date(programme.data.planned_start),
        "actual_start" => date(programme.data.actual_start),
        _ => SortValue::Null,
    }
}

/// Writes what a programme keeps outside its row: its countries, links and search entries.
/// `before` is the data being replaced (on update): what did not change is not rewritten.
fn write_relations(
    conn: &mut AnyConnection,
    id: &str,
    data: &ProgrammeData,
    links: Option<&[RecordLink]>,
    before: Option<&ProgrammeData>,
) -> QueryResult<()> {
    if before.is_none_or(|b| b.recipient_countries != data.recipient_countries) {
        diesel::delete(programme_countries::table.filter(programme_countries::programme_id.eq(id)))
            .execute(conn)?;
        for (position, country) in (0i32..).zip(&data.recipient_countries) {
            diesel::insert_into(programme_countries::table)
                .values((
                    programme_countries::programme_id.eq(id),
                    programme_countries::country.eq(country),
                    programme_countries::position.eq(position),
                ))
                .execute(conn)?;
        }
    }
    if let Some(links) = links {
        relation::replace(conn, COLLECTION, id, links)?;
    }
    let entries = data.search_entries();
    if before.is_none_or(|b| b.search_entries() != entries) {
        search::index(conn, COLLECTION, id, &entries)?;
    }
    Ok(())
}

// No defaults, so SQLite takes a multi-row VALUES (diesel inserts row by row otherwise).
#[derive(Insertable)]
#[diesel(table_name = programmes, treat_none_as_default_value = false)]
struct NewProgramme {
    id: String,
    #[diesel(embed)]
    columns: ProgrammeColumns,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
}

/// Programmes per multi-row INSERT (24 columns: under SQLite's 32,766 bound parameters).
const BATCH: usize = 1000;

/// Creates many programmes (version 1) with their countries, links and search entries, in
/// multi-row INSERTs on each backend: how large generated datasets load in minutes. Run inside
/// a write transaction; the caller appends the change-feed entries.
pub fn insert_many(
    conn: &mut AnyConnection,
    items: &[(String, ProgrammeData, Vec<RecordLink>)],
    at: NaiveDateTime,
) -> QueryResult<()> {
    for chunk in items.chunks(BATCH) {
        let rows = chunk
            .iter()
            .map(|(id, data, _)| {
                Ok(NewProgramme {
                    id: id.clone(),
                    columns: data.columns()?,
                    created_at: at,
                    updated_at: at,
                    version: 1,
                })
            })
            .collect::<QueryResult<Vec<_>>>()?;
        let countries: Vec<_> = chunk
            .iter()
            .flat_map(|(id, data, _)| {
                (0i32..)
                    .zip(&data.recipient_countries)
                    .map(|(position, c)| {
                        (
                            programme_countries::programme_id.eq(id.clone()),
                            programme_countries::country.eq(c.clone()),
                            programme_countries::position.eq(position),
                        )
                    })
            })
            .collect();
        insert_rows!(&mut *conn, programmes::table, &rows)?;
        insert_rows!(&mut *conn, programme_countries::table, &countries)?;
        let links: Vec<(&str, &[RecordLink])> = chunk
            .iter()
            .map(|(id, _, links)| (id.as_str(), links.as_slice()))
            .collect();
        relation::insert_many(conn, COLLECTION, &links)?;
        let entries: Vec<(&str, Vec<search::Entry>)> = chunk
            .iter()
            .map(|(id, data, _)| (id.as_str(), data.search_entries()))
            .collect();
        search::index_many(conn, COLLECTION, &entries)?;
        let mut deltas = tally::Deltas::default();
        for (_, data, links) in chunk {
            deltas.add(&tally::keys_of(data, links), 1);
        }
        deltas.apply(conn)?;
    }
    Ok(())
}

impl Store<ProgrammeData> for ProgrammeTable {
    table_store!(programmes, ProgrammeRow, with_relations, ProgrammeData);

    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &ProgrammeData,
        links: &[RecordLink],
        at: NaiveDateTime,
    ) -> QueryResult<Programme> {
        diesel::insert_into(programmes::table)
            .values((
                programmes::id.eq(id),
                data.columns()?,
                programmes::created_at.eq(at),
                programmes::updated_at.eq(at),
                programmes::version.eq(1),
            ))
            .execute(conn)?;
        write_relations(conn, id, data, Some(links), None)?;
        tally::change(conn, None, Some(&tally::keys_of(data, links)))?;
        Ok(Record::created(id, data, at))
    }

    fn update(
        conn: &mut AnyConnection,
        current: &Programme,
        data: &ProgrammeData,
        links: Option<&[RecordLink]>,
        at: NaiveDateTime,
    ) -> QueryResult<Option<Programme>> {
        let version = current.meta.version;
        // The tallies move only when a key changed: a title's edit reads nothing more.
        let keys_changed = links.is_some()
            || data.status != current.data.status
            || data.recipient_countries != current.data.recipient_countries;
        let before = if keys_changed {
            tally::stored_keys(conn, &current.id)?
        } else {
            None
        };
        let updated = versioned_update!(
            conn,
            programmes,
            &current.id,
            version,
            at,
            (data.columns()?)
        )?;
        if updated == 0 {
            return Ok(None);
        }
        write_relations(conn, &current.id, data, links, Some(&current.data))?;
        if keys_changed {
            let after = tally::stored_keys(conn, &current.id)?;
            tally::change(conn, before.as_ref(), after.as_ref())?;
        }
        Ok(Some(current.updated(data, at)))
    }

    fn delete(
        conn: &mut AnyConnection,
        current: &Programme,
        _tombstone: &ProgrammeData,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let at_version = current.meta.version;
        let before = tally::stored_keys(conn, &current.id)?;
        let updated = versioned_update!(
            conn,
            programmes,
            &current.id,
            at_version,
            at,
            (programmes::deleted_at.eq(at))
        )?;
        if updated == 0 {
            return Ok(false);
        }
        diesel::delete(
            programme_countries::table.filter(programme_countries::programme_id.eq(&current.id)),
        )
        .execute(conn)?;
        relation::clear(conn, COLLECTION, &current.id)?;
        search::remove(conn, COLLECTION, &current.id)?;
        tally::change(conn, before.as_ref(), None)?;
        Ok(true)
    }

    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
    ) -> QueryResult<Vec<Programme>> {
        let backend = Backend::of(conn);
        if let Some(country) = one_country_in_id_order(query, filter) {
            let rows = in_one_country(conn, backend, query, filter, country)?;
            return with_relations(conn, rows);
        }
        let walk = query.walks_in_order(filter) && matches_many(conn, filter, query.limit)?;
        let base = |plan| filtered(backend, query, filter, plan);
        let all = || {
            programmes::table
                .filter(programmes::deleted_at.is_null())
                .into_boxed()
        };
        let rows = match query.sort.as_str() {
            "title" => keyset_rows!(conn, all(), base, programmes, title_en: String,
                nullable: false, query, walk: walk, as_text, ProgrammeRow)?,
            "created_at" => keyset_rows!(conn, all(), base, programmes, created_at: NaiveDateTime,
                nullable: false, query, walk: walk, as_instant, ProgrammeRow)?,
            "updated_at" => keyset_rows!(conn, all(), base, programmes, updated_at: NaiveDateTime,
                nullable: false, query, walk: walk, as_instant, ProgrammeRow)?,
            "planned_start" => keyset_rows!(conn, all(), base, programmes,
                planned_start: NaiveDate, nullable: true, query, walk: walk, as_date, ProgrammeRow)?,
            "actual_start" => keyset_rows!(conn, all(), base, programmes,
                actual_start: NaiveDate, nullable: true, query, walk: walk, as_date, ProgrammeRow)?,
            _ => keyset_rows!(
                conn,
                all(),
                base,
                programmes,
                id,
                query,
                walk: walk,
                ProgrammeRow
            )?,
        };
        with_relations(conn, rows)
    }

    /// Values without records are left out.
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Filter,
        facet: &Facet,
    ) -> QueryResult<Vec<(String, i64)>> {
        use crate::db::schema::relations;
        use diesel::dsl::count;
        use diesel::expression_methods::AggregateExpressionMethods;
        // Checks the filter's fields once.
        drop(filtered(Backend::of(conn), query, filter, Plan::Planner)?);
        if let Some(values) = tally::facet(conn, query, filter, facet)? {
            return Ok(values);
        }
        let backend = Backend::of(conn);
        match facet {
            Facet::Country => {
                // Aliased: the filters' sub-queries use the table too.
                let pc = diesel::alias!(programme_countries as facet_countries);
                let q = programmes::table
                    .inner_join(
                        pc.on(pc
                            .field(programme_countries::programme_id)
                            .eq(programmes::id)),
                    )
                    .filter(programmes::deleted_at.is_null())
                    .group_by(pc.field(programme_countries::country))
                    .select((
                        pc.field(programme_countries::country),
                        count(programmes::id).aggregate_distinct(),
                    ))
                    .into_boxed();
                programme_filters!(q, Plan::Planner, backend, query, filter).load(conn)
            }
            Facet::Related(names) => {
                // Aliased: the filters' sub-queries use the table too.
                let r = diesel::alias!(relations as facet_relations);
                let q = programmes::table
                    .inner_join(
                        r.on(r
                            .field(relations::record_id)
                            .eq(programmes::id)
                            .and(r.field(relations::collection).eq(COLLECTION))),
                    )
                    .filter(r.field(relations::relation).eq_any(names))
                    .filter(programmes::deleted_at.is_null())
                    .group_by(r.field(relations::target_id))
                    .select((
                        r.field(relations::target_id),
                        count(programmes::id).aggregate_distinct(),
                    ))
                    .into_boxed();
                programme_filters!(q, Plan::Planner, backend, query, filter).load(conn)
            }
            Facet::Status => {
                let q = programmes::table
                    .filter(programmes::deleted_at.is_null())
                    .filter(programmes::status.is_not_null())
                    .group_by(programmes::status)
                    .select((
                        programmes::status,
                        count(programmes::id).aggregate_distinct(),
                    ))
                    .into_boxed();
                let rows: Vec<(Option<String>, i64)> =
                    programme_filters!(q, Plan::Planner, backend, query, filter).load(conn)?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(v, n)| v.map(|v| (v, n)))
                    .collect())
            }
            other => unsupported(COLLECTION, &format!("{other:?}")),
        }
    }
}
