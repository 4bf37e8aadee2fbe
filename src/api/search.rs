//! `GET /v1/search`: ranked full-text search across every collection, in one language.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::extract::run;
use super::lang::{LangChoice, negotiate};
use super::listing::{self, FacetValue, SortKind};
use super::respond;
use crate::db::{self, Pool};
use crate::error::AppError;
use crate::models::domain::Contact;
use crate::models::search::{self, Query};
use crate::models::{Named, SortKey, SortValue, Store};

/// The query parameters a search takes.
pub const PARAMS: [&str; 8] = [
    "q",
    "fuzzy",
    "collection",
    "lang",
    "limit",
    "cursor",
    "count",
    "facets",
];

/// One record that matches.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    #[serde(flatten)]
    pub record: super::docs::RecordRef,
    /// Its title or name, in the language searched.
    #[schema(example = "Santiago–Mexico City partnership on the labour inclusion of migrants")]
    pub title: String,
    /// A passage of its text around the words found, HTML-escaped, the words found in
    /// `<mark>`, `…` where the text was cut. Empty when only the title matched.
    #[schema(
        example = "A partnership between the cities of Santiago and Mexico City for the labour inclusion of <mark>migrants</mark>…"
    )]
    pub snippet: String,
    /// For a contact: how to reach them, in the language searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactCard>,
}

/// What a contact's hit carries to act on without a second request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactCard {
    #[schema(example = "Migration Policy Officer")]
    pub job_title: Option<String>,
    #[schema(example = "Integrated City and Local Solutions")]
    pub unit: Option<String>,
    #[schema(example = "focal.point@iom.int")]
    pub email: Option<String>,
}

/// Whether a search's counts hold every hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TotalRelation {
    /// Every hit is counted: `total` is the number of hits.
    Eq,
    /// Counting stopped at 5,000 hits (the most recently indexed): there are at least
    /// `total`, and the facets count those 5,000.
    Gte,
}

/// The `meta` member of a page of hits.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchMeta {
    /// The page size asked for.
    #[schema(example = 20)]
    pub limit: i64,
    /// The cursor of the next page, or null on the last page.
    pub next_cursor: Option<String>,
    /// With `count=true`: how many records match, counted up to 5,000 (see `total_relation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 24)]
    pub total: Option<i64>,
    /// With `count=true` or `facets`: `eq` when every hit is counted, `gte` when counting
    /// stopped at 5,000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_relation: Option<TotalRelation>,
}

/// The operator's bounds on a search's work: holders of a word past which a query is broad
/// and answered most recently indexed first (`--search-broad-records`), and hits counted at
/// most (`--search-count-cap`).
#[derive(Debug, Clone, Copy)]
pub struct SearchLimits {
    pub broad: i64,
    pub count_cap: i64,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits {
            broad: search::BROAD_RECORDS,
            count_cap: search::COUNT_CAP,
        }
    }
}

/// A page of search hits, best first (or most recently indexed first for a broad query: see
/// `ranked_by`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub data: Vec<SearchHit>,
    /// How `data` is ordered: `relevance`, or `recency` for a broad query.
    pub ranked_by: search::Order,
    pub meta: SearchMeta,
    /// `self` and `next` (null on the last page).
    #[schema(value_type = listing::PageLinks)]
    pub links: Value,
    /// With `facets=collection`: how many records match in each collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<String, Vec<FacetValue>>>,
    /// When nothing matches: a query one edit per word away that finds records (its words
    /// lower-case, accents folded, as the index keeps them).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "migration")]
    pub did_you_mean: Option<String>,
}

/// Query parameters of a search.
// The document's description of what `parse` reads by hand (its errors name each parameter);
// never built. `tests/api/openapi.rs` checks that the names agree with `PARAMS`.
#[allow(dead_code)]
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for, in the language of the response: words (all must occur, stemmed and
    /// accent-insensitive: "migrant" finds "migrants", "decent" finds "décent"), "quoted
    /// phrases", prefixes (`migr*`), `OR` between two words and `-word` (or `NOT word`) to
    /// exclude one. Any text of at most 200 characters is read, never refused: an unclosed
    /// quote runs to the end, parentheses and `AND` are ignored, and words after the 16th
    /// are ignored. With no word to find (empty, punctuation) nothing is found.
    #[param(required = true, max_length = 200, example = "travail décent")]
    q: String,
    /// Typo tolerance (default `true`): a word of 5 letters or more that no record holds also
    /// finds the words one edit away (a letter missing, extra, wrong, or two swapped); a word
    /// some record holds is taken as typed, so no near word outranks an exact match. `false`
    /// takes words as typed.
    fuzzy: Option<bool>,
    /// Only these collections (comma-separated or repeated).
    #[param(explode = false, inline, min_items = 1, example = json!(["programmes"]))]
    collection: Option<Vec<super::docs::CollectionName>>,
    /// The language searched and shown (overrides `Accept-Language`); `all` is not offered here.
    #[param(inline, example = "fr")]
    lang: Option<SearchLang>,
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// `true` adds the number of hits as `meta.total`, counted up to 5,000
    /// (`meta.total_relation` says whether counting stopped there).
    count: Option<bool>,
    /// `collection` adds the number of hits per collection as `facets` (over the 5,000 most
    /// recently written hits when there are more: see `meta.total_relation`).
    #[param(explode = false, inline, min_items = 1, example = json!(["collection"]))]
    facets: Option<Vec<SearchFacet>>,
}

/// A language search runs in.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum SearchLang {
    En,
    Fr,
    Es,
}

/// The facets search offers.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum SearchFacet {
    Collection,
}

struct Parsed {
    query: Query,
    fuzzy: bool,
    lang: crate::models::Lang,
    collections: Vec<&'static str>,
    limit: i64,
    offset: i64,
    count: bool,
    facets: bool,
    fingerprint: String,
    pairs: Vec<(String, String)>,
}

fn parse(req: &HttpRequest) -> Result<Parsed, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, value) in &pairs {
        if !PARAMS.contains(&name.as_str()) {
            return Err(AppError::InvalidQuery(format!(
                "unknown query parameter '{name}'; search takes: {}",
                PARAMS.join(", ")
            )));
        }
        by_name
            .entry(name.as_str())
            .or_default()
            .push(value.as_str());
    }
    let get = |name: &str| by_name.get(name).map(Vec::as_slice);
    let one = |name: &str| -> Result<Option<&str>, AppError> {
        match get(name) {
            None => Ok(None),
            Some([one]) => Ok(Some(*one)),
            Some(_) => Err(AppError::InvalidQuery(format!(
                "{name} is given more than once"
            ))),
        }
    };
    let lang = match negotiate(req, one("lang")?)? {
        LangChoice::One(lang) => lang,
        LangChoice::All => {
            return Err(AppError::InvalidQuery(
                "search runs in one language: lang must be en, fr or es here".into(),
            ));
        }
    };
    let q = one("q")?
        .ok_or_else(|| AppError::InvalidQuery("q is required: the words to search for".into()))?;
    let query = search::parse(q, lang).map_err(|e| AppError::InvalidQuery(e.0))?;
    let mut collections: Vec<&'static str> = Vec::new();
    if let Some(raw) = get("collection") {
        for name in listing::values("collection", raw)? {
            let Some(known) = crate::records::catalogue::entry(&name).map(|e| e.name) else {
                return Err(AppError::InvalidQuery(format!(
                    "collection '{name}' is not searched; collection takes: {}",
                    crate::records::catalogue::names()
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            if !collections.contains(&known) {
                collections.push(known);
            }
        }
        collections.sort_unstable();
    }
    let limit = match one("limit")? {
        None => listing::DEFAULT_LIMIT,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=listing::MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                AppError::InvalidQuery(format!(
                    "limit must be a whole number from 1 to {}",
                    listing::MAX_LIMIT
                ))
            })?,
    };
    let count = match one("count")? {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(AppError::InvalidQuery("count must be true or false".into())),
    };
    let fuzzy = match one("fuzzy")? {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(AppError::InvalidQuery("fuzzy must be true or false".into())),
    };
    let facets = match get("facets") {
        None => false,
        Some(raw) => {
            for name in listing::values("facets", raw)? {
                if name != "collection" {
                    return Err(AppError::InvalidQuery(format!(
                        "facet '{name}' is not offered; search facets: collection"
                    )));
                }
            }
            true
        }
    };
    let fingerprint = {
        let mut h = Sha256::new();
        h.update(format!(
            "search|{query:?}|{fuzzy}|{}|{collections:?}",
            lang.code()
        ));
        listing::hex(&h.finalize()[..8])
    };
    // An empty cursor, as a form sends it, is the first page.
    let offset = match one("cursor")?.filter(|c| !c.is_empty()) {
        None => 0,
        Some(raw) => {
            let key = listing::decode_cursor(
                &listing::cursor_key(req),
                raw,
                &fingerprint,
                SortKind::Int,
            )?;
            match key.value {
                SortValue::Int(n) if n > 0 => n,
                _ => return Err(AppError::InvalidCursor),
            }
        }
    };
    Ok(Parsed {
        query,
        fuzzy,
        lang,
        collections,
        limit,
        offset,
        count,
        facets,
        fingerprint,
        pairs,
    })
}

/// Searches every collection (or those asked for) and answers the best hits first.
///
/// A broad query (a word held by more than 5,000 records, or a prefix of more than 64 words)
/// is answered most recently indexed first instead, with `ranked_by: "recency"`. Words are
/// stemmed and accent-insensitive in the language searched; each hit carries its collection,
/// id, path, title and an HTML-safe snippet with the matches in `<mark>`. Paged by a signed
/// offset cursor; `count=true` and `facets=collection` count the hits (up to 5,000).
#[utoipa::path(
    tag = "Search",
    security((), ("bearer" = [])),
    params(SearchParams, super::extract::AcceptLanguage),
    responses(
        (status = 200, description = "A page of hits, best first", body = SearchPage,
            headers(
                ("ETag" = String, description = "Identifies this page's content and language"),
                ("Content-Language" = String, description = "The language searched"),
                ("Link" = String, description = "`<...>; rel=\"next\"` when there is a next page"),
            )),
        (status = 304, description = "Not modified (If-None-Match)"),
        super::ListErrors,
    )
)]
#[get("/search")]
pub async fn search_all(req: HttpRequest, pool: web::Data<Pool>) -> Result<HttpResponse, AppError> {
    let p = parse(&req)?;
    let cached = match super::cache::Cached::lookup(
        &req,
        &pool,
        LangChoice::One(p.lang),
        super::representation::Format::Json,
        &super::cache::Scope::Feed,
    )
    .await
    {
        Ok(cached) => cached,
        Err(hit) => return Ok(hit),
    };
    let (query, lang, collections) = (p.query.clone(), p.lang, p.collections.clone());
    let (limit, offset, count, facets) = (p.limit, p.offset, p.count, p.facets);
    let fuzzy = p.fuzzy;
    let limits = req
        .app_data::<web::Data<SearchLimits>>()
        .map_or_else(SearchLimits::default, |l| *l.get_ref());
    let (mut hits, ranked_by, per_collection, did_you_mean, cards, seq) = run(&pool, move |conn| {
        db::read_transaction(conn, |conn| {
            let seq = crate::models::change::last_seq(conn)?;
            let near = if fuzzy {
                search::with_typos(conn, &query, lang)?
            } else {
                None
            };
            // Prefixes as their words, once for the page and the counts.
            let searched = &search::with_prefix_words(conn, near.as_ref().unwrap_or(&query), lang)?;
            let (hits, order) = search::search(
                conn,
                searched,
                lang,
                &collections,
                (offset, limit + 1),
                limits.broad,
            )?;
            let per_collection = if count || facets {
                Some(search::count_by_collection(
                    conn,
                    searched,
                    lang,
                    &collections,
                    limits.count_cap,
                )?)
            } else {
                None
            };
            let did_you_mean = if hits.is_empty() && offset == 0 {
                search::suggestion(conn, &query, lang)?
            } else {
                None
            };
            let contacts: Vec<String> = hits
                .iter()
                .filter(|h| h.collection == <Contact as Named>::NAME)
                .map(|h| h.record_id.clone())
                .collect();
            let cards: BTreeMap<String, ContactCard> =
                <<Contact as crate::records::Collection>::Store as Store<Contact>>::find_live_many(
                    conn, &contacts,
                )?
                .into_iter()
                .map(|c| {
                    let text = |t: &Option<crate::models::Text>| {
                        t.as_ref().map(|t| t.get_or_en(lang).to_owned())
                    };
                    let card = ContactCard {
                        job_title: text(&c.data.job_title),
                        unit: text(&c.data.unit),
                        email: c.data.email.clone(),
                    };
                    (c.id, card)
                })
                .collect();
            Ok((hits, order, per_collection, did_you_mean, cards, seq))
        })
    })
    .await?;
    let mut cards = cards;
    let has_more = hits.len() as i64 > limit;
    hits.truncate(limit as usize);
    let next_cursor = match hits.last() {
        Some(last) if has_more => Some(listing::encode_cursor(
            &listing::cursor_key(&req),
            &p.fingerprint,
            &SortKey {
                value: SortValue::Int(offset + limit),
                id: last.record_id.clone(),
            },
        )),
        _ => None,
    };
    let data = hits
        .into_iter()
        .map(|h| SearchHit {
            snippet: search::snippet(&h.body, &p.query, lang),
            contact: if h.collection == <Contact as Named>::NAME {
                cards.remove(&h.record_id)
            } else {
                None
            },
            record: super::docs::RecordRef::new(h.collection, h.record_id),
            title: h.title,
        })
        .collect();
    let (links, next) = listing::page_links(req.path(), &p.pairs, next_cursor.as_deref());
    let page = SearchPage {
        data,
        ranked_by,
        meta: SearchMeta {
            limit,
            next_cursor,
            total: per_collection
                .as_ref()
                .filter(|_| count)
                .map(|(rows, _)| rows.iter().map(|(_, n)| n).sum()),
            total_relation: per_collection.as_ref().map(|(_, all)| {
                if *all {
                    TotalRelation::Eq
                } else {
                    TotalRelation::Gte
                }
            }),
        },
        links,
        did_you_mean,
        facets: per_collection.filter(|_| facets).map(|(rows, _)| {
            BTreeMap::from([(
                "collection".to_owned(),
                FacetValue::sorted(
                    rows.into_iter()
                        .map(|(value, count)| FacetValue { value, count })
                        .collect(),
                ),
            )])
        }),
    };
    let response = listing::with_next_link(
        respond::representation(&req, &page, LangChoice::One(lang), None),
        next,
    );
    Ok(match cached {
        Some(cached) => cached.store(seq, response),
        None => response,
    })
}
