//! The flows that change records, over [`Collection`]: create with an id (given or derived from
//! the English title), merge-patch with version checks, delete into a tombstone, each with its
//! change-feed entry in the same write transaction. Inputs arrive parsed (a JSON document, the
//! language of its plain-string texts, the entity tags of `If-Match`, the acting key's name).

use serde_json::{Map, Value};

use super::check::{self, Checker, merge_patch, strings_to_language_objects};
use super::{Collection, relations};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, Invalid};
use crate::models::change::{self, Action};
use crate::models::idempotency::{self, StoredResponse};
use crate::models::{Lang, Record, Store, now};

fn not_found<C: Collection>(id: &str) -> AppError {
    AppError::NotFound(format!("no {} has the id '{id}'", C::SINGULAR))
}

/// Loads a live record: 404 when it never existed, 410 when it was deleted.
pub fn load<C: Collection>(conn: &mut AnyConnection, id: &str) -> Result<Record<C>, AppError> {
    if !check::is_slug(id) {
        // Not an id at all: answered without a query, and without echoing it back.
        return Err(AppError::NotFound(format!(
            "no {} has this id (ids are slugs of at most 80 characters)",
            C::SINGULAR
        )));
    }
    let record = C::Store::find(conn, id)?.ok_or_else(|| not_found::<C>(id))?;
    if record.meta.deleted_at.is_some() {
        return Err(AppError::Gone(format!(
            "the {} '{id}' was deleted",
            C::SINGULAR
        )));
    }
    Ok(record)
}

/// Validates a whole document of `C` (its `id` aside): unknown members and every rule.
pub fn validate<C: Collection>(doc: &Map<String, Value>, checker: &mut Checker) -> Option<C> {
    checker.only_where(doc, "", |key| {
        key == "id" || C::MEMBERS.iter().any(|m| m.name == key)
    });
    C::read(doc, "", checker)
}

/// Validates a document of `C` into its data, or every broken member.
pub fn validated<C: Collection>(doc: &Map<String, Value>, lang: Lang) -> Result<C, Invalid> {
    let mut checker = Checker::new(lang);
    let data = validate::<C>(doc, &mut checker);
    match checker.finish(data)? {
        Some(data) => Ok(data),
        // A check that fails records why; one that records nothing has its data.
        None => Err(Invalid(vec![crate::error::FieldError::new(
            "",
            "is not valid",
        )])),
    }
}

fn check_references<C: Collection>(conn: &mut AnyConnection, data: &C) -> Result<(), AppError> {
    let unknown = relations::unknown_references(conn, data)?;
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

/// A create, validated: the id asked for (if any) and the data.
#[derive(Debug, Clone)]
pub struct NewRecord<C> {
    pub id: Option<String>,
    pub data: C,
}

/// Validates the body of a create (its texts in `lang` where they are plain strings).
pub fn prepare<C: Collection>(
    doc: &Map<String, Value>,
    lang: Lang,
) -> Result<NewRecord<C>, Invalid> {
    let mut checker = Checker::new(lang);
    let id = checker.slug(doc, "", "id", false);
    let data = validate::<C>(doc, &mut checker);
    match checker.finish(data)? {
        Some(data) => Ok(NewRecord { id, data }),
        None => Err(Invalid(vec![crate::error::FieldError::new(
            "",
            "is not valid",
        )])),
    }
}

/// Creates a record: picks the id, checks references, inserts and records the change (and, with
/// an `Idempotency-Key`, the response `respond` renders), in one transaction. Answers the new
/// record's response, or the first response to the same idempotent request.
pub fn create<C: Collection>(
    conn: &mut AnyConnection,
    new: NewRecord<C>,
    actor: &str,
    idempotency: Option<&Idempotency>,
    respond: impl FnOnce(&Record<C>) -> StoredResponse,
) -> Result<StoredResponse, AppError> {
    db::write_transaction(conn, |conn| {
        if let Some(idem) = idempotency
            && let Some((hash, stored)) = idempotency::find(conn, actor, &idem.key, now())?
        {
            if hash != idem.request_hash {
                return Err(AppError::invalid(
                    "",
                    "this Idempotency-Key was used with another request; use a new key for a new request",
                ));
            }
            if stored.status == idempotency::DELETED {
                return Err(AppError::Gone(format!(
                    "the record this Idempotency-Key created ({}) was deleted since; its first response is no longer replayed",
                    stored.location
                )));
            }
            return Ok(stored);
        }
        check_references(conn, &new.data)?;
        let id = match new.id {
            Some(id) => {
                if C::Store::id_taken(conn, &id)? {
                    return Err(AppError::id_taken(C::NAME, &id));
                }
                id
            }
            None => free_id::<C>(conn, &check::slugify(&new.data.english_title()))?,
        };
        let at = now();
        let record = C::Store::insert(conn, &id, &new.data, &relations::links(&new.data), at)?;
        change::record(conn, C::NAME, &id, Action::Created, 1, at, Some(actor))?;
        let response = respond(&record);
        if let Some(idem) = idempotency {
            idempotency::store(conn, actor, &idem.key, &idem.request_hash, &response, at)?;
        }
        Ok(response)
    })
}

/// The first of `base`, `base-2`, `base-3`, ... that no record ever had.
fn free_id<C: Collection>(conn: &mut AnyConnection, base: &str) -> Result<String, AppError> {
    if !C::Store::id_taken(conn, base)? {
        return Ok(base.to_owned());
    }
    for n in 2..1_000 {
        let candidate = format!("{base}-{n}");
        if !C::Store::id_taken(conn, &candidate)? {
            return Ok(candidate);
        }
    }
    Err(AppError::Conflict {
        detail: format!("no free id starts with '{base}'; give one"),
        conflicts: None,
    })
}

/// Checks `If-Match` entity tags against a record's current version; `Ok(true)` when the write
/// is conditional. No tags: any version passes. The ETag of any language of the current
/// version passes (`"v{version}-..."`), and `*`; weak ETags never do.
pub fn check_if_match(given: &[String], current_version: i32) -> Result<bool, AppError> {
    if given.is_empty() {
        return Ok(false);
    }
    let matches = given
        .iter()
        .any(|tag| tag == "*" || etag_version(tag) == Some(current_version));
    if matches {
        Ok(true)
    } else {
        Err(AppError::PreconditionFailed(format!(
            "If-Match does not name the current version ({current_version}); read the record again"
        )))
    }
}

/// The version a strong record ETag names, when the tag is one this server could have issued
/// (`"v{version}-{en|fr|es|all}-{16 hex digits}"`, as `api::respond::record_etag` makes it):
/// `"v2-en-x"` names no version, so it holds for none.
pub fn etag_version(tag: &str) -> Option<i32> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    let mut parts = inner.strip_prefix('v')?.split('-');
    let (version, lang, digest) = (parts.next()?, parts.next()?, parts.next()?);
    let issued = parts.next().is_none()
        && !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit())
        && matches!(lang, "en" | "fr" | "es" | "all")
        && digest.len() == 16
        && digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if issued {
        version.parse().ok().filter(|v| *v > 0)
    } else {
        None
    }
}

fn changed_meanwhile(conditional: bool) -> AppError {
    if conditional {
        AppError::PreconditionFailed("the record changed meanwhile".into())
    } else {
        AppError::Conflict {
            detail: "the record changed meanwhile; retry".into(),
            conflicts: None,
        }
    }
}

/// Merges a JSON Merge Patch into the record's current document, validates the result as a
/// whole and writes it if the version is still the one read (and the one `If-Match` names). A
/// patch that changes nothing writes nothing.
pub fn update<C: Collection>(
    conn: &mut AnyConnection,
    id: &str,
    mut patch: Map<String, Value>,
    lang: Lang,
    if_match: &[String],
    actor: &str,
) -> Result<Record<C>, AppError> {
    strings_to_language_objects(&mut patch, C::text_members(), lang);
    db::write_transaction(conn, |conn| {
        let current = load::<C>(conn, id)?;
        let conditional = check_if_match(if_match, current.meta.version)?;
        let mut doc =
            serde_json::to_value(&current.data).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Some(new_id) = patch.get("id")
            && new_id.as_str() != Some(id)
        {
            return Err(AppError::invalid("/id", "cannot be changed"));
        }
        patch.remove("id");
        // Members the schema lacks are refused even when null (a merge would drop them).
        let mut members = Checker::new(lang);
        members.only_members(&patch, "", C::MEMBERS);
        members.finish(())?;
        merge_patch(&mut doc, &Value::Object(patch));
        let data: C = match &doc {
            Value::Object(doc) => validated(doc, lang)?,
            _ => return Err(AppError::Internal("a record is not an object".into())),
        };
        if data == current.data {
            return Ok(current);
        }
        // Unchanged links need no check: a record others point to cannot be deleted.
        let links = relations::links(&data);
        let changed = links != relations::links(&current.data);
        if changed {
            check_references(conn, &data)?;
        }
        let at = now();
        let written = C::Store::update(conn, &current, &data, changed.then_some(&links[..]), at)?;
        let record = written.ok_or_else(|| changed_meanwhile(conditional))?;
        change::record(
            conn,
            C::NAME,
            id,
            Action::Updated,
            record.meta.version,
            at,
            Some(actor),
        )?;
        Ok(record)
    })
}

/// Deletes a record, leaving a tombstone (410 from then on), unless live records still point to
/// it (409 naming them).
pub fn delete<C: Collection>(
    conn: &mut AnyConnection,
    id: &str,
    if_match: &[String],
    actor: &str,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        let current = load::<C>(conn, id)?;
        let conditional = check_if_match(if_match, current.meta.version)?;
        let blockers = crate::models::relation::pointing_to(conn, C::NAME, id)?;
        if !blockers.is_empty() {
            return Err(AppError::Conflict {
                detail: format!(
                    "the {} '{id}' cannot be deleted while other records point to it: {}",
                    C::SINGULAR,
                    blockers.join(", ")
                ),
                conflicts: Some(blockers),
            });
        }
        let at = now();
        if !C::Store::delete(conn, &current, &current.data.tombstone(), at)? {
            return Err(changed_meanwhile(conditional));
        }
        idempotency::forget_created(conn, &format!("/v1/{}/{id}", C::NAME))?;
        change::record(
            conn,
            C::NAME,
            id,
            Action::Deleted,
            current.meta.version + 1,
            at,
            Some(actor),
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_versions_are_read_back_from_strong_tags_only() {
        assert_eq!(etag_version("\"v12-fr-0011aabbccddeeff\""), Some(12));
        assert_eq!(etag_version("W/\"v12-fr-0011aabbccddeeff\""), None);
        assert_eq!(etag_version("\"p-fr-0011aabbccddeeff\""), None);
        // Never issued: a short or non-hex digest, an unknown language, a sign, extra parts.
        assert_eq!(etag_version("\"v2-en-x\""), None);
        assert_eq!(etag_version("\"v2-de-0011aabbccddeeff\""), None);
        assert_eq!(etag_version("\"v+2-en-0011aabbccddeeff\""), None);
        assert_eq!(etag_version("\"v2-en-0011AABBCCDDEEFF\""), None);
        assert_eq!(etag_version("\"v2-en-0011aabbccddeeff-1\""), None);
        assert_eq!(etag_version("v3-en"), None);
    }
}
