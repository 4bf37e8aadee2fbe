//! Types every collection shares: multilingual text, sources, record metadata, list queries.

use chrono::{NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// A string member whose values are those of a constant list: documented as an enumeration of
/// exactly that list, so the document and the validation read one declaration.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident = $values:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some($values.iter().copied()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use string_enum;

/// An ISO 3166-1 alpha-2 country code: the `CountryCode` schema, every code the API takes.
pub struct CountryCode;

impl utoipa::PartialSchema for CountryCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let mut codes: Vec<&str> = isocountry::CountryCode::iter()
            .map(|c| c.alpha2())
            .collect();
        codes.sort_unstable();
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(codes))
            .description(Some("An ISO 3166-1 alpha-2 country code"))
            .into()
    }
}

impl utoipa::ToSchema for CountryCode {}

/// A language the data is held in. English is the fallback.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fr,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }
}

/// A text held in English (always) and optionally French and Spanish. Never holds an empty string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<String>,
}

/// `Text` in the document: an object of languages, English required. Responses and requests
/// document it as `LocalizedText` and `TextInput` (the API derives those schemas from the data
/// types that hold texts).
impl utoipa::PartialSchema for Text {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let text = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
        };
        ObjectBuilder::new()
            .property("en", text())
            .property("fr", text())
            .property("es", text())
            .required("en")
            .description(Some(
                "A text in English and, where known, French and Spanish",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Text {}

impl Text {
    pub fn from_columns(en: String, fr: Option<String>, es: Option<String>) -> Self {
        Self { en, fr, es }
    }

    /// The text in `lang`, if held.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => Some(&self.en),
            Lang::Fr => self.fr.as_deref(),
            Lang::Es => self.es.as_deref(),
        }
    }

    /// The text in `lang`, or English when it is not held.
    pub fn get_or_en(&self, lang: Lang) -> &str {
        self.get(lang).unwrap_or(&self.en)
    }

    /// Splits into the three columns a table stores.
    pub fn into_columns(self) -> (String, Option<String>, Option<String>) {
        (self.en, self.fr, self.es)
    }

    /// Splits an optional text into its three nullable columns.
    pub fn option_columns(text: Option<Text>) -> (Option<String>, Option<String>, Option<String>) {
        match text {
            Some(t) => (Some(t.en), t.fr, t.es),
            None => (None, None, None),
        }
    }

    /// Rebuilds an optional text from nullable columns (no English means no text).
    pub fn from_option_columns(
        en: Option<String>,
        fr: Option<String>,
        es: Option<String>,
    ) -> Option<Text> {
        en.map(|en| Text { en, fr, es })
    }
}

/// Where a record's facts come from: a page a reader can find, by its title, publisher and
/// date, in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    /// The source's title.
    pub title: Text,
    /// Who publishes it.
    pub publisher: Option<Text>,
    /// Where it is published, if it has an address.
    #[schema(example = json!(null))]
    pub url: Option<String>,
    /// The document's name as its publisher gives it, for a source without an address.
    #[schema(example = json!(null))]
    pub document: Option<String>,
    /// The source's date.
    #[schema(example = "2024-01-25")]
    pub date: Option<chrono::NaiveDate>,
    /// What a reader should know about how the record uses it: the edition read, a correction.
    pub note: Option<Text>,
}

/// A collection's name: its path segment (`engagement-areas`), which the change feed, the
/// relations table and the search index also use. Stated once, in the catalogue
/// (`records::catalogue`).
pub trait Named {
    const NAME: &'static str;
}

/// A stored record: its id, its validated data and its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<D> {
    pub id: String,
    pub data: D,
    pub meta: Meta,
}

impl<D: Clone> Record<D> {
    /// A record just created at `at` (version 1).
    pub fn created(id: &str, data: &D, at: NaiveDateTime) -> Self {
        Record {
            id: id.to_owned(),
            data: data.clone(),
            meta: Meta {
                created_at: at,
                updated_at: at,
                version: 1,
                deleted_at: None,
            },
        }
    }

    /// This record with `data`, written at `at` (the next version).
    pub fn updated(&self, data: &D, at: NaiveDateTime) -> Self {
        Record {
            id: self.id.clone(),
            data: data.clone(),
            meta: Meta {
                updated_at: at,
                version: self.meta.version + 1,
                ..self.meta.clone()
            },
        }
    }
}

/// An instant as the API writes it: RFC 3339, UTC, microseconds.
pub fn instant(t: &NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    // Written field by field: `format` parses its pattern on every call (perf: about 1 % of a
    // record read, which writes three instants). Years beyond 0-9999 keep chrono's form.
    if !(0..=9999).contains(&t.year()) {
        return t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        // A leap second is written as second 60.
        t.second() + u32::from(t.nanosecond() >= 1_000_000_000),
        t.nanosecond() % 1_000_000_000 / 1_000
    )
}

/// What every record carries besides its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub deleted_at: Option<NaiveDateTime>,
}

/// The current instant, in UTC, at the microsecond precision both backends store.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// A sort value: the position of a record in a sorted list (with its id as the tie-break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    Null,
    Text(String),
    Date(chrono::NaiveDate),
    Instant(NaiveDateTime),
    Int(i64),
}

impl SortValue {
    pub fn as_text(&self) -> Option<String> {
        match self {
            SortValue::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
    pub fn as_date(&self) -> Option<chrono::NaiveDate> {
        match self {
            SortValue::Date(d) => Some(*d),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i32> {
        match self {
            SortValue::Int(n) => i32::try_from(*n).ok(),
            _ => None,
        }
    }
    pub fn as_instant(&self) -> Option<NaiveDateTime> {
        match self {
            SortValue::Instant(t) => Some(*t),
            _ => None,
        }
    }
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub value: SortValue,
    pub id: String,
}

/// What a facet counts (`facets=` on a list): a column of the record, or the ids it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facet {
    /// A programme's status.
    Status,
    /// The record's kind.
    Kind,
    /// The record's country (a programme's recipient countries).
    Country,
    /// The record's year.
    Year,
    /// The ids of the records linked through one of these relations.
    Related(Vec<&'static str>),
}

/// The filters of a list besides those every list has (`ListQuery`); each store applies the
/// ones its records have and refuses the others.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<Vec<String>>,
    pub kind: Option<Vec<String>>,
    pub country: Option<Vec<String>>,
    pub year: Option<Vec<i32>>,
    /// `(relations, ids)`: records linked through one of `relations` to one of `ids`.
    pub related: Vec<(Vec<&'static str>, Vec<String>)>,
    /// Records whose date may fall on or after this day.
    pub ends_on_or_after: Option<chrono::NaiveDate>,
    /// Records whose date may fall on or before this day.
    pub starts_on_or_before: Option<chrono::NaiveDate>,
}

/// A filter or facet a store does not have, as a query error (a bug, never a client's fault).
pub fn unsupported<T>(store: &str, what: &str) -> diesel::QueryResult<T> {
    Err(diesel::result::Error::QueryBuilderError(
        format!("{store} cannot filter or count by {what}").into(),
    ))
}

/// What every list query has besides its collection's own filters.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only these ids (`id=a,b`).
    pub ids: Option<Vec<String>>,
    /// Only records updated at or after this instant.
    pub updated_since: Option<NaiveDateTime>,
    /// The parsed `q`, searched in `lang`.
    pub search: Option<super::search::Query>,
    /// The language searched.
    pub lang: Option<Lang>,
    /// The sort field (one of the collection's sort list) and direction.
    pub sort: String,
    pub descending: bool,
    /// Start after this key.
    pub after: Option<SortKey>,
    /// How many rows to fetch (the API asks one more than the page, to know if there is a next).
    pub limit: i64,
}

/// How a list query's filters are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// As the database's planner chooses: usually a filter's own index, then a sort of every
    /// record it finds (fast when the filter is selective).
    Planner,
    /// Walking the sort's index in order and testing each record against the filters, which
    /// are written so that no index can serve them (fast when many records match).
    InOrder,
}

/// How many index entries past the cursor a walk in order looks at before it leaves the page to
/// the planner: a filter that one record in 250 or more matches fills a page of 20 within it.
/// The sort indexes hold the columns the filters test (migration `000006_sort_indexes`), so
/// the walk reads no rows and costs about a millisecond at most, whatever the collection's size.
pub const WALK_WINDOW: i64 = 5000;

/// A filter condition that matches at least this many records (counted in its own index, up to
/// this many) is worth walking the sort's index for: sorting its matches would cost more than
/// walking to the page. Below it, the planner sorts the few matches.
pub const MANY_MATCHES: i64 = 1000;

impl ListQuery {
    /// Whether the page may be worth a walk in index order: a filter that can match many records
    /// (a status, kind, country or related record), and no `id=` or `q`, whose matches are few
    /// and found by their own index. A store may also count each condition's matches first.
    pub fn walks_in_order(&self, filter: &Filter) -> bool {
        self.ids.is_none()
            && self.search.is_none()
            && (filter.status.is_some()
                || filter.kind.is_some()
                || filter.country.is_some()
                || !filter.related.is_empty())
    }
}

/// `q.filter($col.$method(args))`, with the text column `$col` written `($col || '')` under
/// `Plan::InOrder`: the same test, which no index serves, so the planner walks the sort's.
macro_rules! filter_on {
    ($q:expr, $plan:expr, $col:expr, $method:ident($($arg:expr),*)) => {
        match $plan {
            $crate::models::Plan::Planner => $q.filter($col.$method($($arg),*)),
            $crate::models::Plan::InOrder => $q.filter($col.concat("").$method($($arg),*)),
        }
    };
}
pub(crate) use filter_on;

/// The condition "the key `(col, id)` is `$op` `($value, $id)`" on `$table`, boxed: a row-value
/// comparison, which both backends serve from the `(col, id)` index (`id $op $id` for the id
/// sort).
macro_rules! key_beyond {
    ($table:ident, $col:ident, $op:expr, $value:expr, $id:expr) => {{
        let condition: Box<
            dyn diesel::BoxableExpression<
                    $table::table,
                    $crate::db::MultiBackend,
                    SqlType = diesel::sql_types::Bool,
                >,
        > = if stringify!($col) == "id" {
            Box::new(
                diesel::dsl::sql::<diesel::sql_types::Bool>(concat!(stringify!($table), ".id "))
                    .sql($op)
                    .sql(" ")
                    .bind::<diesel::sql_types::Text, _>($id),
            )
        } else {
            Box::new(
                diesel::dsl::sql::<diesel::sql_types::Bool>(concat!(
                    "(",
                    stringify!($table),
                    ".",
                    stringify!($col),
                    ", ",
                    stringify!($table),
                    ".id) "
                ))
                .sql($op)
                .sql(" (")
                .bind::<diesel::dsl::SqlTypeOf<$table::$col>, _>($value)
                .sql(", ")
                .bind::<diesel::sql_types::Text, _>($id)
                .sql(")"),
            )
        };
        condition
    }};
}
pub(crate) use key_beyond;

/// Loads one page of `$row`s sorted on `$table::$col` (of Rust type `$ty`), after the query's
/// cursor: ties break on id in the sort's direction, and records without a value (`nullable`
/// columns) come last in both directions. Every query is one range of the `(col, id)` index
/// (or `(collection, col, id)`), read forwards or backwards, so a page costs the same at any
/// depth: first the records with a value, after the cursor as the row value `(col, id)`; then,
/// while the page is not full, those without, in id order.
///
/// When `walk` (a filter that matches many records: `ListQuery::walks_in_order`), the records with
/// a value are first looked for by walking the index over the next `WALK_WINDOW` entries (the
/// bound is read from `$scope`, the collection's records unfiltered); when the window does not
/// fill the page, the filter is selective and the planner's plan answers the page. `$base` is `Fn(Plan) -> QueryResult<the
/// filtered boxed query>`; `$conv` turns the cursor's value into `$ty`.
macro_rules! keyset_rows {
    ($conn:expr, $scope:expr, $base:expr, $table:ident, id, $query:expr, walk: $walk:expr, $row:ty) => {{
        let query: &$crate::models::ListQuery = $query;
        let start = query.after.as_ref().map(|key| (key.id.clone(), key.id.clone()));
        $crate::models::common::keyset_rows!(@page $conn, $scope, $base, $table, id: String, false, query, $walk,
            start, false, $row)
    }};
    ($conn:expr, $scope:expr, $base:expr, $table:ident, $col:ident: $ty:ty, nullable: $nullable:expr,
        $query:expr, walk: $walk:expr, $conv:ident, $row:ty) => {{
        let query: &$crate::models::ListQuery = $query;
        let start: Option<($ty, String)> = query
            .after
            .as_ref()
            .and_then(|key| key.value.$conv().map(|value| (value, key.id.clone())));
        // A cursor taken among the records without a value continues there.
        let after_null = query.after.is_some() && start.is_none();
        $crate::models::common::keyset_rows!(@page $conn, $scope, $base, $table, $col: $ty, $nullable, query, $walk,
            start, after_null, $row)
    }};
    (@page $conn:expr, $scope:expr, $base:expr, $table:ident, $col:ident: $ty:ty, $nullable:expr,
        $query:expr, $walk:expr, $start:expr, $after_null:expr, $row:ty) => {{
        use $crate::models::{Plan, WALK_WINDOW};
        let query: &$crate::models::ListQuery = $query;
        let nullable: bool = $nullable;
        let start: Option<($ty, String)> = $start;
        let after_null: bool = $after_null;
        let col = $table::$col.nullable();
        let (beyond, up_to) = if query.descending { ("<", ">=") } else { (">", "<=") };
        // The id sort orders on id alone: `ORDER BY id, id` keeps SQLite from reading the
        // index in order.
        let by_id = stringify!($col) == "id";
        macro_rules! in_order {
            ($q:expr) => {
                match (by_id, query.descending) {
                    (true, true) => $q.order($table::id.desc()),
                    (true, false) => $q.order($table::id.asc()),
                    (false, true) => $q.order((col.desc(), $table::id.desc())),
                    (false, false) => $q.order((col.asc(), $table::id.asc())),
                }
            };
        }
        let mut rows: Vec<$row> = Vec::new();
        if !after_null {
            let mut left = query.limit;
            if $walk {
                let mut window = $scope;
                if nullable {
                    window = window.filter(col.is_not_null());
                }
                if let Some((value, id)) = start.clone() {
                    window = window.filter($crate::models::common::key_beyond!($table, $col, beyond, value, id));
                }
                let bound: Option<($ty, String)> =
                    $crate::db::limited(&*$conn, in_order!(window).select((col, $table::id)), 1)
                    .offset(WALK_WINDOW - 1)
                    .load::<(Option<$ty>, String)>(&mut *$conn)?
                    .pop()
                    .and_then(|(value, id)| value.map(|value| (value, id)));
                let mut q = $base(Plan::InOrder)?;
                if nullable {
                    q = q.filter(col.is_not_null());
                }
                if let Some((value, id)) = start.clone() {
                    q = q.filter($crate::models::common::key_beyond!($table, $col, beyond, value, id));
                }
                if let Some((value, id)) = bound.clone() {
                    q = q.filter($crate::models::common::key_beyond!($table, $col, up_to, value, id));
                }
                rows = $crate::db::limited(&*$conn, in_order!(q).select(<$row>::as_select()), query.limit)
                    .load::<$row>(&mut *$conn)?;
                // The page is full, or the window held every remaining record with a value.
                // Otherwise the filter is selective: the planner's plan answers the page from
                // the cursor (not from the window's edge: a range there would draw the planner
                // to the sort's index and its long walk).
                if rows.len() as i64 == query.limit || bound.is_none() {
                    left = 0;
                } else {
                    rows.clear();
                }
            }
            if left > 0 {
                let mut q = $base(Plan::Planner)?;
                if nullable {
                    q = q.filter(col.is_not_null());
                }
                if let Some((value, id)) = start {
                    q = q.filter($crate::models::common::key_beyond!($table, $col, beyond, value, id));
                }
                rows.extend(
                    $crate::db::limited(&*$conn, in_order!(q).select(<$row>::as_select()), left)
                        .load::<$row>(&mut *$conn)?,
                );
            }
        }
        let left = query.limit - rows.len() as i64;
        if nullable && left > 0 {
            let mut q = $base(Plan::Planner)?.filter(col.is_null());
            if let Some(key) = query.after.as_ref().filter(|_| after_null) {
                q = if query.descending {
                    q.filter($table::id.lt(key.id.clone()))
                } else {
                    q.filter($table::id.gt(key.id.clone()))
                };
            }
            let q = if query.descending {
                q.order($table::id.desc())
            } else {
                q.order($table::id.asc())
            };
            rows.extend(
                $crate::db::limited(&*$conn, q.select(<$row>::as_select()), left)
                    .load::<$row>(&mut *$conn)?,
            );
        }
        diesel::QueryResult::Ok(rows)
    }};
}
pub(crate) use keyset_rows;

/// Applies what every list filters on (`id`, `updated_since`, `q` in the query's language, the
/// related records, as `$plan` says) to a boxed query whose source includes `$table` (with `id` and `updated_at` columns), whose
/// records are indexed for search under `$collection`; `$backend` picks the search SQL.
macro_rules! common_filters {
    ($q:expr, $plan:expr, $table:ident, $query:expr, $filter:expr, $collection:expr, $backend:expr) => {{
        let mut q = $q;
        for (relations, targets) in &$filter.related {
            let linked =
                $crate::models::relation::linked_to!($collection, relations.as_slice(), targets);
            q = match $plan {
                $crate::models::Plan::Planner => q.filter($table::id.eq_any(linked)),
                // Tested record by record: one lookup in the relations index each, instead of
                // the list of every linked record built first.
                $crate::models::Plan::InOrder => {
                    q.filter(diesel::dsl::exists(linked.filter(diesel::dsl::sql::<
                        diesel::sql_types::Bool,
                    >(
                        concat!(
                        "relations.record_id = ",
                        stringify!($table),
                        ".id"
                    )
                    ))))
                }
            };
        }
        if let Some(ids) = &$query.ids {
            q = q.filter($table::id.eq_any(ids));
        }
        if let Some(since) = $query.updated_since {
            q = q.filter($table::updated_at.ge(since));
        }
        if let Some(search) = &$query.search {
            q = q.filter($crate::models::search::matches_sql(
                $backend,
                concat!(stringify!($table), ".id"),
                $collection,
                $query.lang.unwrap_or($crate::models::Lang::En),
                search,
            ));
        }
        q
    }};
}
pub(crate) use common_filters;

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime};

    #[test]
    fn instants_are_written_as_chrono_writes_them() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cases: Vec<NaiveDateTime> = vec![
            day(2026, 12, 4)
                .and_hms_micro_opt(18, 1, 37, 123_456)
                .unwrap(),
            day(1, 1, 1).and_hms_opt(0, 0, 0).unwrap(),
            day(9999, 12, 31)
                .and_hms_nano_opt(23, 59, 59, 999_999_999)
                .unwrap(),
            // A leap second, and years outside 0-9999.
            day(2016, 12, 31)
                .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
                .unwrap(),
            day(12345, 6, 7).and_hms_opt(8, 9, 10).unwrap(),
            day(-44, 3, 15).and_hms_opt(12, 0, 0).unwrap(),
        ];
        for t in &cases {
            assert_eq!(
                super::instant(t),
                t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
                "{t:?}"
            );
        }
        assert_eq!(super::instant(&cases[0]), "2026-12-04T18:01:37.123456Z");
    }
}
