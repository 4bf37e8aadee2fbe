//! The write and read flows every collection shares, over the [`Resource`] trait: create with an
//! id (given or derived from the English title), merge-patch with version checks, delete into a
//! tombstone, each with its change-feed entry in the same transaction.

use actix_web::{HttpRequest, web};
use serde::Serialize;
use serde_json::{Map, Value};

use super::input::{self, Checker, merge_patch, strings_to_language_objects};
use super::lang;
use super::respond::{check_if_match, if_match_tags};
use crate::db::{self, AnyConnection, Pool};
use crate::error::{AppError, FieldError};
use crate::models::change::{self, Action};
use crate::models::idempotency::{self, StoredResponse};
use crate::models::{Meta, now};
use diesel::QueryResult;

/// A collection of records with the shared contract of API.md.
pub trait Resource: 'static {
    /// The collection's path segment, e.g. `programmes`.
    const COLLECTION: &'static str;
    /// One record, in messages: `programme`.
    const SINGULAR: &'static str;
    /// The top-level multilingual members (a plain string in a patch replaces one language).
    const TEXT_MEMBERS: &'static [&'static str];
    /// The writable members (besides `id`).
    const MEMBERS: &'static [&'static str];

    /// The validated writable data; it serialises into the document a PATCH merges into.
    type Data: Clone + PartialEq + Serialize + Send + 'static;
    type Record: Send + 'static;

    fn id(record: &Self::Record) -> &str;
    fn meta(record: &Self::Record) -> &Meta;
    fn data(record: &Self::Record) -> &Self::Data;
    fn english_title(data: &Self::Data) -> String;
    /// The records this data points to (what reference checks and `include` follow).
    fn links(data: &Self::Data) -> Vec<crate::models::relation::Link>;
    /// What the search index holds for a record with this data, per language.
    fn search_entries(data: &Self::Data) -> Vec<crate::models::search::Entry>;

    /// Validates a whole document (members other than `id`), collecting every error.
    fn check(doc: &Map<String, Value>, checker: &mut Checker) -> Option<Self::Data>;

    fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Self::Record>>;
    /// Every record, deleted ones too, after `after` in id order (exports walk with it).
    fn page(
        conn: &mut AnyConnection,
        after: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<Self::Record>>;
    /// Sets a record's created/updated instants, version and deletion to an import's.
    fn restore_meta(conn: &mut AnyConnection, id: &str, meta: &Meta) -> QueryResult<()>;
    fn id_taken(conn: &mut AnyConnection, id: &str) -> QueryResult<bool>;
    /// Related ids the data names that do not exist (or were deleted), as 422 members.
    fn unknown_references(
        conn: &mut AnyConnection,
        data: &Self::Data,
    ) -> QueryResult<Vec<FieldError>>;
    fn insert(
        conn: &mut AnyConnection,
        id: &str,
        data: &Self::Data,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Self::Record>;
    fn update(
        conn: &mut AnyConnection,
        current: &Self::Record,
        data: &Self::Data,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<Option<Self::Record>>;
    /// Live records that point to this one (`collection/id`), which block its deletion.
    fn referenced_by(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<String>>;
    fn delete(
        conn: &mut AnyConnection,
        current: &Self::Record,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<bool>;
}

/// Runs database work on the blocking pool, off the async executor.
pub async fn run<T, F>(pool: &web::Data<Pool>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Runs a short read (one record by key) on the worker thread itself when the database is
/// embedded SQLite and a connection is idle: the hop to the blocking pool and back costs more
/// than the read (measured; see bench/RESULTS.md). Anything else goes through [`run`]:
/// PostgreSQL (a network round trip must not stall the worker) or a busy pool.
pub async fn run_short<T, F>(pool: &web::Data<Pool>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
{
    if let Some(mut conn) = pool.try_get()
        && matches!(*conn, AnyConnection::Sqlite(_))
    {
        return f(&mut conn);
    }
    run(pool, f).await
}

fn not_found<R: Resource>(id: &str) -> AppError {
    AppError::NotFound(format!("no {} has the id '{id}'", R::SINGULAR))
}

fn live<R: Resource>(record: Option<R::Record>, id: &str) -> Result<R::Record, AppError> {
    let record = record.ok_or_else(|| not_found::<R>(id))?;
    if R::meta(&record).deleted_at.is_some() {
        return Err(AppError::Gone(format!(
            "the {} '{id}' was deleted",
            R::SINGULAR
        )));
    }
    Ok(record)
}

/// Loads a live record: 404 when it never existed, 410 when it was deleted.
pub fn load<R: Resource>(conn: &mut AnyConnection, id: &str) -> Result<R::Record, AppError> {
    if !input::is_slug(id) {
        // Not an id at all: answered without a query, and without echoing it back.
        return Err(AppError::NotFound(format!(
            "no {} has this id (ids are slugs of at most 80 characters)",
            R::SINGULAR
        )));
    }
    live::<R>(R::find(conn, id)?, id)
}

/// Validates a whole document of `R` (its `id` aside): unknown members and every rule.
pub fn validate<R: Resource>(doc: &Map<String, Value>, checker: &mut Checker) -> Option<R::Data> {
    let allowed: Vec<&str> = std::iter::once("id")
        .chain(R::MEMBERS.iter().copied())
        .collect();
    checker.only(doc, "", &allowed);
    R::check(doc, checker)
}

fn check_references<R: Resource>(conn: &mut AnyConnection, data: &R::Data) -> Result<(), AppError> {
    let unknown = R::unknown_references(conn, data)?;
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(unknown))
    }
}

/// An `Idempotency-Key` and what it guards.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    /// A digest of the request (path, query, Content-Language, body): a retry must match it.
    pub request_hash: String,
}

/// `POST /v1/{collection}`: validates, picks the id, inserts and records the change (and, with
/// an `Idempotency-Key`, the response `respond` renders), in one transaction. Answers the new
/// record's response, or the first response to the same idempotent request.
pub async fn create<R: Resource>(
    pool: &web::Data<Pool>,
    req: &HttpRequest,
    body: &[u8],
    actor: String,
    idempotency: Option<Idempotency>,
    respond: impl FnOnce(&R::Record) -> StoredResponse + Send + 'static,
) -> Result<StoredResponse, AppError> {
    let doc = input::parse_body(req, body, false)?;
    let mut checker = Checker::new(lang::content_language(req)?);
    let id = checker.slug(&doc, "", "id", false);
    let data = validate::<R>(&doc, &mut checker);
    let data = checker
        .finish(data)?
        .ok_or_else(|| AppError::Internal("validation passed without data".into()))?;
    run(pool, move |conn| {
        db::write_transaction(conn, |conn| {
            if let Some(idem) = &idempotency
                && let Some((hash, stored)) = idempotency::find(conn, &actor, &idem.key, now())?
            {
                if hash != idem.request_hash {
                    return Err(AppError::invalid(
                        "",
                        "this Idempotency-Key was used with another request; use a new key for a new request",
                    ));
                }
                return Ok(stored);
            }
            check_references::<R>(conn, &data)?;
            let id = match id {
                Some(id) => {
                    if R::id_taken(conn, &id)? {
                        return Err(AppError::id_taken(R::COLLECTION, &id));
                    }
                    id
                }
                None => free_id::<R>(conn, &input::slugify(&R::english_title(&data)))?,
            };
            let at = now();
            let record = R::insert(conn, &id, &data, at)?;
            change::record(conn, R::COLLECTION, &id, Action::Created, 1, at, Some(&actor))?;
            let response = respond(&record);
            if let Some(idem) = &idempotency {
                idempotency::store(conn, &actor, &idem.key, &idem.request_hash, &response, at)?;
            }
            Ok(response)
        })
    })
    .await
}

/// The first of `base`, `base-2`, `base-3`, ... that no record ever had.
fn free_id<R: Resource>(conn: &mut AnyConnection, base: &str) -> Result<String, AppError> {
    if !R::id_taken(conn, base)? {
        return Ok(base.to_owned());
    }
    for n in 2..1_000 {
        let candidate = format!("{base}-{n}");
        if !R::id_taken(conn, &candidate)? {
            return Ok(candidate);
        }
    }
    Err(AppError::Conflict {
        detail: format!("no free id starts with '{base}'; give one"),
        conflicts: None,
    })
}

/// `PATCH /v1/{collection}/{id}`: merges the patch into the current document, validates the
/// result as a whole and writes it if the version is still the one read (and the one `If-Match`
/// names). A patch that changes nothing writes nothing.
pub async fn update<R: Resource>(
    pool: &web::Data<Pool>,
    req: &HttpRequest,
    id: String,
    body: &[u8],
    actor: String,
) -> Result<R::Record, AppError> {
    let mut patch = input::parse_body(req, body, true)?;
    let content_lang = lang::content_language(req)?;
    strings_to_language_objects(&mut patch, R::TEXT_MEMBERS, content_lang);
    let if_match = if_match_tags(req)?;
    run(pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let current = load::<R>(conn, &id)?;
            let conditional = check_if_match(&if_match, R::meta(&current).version)?;
            let mut doc = serde_json::to_value(R::data(&current))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if let Some(new_id) = patch.get("id")
                && new_id.as_str() != Some(id.as_str())
            {
                return Err(AppError::invalid("/id", "cannot be changed"));
            }
            patch.remove("id");
            // Members the schema lacks are refused even when null (a merge would drop them).
            let mut members = Checker::new(content_lang);
            let allowed: Vec<&str> = R::MEMBERS.to_vec();
            members.only(&patch, "", &allowed);
            members.finish(())?;
            merge_patch(&mut doc, &Value::Object(patch));
            let mut checker = Checker::new(content_lang);
            let data = match &doc {
                Value::Object(doc) => validate::<R>(doc, &mut checker),
                _ => None,
            };
            let data = checker
                .finish(data)?
                .ok_or_else(|| AppError::Internal("validation passed without data".into()))?;
            if &data == R::data(&current) {
                return Ok(current);
            }
            // Unchanged links need no check: a record others point to cannot be deleted.
            if R::links(&data) != R::links(R::data(&current)) {
                check_references::<R>(conn, &data)?;
            }
            let at = now();
            match R::update(conn, &current, &data, at)? {
                Some(record) => {
                    change::record(
                        conn,
                        R::COLLECTION,
                        &id,
                        Action::Updated,
                        R::meta(&record).version,
                        at,
                        Some(&actor),
                    )?;
                    Ok(record)
                }
                None if conditional => Err(AppError::PreconditionFailed(
                    "the record changed meanwhile".into(),
                )),
                None => Err(AppError::Conflict {
                    detail: "the record changed meanwhile; retry".into(),
                    conflicts: None,
                }),
            }
        })
    })
    .await
}

/// `DELETE /v1/{collection}/{id}`: leaves a tombstone (410 from then on), unless live records
/// still point to this one (409 naming them).
pub async fn delete<R: Resource>(
    pool: &web::Data<Pool>,
    req: &HttpRequest,
    id: String,
    actor: String,
) -> Result<(), AppError> {
    let if_match = if_match_tags(req)?;
    run(pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let current = load::<R>(conn, &id)?;
            let conditional = check_if_match(&if_match, R::meta(&current).version)?;
            let blockers = R::referenced_by(conn, &id)?;
            if !blockers.is_empty() {
                return Err(AppError::Conflict {
                    detail: format!(
                        "the {} '{id}' cannot be deleted while other records point to it: {}",
                        R::SINGULAR,
                        blockers.join(", ")
                    ),
                    conflicts: Some(blockers),
                });
            }
            let at = now();
            if !R::delete(conn, &current, at)? {
                return Err(if conditional {
                    AppError::PreconditionFailed("the record changed meanwhile".into())
                } else {
                    AppError::Conflict {
                        detail: "the record changed meanwhile; retry".into(),
                        conflicts: None,
                    }
                });
            }
            change::record(
                conn,
                R::COLLECTION,
                &id,
                Action::Deleted,
                R::meta(&current).version + 1,
                at,
                Some(&actor),
            )?;
            Ok(())
        })
    })
    .await
}

/// The query string of a single-record endpoint: only the named parameters, each once.
pub fn single_query(
    req: &HttpRequest,
    allowed: &[&str],
) -> Result<Vec<(String, String)>, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::InvalidQuery(format!("the query string cannot be read: {e}")))?;
    for (i, (name, _)) in pairs.iter().enumerate() {
        if !allowed.contains(&name.as_str()) {
            let takes = if allowed.is_empty() {
                "no parameters".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(AppError::InvalidQuery(format!(
                "unknown query parameter '{name}'; this endpoint takes {takes}"
            )));
        }
        if pairs[..i].iter().any(|(n, _)| n == name) {
            return Err(AppError::InvalidQuery(format!(
                "{name} is given more than once"
            )));
        }
    }
    Ok(pairs)
}

/// The value of a parameter from [`single_query`].
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
