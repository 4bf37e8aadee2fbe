//! The handlers every collection shares, generic over [`Collection`]: list, get, create, update
//! and delete, with `include` embedding resolved through the relations table. The route table
//! (`routes.rs`, expanded by [`collection_routes!`]) only adds the paths and OpenAPI
//! annotations around these functions.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::cache::{Cached, Scope};
use super::extract::{
    ContentLanguage, IdempotencyKey, IfMatch, Language, Writer, run, run_short, single_query,
};
use super::lang::{LangChoice, Renderer, localize};
use super::listing::{self, Spec};
use super::representation::{self, Format};
use super::{conditional, respond};
use crate::db::{self, AnyConnection, Pool};
use crate::error::AppError;
use crate::models::relation;
use crate::models::{Record, Store, change, instant};
use crate::records::relations::{Include, Via};
use crate::records::{Collection, engine};
use diesel::QueryResult;

/// Related records embedded by `include`, by include name.
pub type Included = BTreeMap<&'static str, Vec<Value>>;

/// The most records one include embeds in one record.
pub const MAX_INCLUDED: usize = 100;

/// The most embedded records one response may carry, counting each three times with
/// `lang=all`: the ceiling on what one request may ask the server to render (a page of 100
/// organisations each embedding 100 programmes in every language would be 30,000).
pub const MAX_EMBEDDED: usize = 2_000;

/// The whole list spec of a collection.
pub fn spec<C: Collection>() -> Spec {
    Spec::of::<C>()
}

/// Renders a record in the renderer's language: `id`, the data's members with texts in the
/// chosen language, then `missing_languages`, the instants and the version.
pub fn render<D: Serialize>(record: &Record<D>, r: &mut Renderer) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("id".into(), Value::String(record.id.clone()));
    if let Ok(Value::Object(data)) = serde_json::to_value(&record.data) {
        for (key, mut value) in data {
            localize(&mut value, r);
            fields.insert(key, value);
        }
    }
    let meta = super::RecordMeta {
        missing_languages: r.take_missing(),
        created_at: instant(&record.meta.created_at),
        updated_at: instant(&record.meta.updated_at),
        version: record.meta.version,
    };
    if let Ok(Value::Object(meta)) = serde_json::to_value(meta) {
        fields.extend(meta);
    }
    fields
}

fn render_with<D: Serialize>(
    record: &Record<D>,
    lang: LangChoice,
    included: Option<Included>,
) -> Value {
    let mut out = render(record, &mut Renderer::new(lang));
    if let Some(included) = included {
        out.insert(
            "included".into(),
            serde_json::to_value(included).unwrap_or_default(),
        );
    }
    Value::Object(out)
}

/// A record in every language, as `lang=all` renders it (for IATI narratives).
pub fn render_all_languages<D: Serialize>(record: &Record<D>) -> Value {
    render_with(record, LangChoice::All, None)
}

/// Live records of `C` among `ids`, rendered in `lang`, by id (for embedding elsewhere).
pub fn render_live<C: Collection>(
    conn: &mut AnyConnection,
    ids: &[String],
    lang: LangChoice,
) -> QueryResult<HashMap<String, Value>> {
    Ok(C::Store::find_live_many(conn, ids)?
        .iter()
        .map(|r| (r.id.clone(), render_with(r, lang, None)))
        .collect())
}

/// Loads and renders the included records of `ids`: for each include, record id -> rendered
/// related records, in relation order (ids order for incoming links).
fn load_included<C: Collection>(
    conn: &mut AnyConnection,
    ids: &[&String],
    includes: &[Include],
    lang: LangChoice,
) -> Result<HashMap<String, Included>, AppError> {
    let mut out: HashMap<String, Included> = HashMap::new();
    if includes.is_empty() {
        return Ok(out);
    }
    let outgoing = relation::of_records(conn, C::NAME, ids)?;
    let weight = if matches!(lang, LangChoice::All) {
        3
    } else {
        1
    };
    let mut embedded = 0;
    for include in includes {
        let pairs: Vec<(String, String)> = match &include.via {
            Via::Outgoing(rel) => outgoing
                .iter()
                .filter(|l| l.relation == *rel)
                .map(|l| (l.record_id.clone(), l.target_id.clone()))
                .collect(),
            Via::Incoming {
                collection,
                relations,
            } => relation::sources_of(conn, collection, relations, ids)?,
        };
        // An include embeds at most MAX_INCLUDED records per record.
        let mut kept: HashMap<String, usize> = HashMap::new();
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(source, _)| {
                let n = kept.entry(source.clone()).or_insert(0);
                *n += 1;
                *n <= MAX_INCLUDED
            })
            .collect();
        embedded += pairs.len() * weight;
        if embedded > MAX_EMBEDDED {
            return Err(AppError::InvalidQuery(format!(
                "this response would embed more than {MAX_EMBEDDED} records{}; ask for fewer \
                 records per page (limit), fewer includes, or one language, and follow the \
                 next links",
                if weight > 1 {
                    " (each counts three times with lang=all)"
                } else {
                    ""
                }
            )));
        }
        let mut targets: Vec<String> = pairs.iter().map(|(_, t)| t.clone()).collect();
        targets.sort();
        targets.dedup();
        let rendered = super::render_live(conn, include.target, &targets, lang)?;
        // Records pointing here come in their collection's order where that is one of their
        // members (a recommendation's position), else by id.
        let order = match include.via {
            Via::Incoming { .. } => crate::records::catalogue::entry(include.target)
                .map(|e| e.ops.default_sort())
                .filter(|s| *s != "id"),
            Via::Outgoing(_) => None,
        };
        for id in ids {
            let entry = out
                .entry((*id).clone())
                .or_default()
                .entry(include.name)
                .or_default();
            // A record named twice (in two roles) is embedded once.
            let mut seen: Vec<&String> = Vec::new();
            for (_, target) in pairs.iter().filter(|(source, _)| source == *id) {
                if seen.contains(&target) {
                    continue;
                }
                seen.push(target);
                if let Some(value) = rendered.get(target) {
                    entry.push(value.clone());
                }
            }
            if let Some(member) = order {
                entry.sort_by(|a, b| {
                    let key = |v: &Value| (v.get(member).and_then(Value::as_f64), v["id"].clone());
                    let (ka, kb) = (key(a), key(b));
                    ka.0.partial_cmp(&kb.0)
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then_with(|| ka.1.as_str().cmp(&kb.1.as_str()))
                });
            }
        }
    }
    Ok(out)
}

/// What a list read depends on, decided from its key's parts (query and format) so that one
/// cache key has one kind of stamp. A page of JSON, CSV, GeoJSON or iCalendar depends on the
/// collection's records alone: their data, and the links they own, which are what related
/// filters and facets read (a record others link to cannot be deleted, so no write elsewhere
/// moves a link). With `include` it embeds other collections' records, and as IATI XML it
/// names organisations; with `q` it matches through the search index every collection shares,
/// and is kept on the head rather than argued case by case. Those depend on anything, as does
/// a query string that cannot be read.
fn list_scope<C: Collection>(req: &HttpRequest, format: Format) -> Scope {
    let others = format == Format::Xml
        || serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string()).map_or(
            true,
            |pairs| {
                pairs
                    .iter()
                    .any(|(name, _)| name == "include" || name == "q")
            },
        );
    if others {
        Scope::Feed
    } else {
        Scope::Collection(C::NAME)
    }
}

/// The stamp and `Last-Modified` of a list depending on `scope`, read in its snapshot.
fn list_head(
    conn: &mut AnyConnection,
    scope: &Scope,
) -> QueryResult<(i64, Option<chrono::NaiveDateTime>)> {
    match scope {
        Scope::Collection(collection) => change::collection_head(conn, collection),
        _ => change::head(conn),
    }
}

/// `GET /v1/{collection}`.
pub async fn list<C: Collection + utoipa::ToSchema>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    lang: Language,
) -> Result<HttpResponse, AppError> {
    let format = representation::negotiate(&req, &representation::list_formats::<C>())?;
    list_as::<C>(req, pool, lang, format).await
}

/// `GET /v1/events.ics` and the like: the list as a calendar whatever `Accept` says, for
/// calendar clients, which subscribe to a URL and send no `Accept` of their own.
pub async fn calendar_feed<C: Collection + utoipa::ToSchema>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    lang: Language,
) -> Result<HttpResponse, AppError> {
    list_as::<C>(req, pool, lang, Format::Calendar).await
}

/// The list in `format`, negotiated or chosen by the path.
async fn list_as<C: Collection + utoipa::ToSchema>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    Language(lang): Language,
    format: Format,
) -> Result<HttpResponse, AppError> {
    representation::calendar_language(format, lang)?;
    let scope = list_scope::<C>(&req, format);
    let cached = match Cached::lookup(&req, &pool, lang, format, &scope).await {
        Ok(cached) => cached,
        Err(hit) => return Ok(hit),
    };
    if format == Format::Calendar {
        refuse_paging(
            &req,
            "a calendar holds every matching event (narrow it with filters)",
        )?;
    }
    let params = listing::parse(&req, &spec::<C>(), lang)?;
    let fields = representation::fields::<C>(&req)?;
    if format == Format::Calendar {
        let response = calendar::<C>(&req, &pool, &params, lang, scope).await?;
        return Ok(match cached {
            Some(cached) => cached.store(response.0, response.1),
            None => response.1,
        });
    }
    let includes = params.includes.clone().unwrap_or_default();
    let (query, filter, count) = (params.query.clone(), params.filter.clone(), params.count);
    let page_limit = params.page_limit as usize;
    let facets = params.facets.clone();
    let (rows, total, mut included, facets, (seq, changed_at)) = run(&pool, move |conn| {
        db::read_transaction(conn, |conn| {
            let head = list_head(conn, &scope)?;
            let total = if count {
                Some(C::Store::count(conn, &query, &filter)?)
            } else {
                None
            };
            let facets = if facets.is_empty() {
                None
            } else {
                let mut out = listing::Facets::new();
                for (name, facet) in facets {
                    let values = C::Store::facet(conn, &query, &filter, &facet)?
                        .into_iter()
                        .map(|(value, count)| listing::FacetValue { value, count })
                        .collect();
                    out.insert(name, listing::FacetValue::sorted(values));
                }
                Some(out)
            };
            let rows = C::Store::list(conn, &query, &filter)?;
            let page_ids: Vec<String> =
                rows.iter().take(page_limit).map(|r| r.id.clone()).collect();
            let page_refs: Vec<&String> = page_ids.iter().collect();
            let included = load_included::<C>(conn, &page_refs, &includes, lang)?;
            Ok((rows, total, included, facets, head))
        })
    })
    .await?;
    let sort = params.query.sort.clone();
    let (rows, next) = params.paginate(rows, |r| C::Store::sort_key(r, &sort));
    if format == Format::Xml {
        // IATI narratives carry every language the record has, whatever `lang` asks.
        let programmes: Vec<Value> = rows.iter().map(render_all_languages).collect();
        let response = iati_response(&req, &pool, programmes, lang, None).await?;
        let response = listing::with_next_link(response, params.next_link(next.as_deref()));
        let response = conditional::last_modified(response, changed_at);
        let response = match cached {
            Some(cached) => cached.store(seq, response),
            None => response,
        };
        return Ok(conditional::modified_since(&req, response));
    }
    let embed = params.includes.is_some();
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            render_with(
                r,
                lang,
                embed.then(|| included.remove(&r.id).unwrap_or_default()),
            )
        })
        .collect();
    // A page changes when any record may enter, leave or change in it: its time is that of the
    // last change to what it depends on (`list_scope`).
    let all = lang == LangChoice::All;
    let response = params.respond(
        &req,
        format,
        data,
        fields.as_deref(),
        next,
        total,
        facets,
        || super::docs::csv_columns::<C>(all),
    );
    let response = conditional::last_modified(response, changed_at);
    let response = match cached {
        Some(cached) => cached.store(seq, response),
        None => response,
    };
    Ok(conditional::modified_since(&req, response))
}

/// Programmes, rendered in every language, as an IATI activities document (`version`: a
/// record's, for its ETag), with `IATI-Left-Out` counting those that lack what IATI requires;
/// a 406 with their reasons when none can be an activity.
async fn iati_response(
    req: &HttpRequest,
    pool: &web::Data<Pool>,
    programmes: Vec<Value>,
    lang: LangChoice,
    version: Option<i32>,
) -> Result<HttpResponse, AppError> {
    let (body, left_out) = run_short(pool, move |conn| {
        let organisations = super::iati::participants_of(conn, &programmes)?;
        Ok(super::iati::document(&programmes, &organisations))
    })
    .await?;
    let body = body.ok_or_else(|| super::iati::none_publishable(&left_out))?;
    let mut response = match version {
        Some(version) => respond::record_as(req, body.into_bytes(), lang, version, Format::Xml),
        None => respond::page_bytes(req, body.into_bytes(), lang, Format::Xml),
    };
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("iati-left-out"),
        actix_web::http::header::HeaderValue::from(left_out.len()),
    );
    Ok(response)
}

/// How many records a download reads per query (keyset batches, all in one snapshot).
const DOWNLOAD_BATCH: i64 = 500;

/// Reads every live record of `C` matching `query` and `filter`, in its sort, in keyset
/// batches of [`DOWNLOAD_BATCH`] (one snapshot when run in a read transaction), handing each
/// to `each`.
pub(crate) fn each_record<C: Collection>(
    conn: &mut AnyConnection,
    mut query: crate::models::ListQuery,
    filter: &crate::models::Filter,
    mut each: impl FnMut(&Record<C>) -> Result<(), AppError>,
) -> Result<(), AppError> {
    query.limit = DOWNLOAD_BATCH;
    loop {
        let rows = C::Store::list(conn, &query, filter)?;
        for row in rows.iter().take(DOWNLOAD_BATCH as usize) {
            each(row)?;
        }
        match rows.last() {
            Some(last) if rows.len() as i64 >= DOWNLOAD_BATCH => {
                query.after = Some(C::Store::sort_key(last, &query.sort));
            }
            _ => return Ok(()),
        }
    }
}

/// A 400 for a parameter of paging, counting, faceting or embedding, which a whole-set
/// answer (a download, a calendar) has no place for; `what` says what the answer is.
fn refuse_paging(req: &HttpRequest, what: &str) -> Result<(), AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
    match pairs
        .iter()
        .find(|(name, _)| super::docs::NOT_FOR_DOWNLOADS.contains(&name.as_str()))
    {
        Some((name, _)) => Err(AppError::InvalidQuery(format!(
            "'{name}' has no meaning here: {what}"
        ))),
        None => Ok(()),
    }
}

/// How many events one calendar holds at most.
pub const CALENDAR_MAX: usize = 2_000;

/// A list of `C` as one iCalendar: every matching record (not a page: calendar clients
/// subscribe to one URL and follow no links), at most [`CALENDAR_MAX`]; paging, counts,
/// facets and embedding have no place in it. Answers the feed head it was read at (for the
/// cache) and the response, which says in `Events-Without-Day` how many were left out.
async fn calendar<C: Collection>(
    req: &HttpRequest,
    pool: &web::Data<Pool>,
    params: &listing::ListParams,
    lang: LangChoice,
    scope: Scope,
) -> Result<(i64, HttpResponse), AppError> {
    let (query, filter) = (params.query.clone(), params.filter.clone());
    let (events, (seq, changed_at)) = run(pool, move |conn| {
        db::read_transaction(conn, |conn| {
            let head = list_head(conn, &scope)?;
            let mut events = Vec::new();
            each_record::<C>(conn, query, &filter, |record| {
                if events.len() >= CALENDAR_MAX {
                    return Err(AppError::InvalidQuery(format!(
                        "more than {CALENDAR_MAX} events match; narrow the calendar with filters (forum, year, upcoming)"
                    )));
                }
                events.push(Value::Object(render(record, &mut Renderer::new(lang))));
                Ok(())
            })?;
            Ok((events, head))
        })
    })
    .await?;
    let (text, omitted) = representation::calendar(&events, lang);
    let response = respond::page_bytes(req, text.into_bytes(), lang, Format::Calendar);
    let mut response = conditional::last_modified(response, changed_at);
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("events-without-day"),
        actix_web::http::header::HeaderValue::from(omitted),
    );
    Ok((seq, response))
}

/// `GET /v1/{collection}.csv`: every live record matching the list's filters, in its sort and
/// language, as one CSV file with the list's columns. It is written from one snapshot into a
/// temporary file (in batches, so memory stays flat whatever the size), then streamed: a slow
/// reader holds a file, not a connection.
pub async fn download<C: Collection + utoipa::ToSchema>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    Language(lang): Language,
) -> Result<HttpResponse, AppError> {
    refuse_paging(
        &req,
        &format!(
            "a download holds every matching record in one file (page through GET /v1/{} for pages)",
            C::NAME
        ),
    )?;
    let params = listing::parse(&req, &spec::<C>(), lang)?;
    let columns = super::docs::csv_columns::<C>(lang == LangChoice::All);
    let columns = super::csv_out::selected(&columns, representation::fields::<C>(&req)?.as_deref());
    let (query, filter) = (params.query.clone(), params.filter.clone());
    let (file, length) = super::export::spool(pool, move |conn, out| {
        db::read_transaction(conn, |conn| {
            let mut writer = csv::Writer::from_writer(out);
            let failed = |e: csv::Error| {
                AppError::Unavailable(format!("the download could not be written: {e}"))
            };
            writer.write_record(columns.iter()).map_err(failed)?;
            each_record::<C>(conn, query, &filter, |row| {
                let out = Value::Object(render(row, &mut Renderer::new(lang)));
                super::csv_out::write_row(&mut writer, &columns, &out).map_err(failed)
            })?;
            writer.flush().map_err(|e| failed(e.into()))?;
            Ok(())
        })
    })
    .await?;
    let mut response = super::export::stream_file(file, length, "text/csv; charset=utf-8");
    let headers = response.headers_mut();
    for (name, value) in [
        (
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.csv\"", C::NAME.replace('_', "-")),
        ),
        (
            actix_web::http::header::CONTENT_LANGUAGE,
            lang.content_language().to_owned(),
        ),
        (actix_web::http::header::VARY, "Accept-Language".to_owned()),
    ] {
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}

/// `GET /v1/{collection}/{id}`.
pub async fn get<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    Language(lang): Language,
    id: String,
) -> Result<HttpResponse, AppError> {
    let format = representation::negotiate(&req, &representation::record_formats::<C>())?;
    representation::calendar_language(format, lang)?;
    // A record alone depends on itself (its ETag is its version); with records embedded, or as
    // an IATI activity (which names its participating organisations), on anything. Decided from
    // the key's parts (query and format), so that one cache key has one kind of stamp.
    let scope = if req.query_string().contains("include") || format == Format::Xml {
        Scope::Feed
    } else {
        Scope::Record {
            collection: C::NAME,
            id: id.clone(),
        }
    };
    let cached = match Cached::lookup(&req, &pool, lang, format, &scope).await {
        Ok(cached) => cached,
        Err(hit) => return Ok(hit),
    };
    let pairs = single_query(&req, &["lang", "include", "fields"])?;
    let fields = representation::fields::<C>(&req)?;
    let includes = match super::extract::param(&pairs, "include") {
        None => None,
        Some(value) => Some(listing::parse_includes(
            &spec::<C>(),
            &listing::values("include", &[value])?,
        )?),
    };
    let embed = includes.is_some();
    // A record's stamp was read by the lookup, before its data: stored under it (see
    // `Cached::seen`), without a second query. The feed's is read in the record's snapshot.
    let seen = cached.as_ref().and_then(Cached::seen);
    let stamped = cached.is_some().then_some(scope);
    // The feed head is read only where it is used (the Feed stamp, and Last-Modified with
    // records embedded): a plain record read is then one query on a miss, not two.
    let needs_head = embed || matches!(stamped, Some(Scope::Feed));
    let (record, mut included, (_, changed_at), stamp) = run_short(&pool, move |conn| {
        db::read_transaction(conn, |conn| {
            let head = if needs_head {
                change::head(conn)?
            } else {
                (0, None)
            };
            let record = engine::load::<C>(conn, &id)?;
            // The stamp is read in the same snapshot as the record (none when the path named
            // the record by another id than its own: the stamp would not follow it).
            let stamp = match stamped {
                Some(Scope::Record { .. }) if record.id != id => None,
                Some(Scope::Feed) => Some(head.0),
                Some(scope) => match seen {
                    Some(seen) => Some(seen),
                    None => Some(super::cache::scope_seq(conn, &scope)?),
                },
                None => None,
            };
            let key = record.id.clone();
            let included = load_included::<C>(conn, &[&key], &includes.unwrap_or_default(), lang)?;
            Ok((record, included, head, stamp))
        })
    })
    .await?;
    let embedded = embed.then(|| included.remove(&record.id).unwrap_or_default());
    let mut out = render_with(&record, lang, embedded);
    let version = record.meta.version;
    let response = match format {
        Format::GeoJson => {
            let feature = representation::feature(&out, fields.as_deref());
            respond::record_as(
                &req,
                serde_json::to_vec(&feature).unwrap_or_default(),
                lang,
                version,
                format,
            )
        }
        Format::Calendar => {
            if representation::event_day(&out).is_none() {
                return Err(AppError::NotAcceptable(format!(
                    "the {} '{}' is known only to its month or year, and a calendar entry needs a day; read it as application/json",
                    C::SINGULAR,
                    record.id
                )));
            }
            let (text, _) = representation::calendar(std::slice::from_ref(&out), lang);
            respond::record_as(&req, text.into_bytes(), lang, version, format)
        }
        Format::Xml => {
            let programme = render_with(&record, LangChoice::All, None);
            iati_response(&req, &pool, vec![programme], lang, Some(version)).await?
        }
        Format::Json | Format::Csv | Format::EventStream => {
            if let Some(fields) = &fields {
                representation::select(&mut out, fields);
            }
            respond::record_as(
                &req,
                serde_json::to_vec(&out).unwrap_or_default(),
                lang,
                version,
                Format::Json,
            )
        }
    };
    // A record alone changes with its version; with records embedded, with any of theirs.
    let modified = if embed {
        changed_at
    } else {
        Some(record.meta.updated_at)
    };
    let response = conditional::last_modified(response, modified);
    let response = match (cached, stamp) {
        (Some(cached), Some(stamp)) => cached.store(stamp, response),
        (Some(cached), None) => cached.pass(response),
        (None, _) => response,
    };
    Ok(conditional::modified_since(&req, response))
}

/// The `Idempotency-Key` of a POST, with a digest of the request it guards (path, query,
/// Content-Language and body: a retry must be the same request).
fn idempotency(req: &HttpRequest, key: IdempotencyKey, body: &[u8]) -> Option<engine::Idempotency> {
    let key = key.0?;
    let content_language = req
        .headers()
        .get(actix_web::http::header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut hash = Sha256::new();
    for part in [
        req.path().as_bytes(),
        req.query_string().as_bytes(),
        content_language.as_bytes(),
        body,
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let request_hash = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Some(engine::Idempotency { key, request_hash })
}

/// The parts of a write request every handler takes, in the order they are checked: the key
/// first (a write without one is a 401 whatever else is wrong), then the headers.
pub struct WriteRequest {
    pub req: HttpRequest,
    pub pool: web::Data<Pool>,
    pub key: Writer,
    pub content_language: ContentLanguage,
    pub lang: Language,
}

impl actix_web::FromRequest for WriteRequest {
    type Error = AppError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, AppError>>>>;
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let key = Writer::extract(&req).await?;
            let content_language = ContentLanguage::extract(&req).await?;
            let lang = Language::extract(&req).await?;
            let pool = req
                .app_data::<web::Data<Pool>>()
                .cloned()
                .ok_or_else(|| AppError::Internal("the application has no database pool".into()))?;
            Ok(WriteRequest {
                req,
                pool,
                key,
                content_language,
                lang,
            })
        })
    }
}

/// `POST /v1/{collection}`: 201 with `Location`; with an `Idempotency-Key`, a retry gets the
/// first response again.
pub async fn create<C: Collection>(
    w: WriteRequest,
    key: IdempotencyKey,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    single_query(&w.req, &["lang"])?;
    let Language(lang) = w.lang;
    let idempotency = idempotency(&w.req, key, &body);
    let doc = super::body::json_object(&w.req, &body, false)?;
    let new = engine::prepare::<C>(&doc, w.content_language.0)?;
    let actor = w.key.0.name;
    let response = run(&w.pool, move |conn| {
        engine::create::<C>(conn, new, &actor, idempotency.as_ref(), |record| {
            let out = render_with(record, lang, None);
            let location = format!("/v1/{}/{}", C::NAME, record.id);
            respond::stored(
                StatusCode::CREATED,
                &out,
                lang,
                record.meta.version,
                &location,
            )
        })
    })
    .await?;
    Ok(respond::from_stored(&response))
}

/// `PATCH /v1/{collection}/{id}`.
pub async fn update<C: Collection>(
    w: WriteRequest,
    if_match: IfMatch,
    id: String,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    single_query(&w.req, &["lang"])?;
    let Language(lang) = w.lang;
    let patch = super::body::json_object(&w.req, &body, true)?;
    let (content_lang, actor) = (w.content_language.0, w.key.0.name);
    let record = run(&w.pool, move |conn| {
        engine::update::<C>(conn, &id, patch, content_lang, &if_match.0, &actor)
    })
    .await?;
    let out = render_with(&record, lang, None);
    Ok(respond::written(
        StatusCode::OK,
        &out,
        lang,
        record.meta.version,
    ))
}

/// `DELETE /v1/{collection}/{id}`: 204.
pub async fn delete<C: Collection>(
    req: HttpRequest,
    pool: web::Data<Pool>,
    key: Writer,
    if_match: IfMatch,
    id: String,
) -> Result<HttpResponse, AppError> {
    single_query(&req, &[])?;
    let actor = key.0.name;
    run(&pool, move |conn| {
        engine::delete::<C>(conn, &id, &if_match.0, &actor)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
