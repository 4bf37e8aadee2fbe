//! What every list endpoint shares: query-string parsing against the collection's declared
//! filters and sorts (anything unknown is a 400), keyset cursors bound to their query, the page
//! envelope and its `Link` header.

use std::collections::BTreeMap;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::ToSchema;

use super::lang::LangChoice;
use super::respond;
use crate::error::AppError;
use crate::models::search;
use crate::models::{Facet, Filter, ListQuery, SortKey, SortValue};
use crate::records::Collection;
use crate::records::check::is_slug;
pub use crate::records::lists::{FilterKind, SortKind};
use crate::records::relations::Include;

/// Default and largest page sizes.
pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// Everything a collection's list takes: its [`ListSpec`] with the filters, facets and
/// includes its relations give.
#[derive(Debug, Clone)]
pub struct Spec {
    pub collection: &'static str,
    pub filters: Vec<(&'static str, FilterKind)>,
    pub sorts: Vec<(&'static str, SortKind)>,
    pub default_sort: &'static str,
    pub facets: Vec<(&'static str, Facet)>,
    pub includes: Vec<Include>,
}

impl Spec {
    /// The whole spec of the collection `C`, declared by its list and its relations.
    pub fn of<C: Collection>() -> Self {
        let name = C::NAME;
        let related = crate::records::relations::filters(C::RELATIONS);
        let mut filters = C::LIST.filter_kinds::<C>();
        let mut facets = C::LIST.facets::<C>();
        for (filter, members) in related {
            filters.push((filter, FilterKind::Related(members.clone())));
            facets.push((filter, Facet::Related(members)));
        }
        let sorts = C::LIST.sort_kinds();
        Spec {
            collection: name,
            filters,
            default_sort: sorts.first().map_or("id", |(s, _)| s),
            sorts,
            facets,
            includes: crate::records::relations::includes(name),
        }
    }

    /// The values `sort` takes: every sort field, ascending and (`-`) descending.
    pub fn sort_values(&self) -> Vec<String> {
        self.sorts
            .iter()
            .flat_map(|(s, _)| [(*s).to_owned(), format!("-{s}")])
            .collect()
    }
}

/// A parsed list request.
#[derive(Debug, Clone)]
pub struct ListParams {
    /// The query for the model; its `limit` is one more than the page, to see if there is a next.
    pub query: ListQuery,
    /// The collection's own filters, for the store.
    pub filter: Filter,
    pub page_limit: i64,
    pub count: bool,
    /// The includes asked for (`None` without `include`).
    pub includes: Option<Vec<Include>>,
    /// The facets asked for, in the order asked.
    pub facets: Vec<(&'static str, Facet)>,
    pub lang: LangChoice,
    fingerprint: String,
    signing: CursorKey,
    pairs: Vec<(String, String)>,
    path: String,
}

const COMMON: [&str; 11] = [
    "limit",
    "cursor",
    "sort",
    "count",
    "include",
    "lang",
    "q",
    "id",
    "updated_since",
    "facets",
    "fields",
];

/// The includes named in `include` (a 400 naming those offered for an unknown one).
pub fn parse_includes(spec: &Spec, names: &[String]) -> Result<Vec<Include>, AppError> {
    names
        .iter()
        .map(|name| {
            spec.includes
                .iter()
                .find(|i| i.name == name)
                .cloned()
                .ok_or_else(|| {
                    let offered: Vec<&str> = spec.includes.iter().map(|i| i.name).collect();
                    AppError::InvalidQuery(format!(
                        "include '{name}' is not offered; include takes: {}",
                        if offered.is_empty() {
                            "nothing here".to_owned()
                        } else {
                            offered.join(", ")
                        }
                    ))
                })
        })
        .collect()
}

/// Splits `a,b` and repeated parameters into one list, rejecting empty values (the document
/// gives every list parameter at least one item).
pub(crate) fn values(name: &str, raw: &[&str]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for value in raw.iter().flat_map(|v| v.split(',')) {
        let value = value.trim();
        if value.is_empty() {
            return Err(AppError::InvalidQuery(format!("{name} has an empty value")));
        }
        if !out.iter().any(|v| v == value) {
            if out.len() == 100 {
                return Err(AppError::InvalidQuery(format!(
                    "{name} takes at most 100 values"
                )));
            }
            out.push(value.to_owned());
        }
    }
    Ok(out)
}

fn single<'a>(name: &str, raw: &[&'a str]) -> Result<&'a str, AppError> {
    match raw {
        [one] => Ok(one),
        _ => Err(AppError::InvalidQuery(format!(
            "{name} is given more than once; it takes one value"
        ))),
    }
}

/// Parses an RFC 3339 instant into UTC.
/// Parses an RFC 3339 instant into UTC, at the microsecond precision the database stores
/// (finer digits are dropped), between the years 1 and 9999.
pub fn parse_instant(name: &str, value: &str) -> Result<NaiveDateTime, AppError> {
    let invalid = || {
        AppError::InvalidQuery(format!(
            "{name} must be an RFC 3339 instant such as 2024-01-25T00:00:00Z"
        ))
    };
    let t = DateTime::parse_from_rfc3339(value)
        .map_err(|_| invalid())?
        .naive_utc();
    if !(1..=9999).contains(&t.year()) {
        return Err(invalid());
    }
    Ok(t.with_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .unwrap_or(t))
}

/// Reads the query string of a list request.
pub fn parse(req: &HttpRequest, spec: &Spec, lang: LangChoice) -> Result<ListParams, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in &pairs {
        let known = COMMON.contains(&name.as_str()) || spec.filters.iter().any(|(f, _)| f == name);
        if !known {
            return Err(AppError::InvalidQuery(format!(
                "unknown query parameter '{name}'; this list takes: {}",
                COMMON
                    .iter()
                    .copied()
                    .filter(|p| *p != "facets" || !spec.facets.is_empty())
                    .chain(spec.filters.iter().map(|(f, _)| *f))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        by_name
            .entry(name.as_str())
            .or_default()
            .push(value.as_str());
    }
    let get = |name: &str| by_name.get(name).map(Vec::as_slice);

    let page_limit = match get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match single("limit", raw)?.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(AppError::InvalidQuery(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}"
                )));
            }
        },
    };
    let count = match get("count") {
        None => false,
        Some(raw) => match single("count", raw)? {
            "true" => true,
            "false" => false,
            _ => return Err(AppError::InvalidQuery("count must be true or false".into())),
        },
    };
    if let Some(raw) = get("lang") {
        single("lang", raw)?;
    }

    let (sort, descending, sort_kind) = match get("sort") {
        None => {
            let kind = spec
                .sorts
                .iter()
                .find(|(s, _)| *s == spec.default_sort)
                .map_or(SortKind::Id, |(_, k)| *k);
            (spec.default_sort.to_owned(), false, kind)
        }
        Some(raw) => {
            let value = single("sort", raw)?;
            let (name, desc) = match value.strip_prefix('-') {
                Some(name) => (name, true),
                None => (value, false),
            };
            let Some((_, kind)) = spec.sorts.iter().find(|(s, _)| *s == name) else {
                return Err(AppError::InvalidQuery(format!(
                    "sort '{name}' is not offered; sort takes one of: {} (prefix '-' for descending)",
                    spec.sorts
                        .iter()
                        .map(|(s, _)| *s)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            (name.to_owned(), desc, *kind)
        }
    };

    let includes = match get("include") {
        None => None,
        Some(raw) => Some(parse_includes(spec, &values("include", raw)?)?),
    };

    let mut facets: Vec<(&'static str, Facet)> = Vec::new();
    if let Some(raw) = get("facets") {
        let names = values("facets", raw)?;
        if spec.facets.is_empty() {
            return Err(AppError::InvalidQuery("this list offers no facets".into()));
        }
        for name in names {
            let Some((facet_name, facet)) = spec.facets.iter().find(|(f, _)| *f == name) else {
                return Err(AppError::InvalidQuery(format!(
                    "facet '{name}' is not offered; facets takes: {}",
                    spec.facets
                        .iter()
                        .map(|(f, _)| *f)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            if !facets.iter().any(|(f, _)| f == facet_name) {
                facets.push((facet_name, facet.clone()));
            }
        }
    }

    let ids = match get("id") {
        None => None,
        Some(raw) => {
            let ids = values("id", raw)?;
            if let Some(bad) = ids.iter().find(|id| !is_slug(id)) {
                return Err(AppError::InvalidQuery(format!(
                    "id '{bad}' is not a valid id"
                )));
            }
            Some(ids)
        }
    };
    let updated_since = get("updated_since")
        .map(|raw| single("updated_since", raw).and_then(|v| parse_instant("updated_since", v)))
        .transpose()?;
    // A q with no word to find (an empty search box) filters nothing.
    let search = match get("q") {
        None => None,
        Some(raw) => Some(
            search::parse(single("q", raw)?, lang.search_lang())
                .map_err(|e| AppError::InvalidQuery(e.0))?,
        )
        .filter(|query| !query.is_empty()),
    };

    let mut filters = BTreeMap::new();
    let mut filter = Filter::default();
    for (name, kind) in &spec.filters {
        let Some(raw) = get(name) else { continue };
        if matches!(
            kind,
            FilterKind::Upcoming | FilterKind::From | FilterKind::To
        ) {
            single(name, raw)?;
        }
        let vals = values(name, raw)?;
        for v in &vals {
            let ok = match kind {
                FilterKind::Status(allowed) | FilterKind::Kind(allowed) => {
                    allowed.contains(&v.as_str())
                }
                FilterKind::Country => {
                    v.len() == 2 && isocountry::CountryCode::for_alpha2(v).is_ok()
                }
                FilterKind::Related(_) => is_slug(v),
                FilterKind::Year => {
                    v.len() == 4 && v.parse::<i32>().is_ok_and(|y| (1900..=2200).contains(&y))
                }
                FilterKind::From | FilterKind::To => {
                    v.len() == 10 && NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
                }
                FilterKind::Upcoming => v == "true" || v == "false",
            };
            if !ok {
                let expected = match kind {
                    FilterKind::Status(allowed) | FilterKind::Kind(allowed) => {
                        format!("one of: {}", allowed.join(", "))
                    }
                    FilterKind::Country => "an ISO 3166-1 alpha-2 code in capitals".to_owned(),
                    FilterKind::Related(_) => "an id".to_owned(),
                    FilterKind::Year => "a year from 1900 to 2200".to_owned(),
                    FilterKind::From | FilterKind::To => "a date YYYY-MM-DD".to_owned(),
                    FilterKind::Upcoming => "true or false".to_owned(),
                };
                return Err(AppError::InvalidQuery(format!(
                    "{name} '{v}' is not valid; expected {expected}"
                )));
            }
        }
        let day = || NaiveDate::parse_from_str(&vals[0], "%Y-%m-%d").ok();
        match kind {
            FilterKind::Status(_) => filter.status = Some(vals.clone()),
            FilterKind::Kind(_) => filter.kind = Some(vals.clone()),
            FilterKind::Country => filter.country = Some(vals.clone()),
            FilterKind::Year => {
                filter.year = Some(vals.iter().filter_map(|y| y.parse().ok()).collect());
            }
            FilterKind::Related(members) => filter.related.push((members.clone(), vals.clone())),
            FilterKind::Upcoming if vals[0] == "true" => {
                let today = chrono::Utc::now().date_naive();
                filter.ends_on_or_after = filter.ends_on_or_after.max(Some(today));
            }
            FilterKind::Upcoming => {}
            FilterKind::From => filter.ends_on_or_after = filter.ends_on_or_after.max(day()),
            FilterKind::To => filter.starts_on_or_before = day(),
        }
        filters.insert(*name, vals);
    }

    let fingerprint = {
        let mut h = Sha256::new();
        h.update(spec.collection);
        // The language matters only to a search; otherwise a reader may switch it between pages.
        let search_lang = if search.is_some() {
            lang.search_lang().code()
        } else {
            ""
        };
        let direction = order_tag(&sort, descending);
        h.update(format!(
            "{sort}|{direction}|{ids:?}|{updated_since:?}|{search:?}|{filters:?}|{search_lang}"
        ));
        hex(&h.finalize()[..8])
    };
    // An empty cursor, as a form sends it, is the first page.
    let after = match get("cursor") {
        None => None,
        Some(raw) => match single("cursor", raw)? {
            "" => None,
            cursor => Some(decode_cursor(
                &cursor_key(req),
                cursor,
                &fingerprint,
                sort_kind,
            )?),
        },
    };

    Ok(ListParams {
        query: ListQuery {
            ids,
            updated_since,
            search,
            lang: Some(lang.search_lang()),
            sort,
            descending,
            after,
            limit: page_limit + 1,
        },
        filter,
        page_limit,
        count,
        includes,
        facets,
        lang,
        fingerprint,
        signing: cursor_key(req),
        pairs,
        path: req.path().to_owned(),
    })
}

/// The order a cursor was issued in, as its fingerprint names it. Descending sorts other than
/// `id` break ties on id descending since 2026-12-03 (ascending before): their cursors name the
/// new order, so a cursor issued under the old one is refused (400 invalid-cursor) rather than
/// followed into a page that skips or repeats records. Every other order is unchanged, and its
/// cursors stay valid across the change.
fn order_tag(sort: &str, descending: bool) -> &'static str {
    match (sort, descending) {
        (_, false) => "false",
        ("id", true) => "true",
        (_, true) => "true|ties-desc",
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key that signs cursors: made once per database and shared by its instances.
#[derive(Debug, Clone)]
pub struct CursorKey(pub Vec<u8>);

pub(crate) fn cursor_key(req: &HttpRequest) -> CursorKey {
    req.app_data::<web::Data<CursorKey>>()
        .map(|k| k.get_ref().clone())
        .unwrap_or(CursorKey(Vec::new()))
}

/// The HMAC-SHA256 of a cursor's payload (its first 16 bytes, hex): a cursor cannot be forged.
fn signature(key: &CursorKey, payload: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.0).unwrap_or_else(|_| {
        // HMAC takes keys of any length; this branch cannot be reached.
        <Hmac<Sha256> as Mac>::new_from_slice(b"iom-lrg").unwrap_or_else(|_| unreachable!())
    });
    mac.update(payload.as_bytes());
    hex(&mac.finalize().into_bytes()[..16])
}

/// A cursor: base64url of a signature and `{"f": fingerprint, "v": sort value, "i": id}`.
pub(crate) fn encode_cursor(signing: &CursorKey, fingerprint: &str, key: &SortKey) -> String {
    let value = match &key.value {
        SortValue::Null => Value::Null,
        SortValue::Text(s) => json!(s),
        SortValue::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
        SortValue::Instant(t) => json!(t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()),
        SortValue::Int(n) => json!(n),
    };
    let payload = json!({"f": fingerprint, "v": value, "i": key.id}).to_string();
    let sum = signature(signing, &payload);
    URL_SAFE_NO_PAD.encode(format!("{sum}{payload}"))
}

pub(crate) fn decode_cursor(
    signing: &CursorKey,
    cursor: &str,
    fingerprint: &str,
    kind: SortKind,
) -> Result<SortKey, AppError> {
    if cursor.len() > 1024 {
        return Err(AppError::InvalidCursor);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| AppError::InvalidCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| AppError::InvalidCursor)?;
    let (sum, payload) = text.split_at_checked(32).ok_or(AppError::InvalidCursor)?;
    if !bool::from(signature(signing, payload).as_bytes().ct_eq(sum.as_bytes())) {
        return Err(AppError::InvalidCursor);
    }
    let value: Value = serde_json::from_str(payload).map_err(|_| AppError::InvalidCursor)?;
    if value["f"] != fingerprint {
        return Err(AppError::InvalidCursor);
    }
    let id = value["i"]
        .as_str()
        .filter(|id| is_slug(id))
        .ok_or(AppError::InvalidCursor)?
        .to_owned();
    let sort_value = match (&value["v"], kind) {
        (Value::Null, _) => SortValue::Null,
        (Value::String(s), SortKind::Id) if is_slug(s) => SortValue::Text(s.clone()),
        (Value::String(s), SortKind::Text)
            if s.len() <= 2000 && !s.chars().any(char::is_control) =>
        {
            SortValue::Text(s.clone())
        }
        (Value::Number(n), SortKind::Int) => {
            SortValue::Int(n.as_i64().ok_or(AppError::InvalidCursor)?)
        }
        (Value::String(s), SortKind::Date) => SortValue::Date(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .filter(|d| (1..=9999).contains(&d.year()))
                .ok_or(AppError::InvalidCursor)?,
        ),
        (Value::String(s), SortKind::Instant) => SortValue::Instant(
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .filter(|t| (1..=9999).contains(&t.year()))
                .ok_or(AppError::InvalidCursor)?,
        ),
        _ => return Err(AppError::InvalidCursor),
    };
    Ok(SortKey {
        value: sort_value,
        id,
    })
}

/// The `meta` member of a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageMeta {
    /// The page size asked for.
    #[schema(example = 20)]
    pub limit: i64,
    /// The cursor of the next page, or null on the last page.
    pub next_cursor: Option<String>,
    /// How many records match the filters (only with `count=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// The `links` member of a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageLinks {
    /// This page.
    #[serde(rename = "self")]
    #[schema(example = "/v1/programmes?limit=20")]
    pub this: String,
    /// The next page, or null on the last page.
    pub next: Option<String>,
}

/// How many records of the current filter have one value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The value, as its filter takes it.
    #[schema(example = "implementation")]
    pub value: String,
    /// How many records matching the current filters have it.
    #[schema(example = 3)]
    pub count: i64,
}

impl FacetValue {
    /// Most frequent first, then by value.
    pub fn sorted(mut values: Vec<FacetValue>) -> Vec<FacetValue> {
        // Values read from a key's range usually come in value order already; a stable sort on
        // the count alone then keeps ties in value order without comparing strings (a facet of
        // 20,000 organisations has mostly ties). Any other order gets the full comparison.
        if values.is_sorted_by(|a, b| a.value <= b.value) {
            values.sort_by_key(|v| std::cmp::Reverse(v.count));
        } else {
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
        values
    }
}

/// Counts per value of each facet asked for.
pub type Facets = BTreeMap<&'static str, Vec<FacetValue>>;

/// A page of records.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: PageMeta,
    pub links: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

impl ListParams {
    /// Cuts the rows fetched (one more than the page) to the page and makes the next cursor.
    pub fn paginate<R>(
        &self,
        mut rows: Vec<R>,
        key: impl Fn(&R) -> SortKey,
    ) -> (Vec<R>, Option<String>) {
        let has_more = rows.len() as i64 > self.page_limit;
        rows.truncate(self.page_limit as usize);
        let next = if has_more {
            rows.last()
                .map(|last| encode_cursor(&self.signing, &self.fingerprint, &key(last)))
        } else {
            None
        };
        (rows, next)
    }

    /// The address of the next page, when there is one.
    pub fn next_link(&self, next_cursor: Option<&str>) -> Option<String> {
        page_links(&self.path, &self.pairs, next_cursor).1
    }

    /// The page response in `format` (JSON, CSV or GeoJSON; see `representation`): envelope,
    /// `Link: rel="next"`, ETag, language and caching headers. `fields` selects members.
    #[allow(clippy::too_many_arguments)]
    pub fn respond(
        &self,
        req: &HttpRequest,
        format: super::representation::Format,
        mut data: Vec<Value>,
        fields: Option<&[String]>,
        next_cursor: Option<String>,
        total: Option<i64>,
        facets: Option<Facets>,
        csv_columns: impl FnOnce() -> std::sync::Arc<[String]>,
    ) -> HttpResponse {
        use super::representation::{self, Format};
        // GeoJSON places a record by its locations, selected or not: select in the features.
        if let (Some(fields), false) = (fields, format == Format::GeoJson) {
            for record in &mut data {
                representation::select(record, fields);
            }
        }
        let (links, next) = page_links(&self.path, &self.pairs, next_cursor.as_deref());
        let page = Page {
            data,
            meta: PageMeta {
                limit: self.page_limit,
                next_cursor,
                total,
            },
            links,
            facets,
        };
        let response = match format {
            Format::Csv => {
                let columns = super::csv_out::selected(&csv_columns(), fields);
                respond::csv_representation(
                    req,
                    super::csv_out::table(&page.data, &columns),
                    self.lang,
                )
            }
            Format::GeoJson => {
                let page = serde_json::to_value(&page).unwrap_or(Value::Null);
                let collection = representation::feature_collection(page, fields);
                respond::page_as(req, &collection, self.lang, format)
            }
            Format::Json | Format::Calendar | Format::Xml | Format::EventStream => {
                respond::list_representation(req, &page, self.lang)
            }
        };
        with_next_link(response, next)
    }
}

/// The `links` member of a page (`self` keeps the request's cursor, `next` carries the next
/// one) and the next page's address, from the request's path and query pairs.
pub(crate) fn page_links(
    path: &str,
    pairs: &[(String, String)],
    next_cursor: Option<&str>,
) -> (Value, Option<String>) {
    let link = |cursor: Option<&str>| {
        let mut kept: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(k, _)| k != "cursor")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(cursor) = cursor {
            kept.push(("cursor", cursor));
        }
        let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    };
    let current = pairs
        .iter()
        .find(|(k, _)| k == "cursor")
        .map(|(_, v)| v.as_str());
    let next = next_cursor.map(|c| link(Some(c)));
    (json!({"self": link(current), "next": next}), next)
}

/// Adds `Link: <next>; rel="next"` when there is a next page.
pub(crate) fn with_next_link(mut response: HttpResponse, next: Option<String>) -> HttpResponse {
    if let Some(next) = next
        && let Ok(value) = format!("<{next}>; rel=\"next\"").parse::<HeaderValue>()
    {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{FacetValue, order_tag};

    #[test]
    fn facet_values_come_most_frequent_first_then_by_value_whatever_order_they_arrive_in() {
        let value = |value: &str, count| FacetValue {
            value: value.to_owned(),
            count,
        };
        let expected = [("b", 3), ("a", 2), ("c", 2), ("d", 1)];
        let in_value_order = vec![value("a", 2), value("b", 3), value("c", 2), value("d", 1)];
        let shuffled = vec![value("c", 2), value("d", 1), value("b", 3), value("a", 2)];
        for arrived in [in_value_order, shuffled] {
            let sorted: Vec<(String, i64)> = FacetValue::sorted(arrived)
                .into_iter()
                .map(|v| (v.value, v.count))
                .collect();
            let expected: Vec<(String, i64)> = expected
                .iter()
                .map(|(v, n)| ((*v).to_owned(), *n))
                .collect();
            assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn only_descending_sorts_whose_ties_changed_direction_get_a_new_cursor_order() {
        // What the fingerprint held before ties followed the sort's direction: `{descending}`.
        for (sort, descending) in [("id", false), ("title", false), ("id", true)] {
            assert_eq!(
                order_tag(sort, descending),
                descending.to_string(),
                "{sort}"
            );
        }
        for sort in ["title", "updated_at", "planned_start", "date", "position"] {
            assert_ne!(
                order_tag(sort, true),
                "true",
                "-{sort} cursors of the old order"
            );
        }
    }
}
