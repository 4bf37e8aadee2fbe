//! The handlers every collection shares, generic over [`Collection`]: list, get, create, update
//! and delete, with `include` embedding resolved through the relations table. Each resource
//! module declares its routes with [`collection_routes!`], which only adds the OpenAPI
//! annotations around these functions.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::Value;

use super::auth;
use super::cache::Cached;
use super::lang::{LangChoice, Renderer, negotiate};
use super::listing::{self, ListParams, ListSpec};
use super::records::{self, Idempotency, Resource, param, run, single_query};
use super::{registry, respond};
use crate::db::{self, AnyConnection, Pool};
use crate::error::AppError;
use crate::models::{Facet, ListQuery, SortKey};
use crate::models::{change, relation};
use diesel::QueryResult;
use sha2::{Digest, Sha256};

/// Related records embedded by `include`, by include name.
pub type Included = BTreeMap<&'static str, Vec<Value>>;

/// The most records one include embeds in one record.
pub const MAX_INCLUDED: usize = 100;

/// How an include finds its records.
#[derive(Debug, Clone, Copy)]
pub enum Via {
    /// The records this one points to through one of its relations.
    Outgoing(&'static str),
    /// The records of `collection` whose `relation` points to this one.
    Incoming {
        collection: &'static str,
        relations: &'static [&'static str],
    },
}

/// One name `include` takes.
#[derive(Debug, Clone, Copy)]
pub struct IncludeSpec {
    pub name: &'static str,
    /// The collection of the embedded records.
    pub target: &'static str,
    pub via: Via,
}

/// A collection served with the whole contract of docs/API.md.
pub trait Collection: Resource {
    type Out: Serialize;
    type Filter: Send + 'static;
    /// Accepted filters and sorts.
    const LIST: ListSpec;
    /// Accepted `include` names.
    const INCLUDES: &'static [IncludeSpec];

    /// The collection's own filters, from a parsed list request.
    fn filter(params: &ListParams) -> Self::Filter;
    fn list(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Self::Filter,
    ) -> QueryResult<Vec<Self::Record>>;
    fn count(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Self::Filter,
    ) -> QueryResult<i64>;
    /// Counts per value of facet `name` (one of `LIST.facets`) among the records matching the
    /// filters.
    fn facet(
        conn: &mut AnyConnection,
        query: &ListQuery,
        filter: &Self::Filter,
        name: &str,
        facet: Facet,
    ) -> QueryResult<Vec<(String, i64)>>;
    fn sort_key(record: &Self::Record, sort: &str) -> SortKey;
    /// Live records among `ids` (for embedding in other collections).
    fn find_live_many(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<Self::Record>>;
    fn render(record: &Self::Record, r: &mut Renderer) -> Self::Out;
    /// Where `render`'s output keeps embedded records.
    fn included(out: &mut Self::Out) -> &mut Option<Included>;
}

/// The query parameters a collection's list takes (for the check that the OpenAPI document
/// lists exactly these).
pub fn list_parameters<C: Collection>() -> Vec<&'static str> {
    let mut names = vec![
        "limit",
        "cursor",
        "sort",
        "count",
        "lang",
        "q",
        "id",
        "updated_since",
    ];
    if !C::LIST.facets.is_empty() {
        names.push("facets");
    }
    names.extend(C::LIST.filters.iter().map(|(name, _)| *name));
    if !C::INCLUDES.is_empty() {
        names.push("include");
    }
    names.sort_unstable();
    names
}

fn parse_includes<C: Collection>(names: &[String]) -> Result<Vec<&'static IncludeSpec>, AppError> {
    names
        .iter()
        .map(|name| {
            C::INCLUDES.iter().find(|i| i.name == name).ok_or_else(|| {
                let offered: Vec<&str> = C::INCLUDES.iter().map(|i| i.name).collect();
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

/// Loads and renders the included records of `ids`: for each include, record id -> rendered
/// related records, in relation order (ids order for incoming links).
fn load_included<C: Collection>(
    conn: &mut AnyConnection,
    ids: &[&String],
    includes: &[&'static IncludeSpec],
    lang: LangChoice,
) -> Result<HashMap<String, Included>, AppError> {
    let mut out: HashMap<String, Included> = HashMap::new();
    if includes.is_empty() {
        return Ok(out);
    }
    let outgoing = relation::of_records(conn, C::COLLECTION, ids)?;
    for include in includes {
        let pairs: Vec<(String, String)> = match include.via {
            Via::Outgoing(rel) => outgoing
                .iter()
                .filter(|l| l.relation == rel)
                .map(|l| (l.record_id.clone(), l.target_id.clone()))
                .collect(),
            Via::Incoming {
                collection,
                relations,
            } => relation::sources_of(conn, collection, relations, ids)?,
        };
        // An incoming include embeds at most MAX_INCLUDED records per record.
        let mut kept: HashMap<String, usize> = HashMap::new();
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(source, _)| {
                let n = kept.entry(source.clone()).or_insert(0);
                *n += 1;
                *n <= MAX_INCLUDED
            })
            .collect();
        let mut targets: Vec<String> = pairs.iter().map(|(_, t)| t.clone()).collect();
        targets.sort();
        targets.dedup();
        let rendered = registry::render_live(conn, include.target, &targets, lang)?;
        for id in ids {
            let entry = out
                .entry((*id).clone())
                .or_default()
                .entry(include.name)
                .or_default();
            for (_, target) in pairs.iter().filter(|(source, _)| source == *id) {
                if let Some(value) = rendered.get(target) {
                    entry.push(value.clone());
                }
            }
        }
    }
    Ok(out)
}

fn render_with<C: Collection>(
    record: &C::Record,
    lang: LangChoice,
    included: Option<Included>,
) -> C::Out {
    let mut out = C::render(record, &mut Renderer::new(lang));
    if included.is_some() {
        *C::included(&mut out) = included;
    }
    out
}

/// Renders records of a collection to JSON values (for embedding elsewhere).
pub fn render_values<C: Collection>(
    records: &[C::Record],
    lang: LangChoice,
) -> HashMap<String, Value> {
    records
        .iter()
        .map(|r| {
            (
                C::id(r).to_owned(),
                serde_json::to_value(render_with::<C>(r, lang, None)).unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// `GET /v1/{collection}`.
pub async fn list<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, AppError> {
    let cached = match Cached::lookup(&req, &pool).await {
        Ok(cached) => cached,
        Err(hit) => return Ok(hit),
    };
    let params = listing::parse(&req, &C::LIST)?;
    let includes = parse_includes::<C>(&params.include_names)?;
    let filter = C::filter(&params);
    let (query, count, lang) = (params.query.clone(), params.count, params.lang);
    let page_limit = params.page_limit as usize;
    let facets = params.facets.clone();
    let (rows, total, mut included, facets, seq) = run(&pool, move |conn| {
        db::read_transaction(conn, |conn| {
            let seq = change::last_seq(conn)?;
            let total = if count {
                Some(C::count(conn, &query, &filter)?)
            } else {
                None
            };
            let facets = if facets.is_empty() {
                None
            } else {
                let mut out = listing::Facets::new();
                for (name, facet) in facets {
                    let values = C::facet(conn, &query, &filter, name, facet)?
                        .into_iter()
                        .map(|(value, count)| listing::FacetValue { value, count })
                        .collect();
                    out.insert(name, listing::FacetValue::sorted(values));
                }
                Some(out)
            };
            let rows = C::list(conn, &query, &filter)?;
            let page_ids: Vec<String> = rows
                .iter()
                .take(page_limit)
                .map(|r| C::id(r).to_owned())
                .collect();
            let page_refs: Vec<&String> = page_ids.iter().collect();
            let included = load_included::<C>(conn, &page_refs, &includes, lang)?;
            Ok((rows, total, included, facets, seq))
        })
    })
    .await?;
    let sort = params.query.sort.clone();
    let (rows, next) = params.paginate(rows, |r| C::sort_key(r, &sort));
    let data: Vec<C::Out> = rows
        .iter()
        .map(|r| {
            render_with::<C>(
                r,
                lang,
                (!params.include_names.is_empty())
                    .then(|| included.remove(C::id(r)).unwrap_or_default()),
            )
        })
        .collect();
    let response = params.respond(&req, data, next, total, facets);
    Ok(match cached {
        Some(cached) => cached.store(seq, response),
        None => response,
    })
}

fn lang_of(req: &HttpRequest, pairs: &[(String, String)]) -> Result<LangChoice, AppError> {
    negotiate(req, param(pairs, "lang"))
}

/// `GET /v1/{collection}/{id}`.
pub async fn get<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: String,
) -> Result<HttpResponse, AppError> {
    let cached = match Cached::lookup(&req, &pool).await {
        Ok(cached) => cached,
        Err(hit) => return Ok(hit),
    };
    let pairs = single_query(&req, &["lang", "include"])?;
    let lang = lang_of(&req, &pairs)?;
    let names: Vec<String> = match param(&pairs, "include") {
        None => Vec::new(),
        Some(value) => listing::values("include", &[value])?,
    };
    let includes = parse_includes::<C>(&names)?;
    let (record, mut included, seq) = records::run_short(&pool, move |conn| {
        db::read_transaction(conn, |conn| {
            let seq = change::last_seq(conn)?;
            let record = records::load::<C>(conn, &id)?;
            let key = C::id(&record).to_owned();
            let included = load_included::<C>(conn, &[&key], &includes, lang)?;
            Ok((record, included, seq))
        })
    })
    .await?;
    let embedded = (!names.is_empty()).then(|| included.remove(C::id(&record)).unwrap_or_default());
    let out = render_with::<C>(&record, lang, embedded);
    let response = respond::representation(&req, &out, lang, Some(C::meta(&record).version));
    Ok(match cached {
        Some(cached) => cached.store(seq, response),
        None => response,
    })
}

/// The `Idempotency-Key` of a POST, with a digest of the request it guards.
fn idempotency(req: &HttpRequest, body: &[u8]) -> Result<Option<Idempotency>, AppError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            AppError::InvalidHeader(
                "Idempotency-Key must be 1 to 200 visible ASCII characters".into(),
            )
        })?;
    let mut hash = Sha256::new();
    for part in [
        req.path().as_bytes(),
        req.query_string().as_bytes(),
        content_language_header(req).as_bytes(),
        body,
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let request_hash = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Some(Idempotency {
        key: key.to_owned(),
        request_hash,
    }))
}

fn content_language_header(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// `POST /v1/{collection}`: 201 with `Location`; with an `Idempotency-Key`, a retry gets the
/// first response again.
pub async fn create<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let key = auth::require(&req, &pool, "write").await?;
    let pairs = single_query(&req, &["lang"])?;
    let lang = lang_of(&req, &pairs)?;
    let idempotency = idempotency(&req, &body)?;
    let respond = move |record: &C::Record| {
        let out = render_with::<C>(record, lang, None);
        let location = format!("/v1/{}/{}", C::COLLECTION, C::id(record));
        respond::stored(
            StatusCode::CREATED,
            &out,
            lang,
            C::meta(record).version,
            &location,
        )
    };
    let response = records::create::<C>(&pool, &req, &body, key.name, idempotency, respond).await?;
    Ok(respond::from_stored(&response))
}

/// `PATCH /v1/{collection}/{id}`.
pub async fn update<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: String,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let key = auth::require(&req, &pool, "write").await?;
    let pairs = single_query(&req, &["lang"])?;
    let lang = lang_of(&req, &pairs)?;
    let record = records::update::<C>(&pool, &req, id, &body, key.name).await?;
    let out = render_with::<C>(&record, lang, None);
    Ok(respond::written(
        StatusCode::OK,
        &out,
        lang,
        C::meta(&record).version,
    ))
}

/// `DELETE /v1/{collection}/{id}`: 204.
pub async fn delete<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    id: String,
) -> Result<HttpResponse, AppError> {
    let key = auth::require(&req, &pool, "write").await?;
    single_query(&req, &[])?;
    records::delete::<C>(&pool, &req, id, key.name).await?;
    Ok(HttpResponse::NoContent().finish())
}
