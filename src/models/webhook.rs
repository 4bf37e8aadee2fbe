//! Webhook subscriptions, their delivery state and their delivery attempts.
//!
//! A subscription's `position` is a change-feed seq: every entry up to it has been delivered
//! (or does not concern the subscription). The entry after it is retried while it fails
//! (`attempts`, `failing_since`, `next_attempt_at`); a subscription is `active`, `failing`
//! (its retry period ran out: delivery paused, position kept) or `disabled` (its receiver
//! answered 410 Gone). The lease (`lease_owner`, `lease_until`) names the one instance that
//! delivers for it at a time; a lease not renewed (its instance died) expires and another
//! instance, or the restarted one, takes over from the position.
//!
//! Secrets are sealed (XChaCha20-Poly1305, with a key of the service's own in
//! `service_secrets`), so neither the API nor a copy of this table shows them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::change::{self, Change};
use crate::db::AnyConnection;
use crate::db::schema::{changes, webhook_deliveries, webhook_redeliveries, webhooks};

/// At most this many subscriptions (each costs a worker's attention).
pub const MAX_SUBSCRIPTIONS: i64 = 100;
/// Attempts kept per subscription; older ones are pruned.
pub const KEEP_DELIVERIES: i64 = 1000;

/// A subscription, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub collections: Option<String>,
    pub description: Option<String>,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_secret_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub state: String,
    pub state_reason: Option<String>,
    pub position: i64,
    pub attempts: i32,
    pub failing_since: Option<NaiveDateTime>,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub lease_owner: Option<String>,
    pub lease_until: Option<NaiveDateTime>,
}

impl Webhook {
    /// The collections it follows (`None`: all).
    pub fn collection_list(&self) -> Option<Vec<String>> {
        self.collections
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
    }
}

/// One delivery attempt.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: String,
    pub seq: i64,
    pub attempt: i32,
    pub manual: bool,
    pub at: NaiveDateTime,
    pub status: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<String>,
    pub outcome: String,
}

/// A new subscription.
pub struct NewWebhook<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub collections: Option<&'a [String]>,
    pub description: Option<&'a str>,
    pub secret_sealed: &'a str,
    pub created_by: Option<&'a str>,
    pub at: NaiveDateTime,
}

/// Why a subscription could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("at most {MAX_SUBSCRIPTIONS} subscriptions can exist; delete one first")]
    TooMany,
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Creates a subscription positioned at the feed's head: it receives the changes committed
/// after it. Run inside `db::write_transaction`, so that no write commits between reading the
/// head and storing it.
pub fn create(conn: &mut AnyConnection, new: &NewWebhook) -> Result<Webhook, CreateError> {
    let count: i64 = webhooks::table.count().get_result(conn)?;
    if count >= MAX_SUBSCRIPTIONS {
        return Err(CreateError::TooMany);
    }
    let position = change::last_seq(conn)?;
    let collections = new
        .collections
        .map(|c| serde_json::to_string(c).unwrap_or_default());
    diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(new.id),
            webhooks::url.eq(new.url),
            webhooks::collections.eq(collections),
            webhooks::description.eq(new.description),
            webhooks::secret_sealed.eq(new.secret_sealed),
            webhooks::created_at.eq(new.at),
            webhooks::created_by.eq(new.created_by),
            webhooks::state.eq("active"),
            webhooks::position.eq(position),
            webhooks::attempts.eq(0),
        ))
        .execute(conn)?;
    Ok(get(conn, new.id)?.ok_or(diesel::result::Error::NotFound)?)
}

pub fn get(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Webhook>> {
    webhooks::table
        .find(id)
        .select(Webhook::as_select())
        .first(conn)
        .optional()
}

/// Every subscription, oldest first.
pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<Webhook>> {
    webhooks::table
        .order((webhooks::created_at.asc(), webhooks::id.asc()))
        .select(Webhook::as_select())
        .load(conn)
}

/// Whether any subscription exists.
pub fn any(conn: &mut AnyConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(webhooks::table.select(webhooks::id))).get_result(conn)
}

/// Deletes a subscription and its attempts; whether it existed.
pub fn delete(conn: &mut AnyConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(webhook_redeliveries::table.filter(webhook_redeliveries::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)?;
    Ok(diesel::delete(webhooks::table.find(id)).execute(conn)? > 0)
}

/// Replaces the secret; the old one keeps signing until `previous_until`.
pub fn rotate(
    conn: &mut AnyConnection,
    id: &str,
    sealed: &str,
    previous_until: NaiveDateTime,
) -> QueryResult<Option<Webhook>> {
    let Some(hook) = get(conn, id)? else {
        return Ok(None);
    };
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::previous_secret_sealed.eq(Some(hook.secret_sealed)),
            webhooks::previous_secret_until.eq(Some(previous_until)),
            webhooks::secret_sealed.eq(sealed),
        ))
        .execute(conn)?;
    get(conn, id)
}

/// A subscription's attempts, newest first, older than `before` (an attempt id) if given.
pub fn deliveries(
    conn: &mut AnyConnection,
    id: &str,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before));
    }
    query
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(Delivery::as_select())
        .load(conn)
}

pub fn delivery(
    conn: &mut AnyConnection,
    id: &str,
    delivery_id: i64,
) -> QueryResult<Option<Delivery>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .filter(webhook_deliveries::id.eq(delivery_id))
        .select(Delivery::as_select())
        .first(conn)
        .optional()
}

/// What a retry asked through the API does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// The entry was not delivered yet: the subscription is active again and tries it now.
    Resumed,
    /// The entry was delivered: it is delivered once more, outside the order of the feed.
    Redelivery,
}

/// Asks for the entry `seq` to be delivered again (see [`Retry`]).
pub fn request_retry(
    conn: &mut AnyConnection,
    hook: &Webhook,
    seq: i64,
    now: NaiveDateTime,
) -> QueryResult<Retry> {
    if seq > hook.position {
        diesel::update(webhooks::table.find(&hook.id))
            .set((
                webhooks::state.eq("active"),
                webhooks::state_reason.eq(None::<String>),
                webhooks::attempts.eq(0),
                webhooks::failing_since.eq(None::<NaiveDateTime>),
                webhooks::next_attempt_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        return Ok(Retry::Resumed);
    }
    let queued: bool = diesel::select(diesel::dsl::exists(
        webhook_redeliveries::table
            .filter(webhook_redeliveries::webhook_id.eq(&hook.id))
            .filter(webhook_redeliveries::seq.eq(seq)),
    ))
    .get_result(conn)?;
    if !queued {
        diesel::insert_into(webhook_redeliveries::table)
            .values((
                webhook_redeliveries::webhook_id.eq(&hook.id),
                webhook_redeliveries::seq.eq(seq),
                webhook_redeliveries::requested_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(Retry::Redelivery)
}

// ---- the worker's side ----

/// Subscriptions that have something to do now and whose lease is free (or `owner`'s).
pub fn due(conn: &mut AnyConnection, owner: &str, now: NaiveDateTime) -> QueryResult<Vec<Webhook>> {
    let head = change::last_seq(conn)?;
    let free = webhooks::lease_until
        .is_null()
        .or(webhooks::lease_until.lt(now))
        .or(webhooks::lease_owner.eq(owner));
    let behind = webhooks::state
        .eq("active")
        .and(webhooks::position.lt(head))
        .and(
            webhooks::next_attempt_at
                .is_null()
                .or(webhooks::next_attempt_at.le(now)),
        );
    let redelivery = diesel::dsl::exists(
        webhook_redeliveries::table.filter(webhook_redeliveries::webhook_id.eq(webhooks::id)),
    );
    webhooks::table
        .filter(free)
        .filter(behind.or(redelivery))
        .select(Webhook::as_select())
        .load(conn)
}

/// The earliest time a waiting subscription becomes due (for the worker's sleep).
pub fn next_wake(conn: &mut AnyConnection) -> QueryResult<Option<NaiveDateTime>> {
    webhooks::table
        .filter(webhooks::state.eq("active"))
        .select(diesel::dsl::min(webhooks::next_attempt_at))
        .first(conn)
}

/// Takes or renews the lease of a subscription until `until`; whether `owner` holds it now.
pub fn claim(
    conn: &mut AnyConnection,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhooks::table.find(id).filter(
            webhooks::lease_until
                .is_null()
                .or(webhooks::lease_until.lt(now))
                .or(webhooks::lease_owner.eq(owner)),
        ),
    )
    .set((
        webhooks::lease_owner.eq(owner),
        webhooks::lease_until.eq(until),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Gives the lease back.
pub fn release(conn: &mut AnyConnection, id: &str, owner: &str) -> QueryResult<()> {
    diesel::update(
        webhooks::table
            .find(id)
            .filter(webhooks::lease_owner.eq(owner)),
    )
    .set((
        webhooks::lease_owner.eq(None::<String>),
        webhooks::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
    .map(|_| ())
}

/// The first entry after the subscription's position that concerns it, and the feed's head,
/// from one snapshot (so that, when there is none, every entry up to the head was looked at).
pub fn next_entry(conn: &mut AnyConnection, hook: &Webhook) -> QueryResult<(Option<Change>, i64)> {
    let collections = hook.collection_list();
    crate::db::read_transaction(conn, |conn| {
        let entry = change::list_in(conn, hook.position, 1, collections.as_deref())?
            .into_iter()
            .next();
        Ok((entry, change::last_seq(conn)?))
    })
}

/// One entry of the feed.
pub fn entry(conn: &mut AnyConnection, seq: i64) -> QueryResult<Option<Change>> {
    changes::table
        .find(seq)
        .select(Change::as_select())
        .first(conn)
        .optional()
}

/// Moves the position on (an entry delivered, or entries that do not concern it skipped),
/// clearing the failure state; only while `owner` holds the lease.
pub fn advance(conn: &mut AnyConnection, id: &str, owner: &str, seq: i64) -> QueryResult<bool> {
    let updated = diesel::update(
        webhooks::table
            .find(id)
            .filter(webhooks::lease_owner.eq(owner))
            .filter(webhooks::position.lt(seq)),
    )
    .set((
        webhooks::position.eq(seq),
        webhooks::attempts.eq(0),
        webhooks::failing_since.eq(None::<NaiveDateTime>),
        webhooks::next_attempt_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// What a failed attempt leaves.
pub struct Failure<'a> {
    pub attempts: i32,
    pub failing_since: NaiveDateTime,
    pub next_attempt_at: Option<NaiveDateTime>,
    /// `failing` or `disabled` when the subscription stops; `active` while it retries.
    pub state: &'a str,
    pub reason: Option<&'a str>,
}

pub fn fail(conn: &mut AnyConnection, id: &str, owner: &str, failure: &Failure) -> QueryResult<()> {
    diesel::update(
        webhooks::table
            .find(id)
            .filter(webhooks::lease_owner.eq(owner)),
    )
    .set((
        webhooks::attempts.eq(failure.attempts),
        webhooks::failing_since.eq(Some(failure.failing_since)),
        webhooks::next_attempt_at.eq(failure.next_attempt_at),
        webhooks::state.eq(failure.state),
        webhooks::state_reason.eq(failure.reason),
    ))
    .execute(conn)
    .map(|_| ())
}

/// A new attempt to record.
pub struct Attempt<'a> {
    pub webhook_id: &'a str,
    pub seq: i64,
    pub attempt: i32,
    pub manual: bool,
    pub at: NaiveDateTime,
    pub status: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<&'a str>,
    pub delivered: bool,
}

/// Records an attempt (and prunes the oldest beyond [`KEEP_DELIVERIES`] now and then).
pub fn record_attempt(conn: &mut AnyConnection, attempt: &Attempt) -> QueryResult<()> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::webhook_id.eq(attempt.webhook_id),
            webhook_deliveries::seq.eq(attempt.seq),
            webhook_deliveries::attempt.eq(attempt.attempt),
            webhook_deliveries::manual.eq(attempt.manual),
            webhook_deliveries::at.eq(attempt.at),
            webhook_deliveries::status.eq(attempt.status),
            webhook_deliveries::duration_ms.eq(attempt.duration_ms),
            webhook_deliveries::error.eq(attempt.error),
            webhook_deliveries::outcome.eq(if attempt.delivered {
                "delivered"
            } else {
                "failed"
            }),
        ))
        .execute(conn)?;
    if attempt.seq % 64 == 0 {
        let cutoff: Option<i64> = webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(attempt.webhook_id))
            .order(webhook_deliveries::id.desc())
            .offset(KEEP_DELIVERIES)
            .select(webhook_deliveries::id)
            .first(conn)
            .optional()?;
        if let Some(cutoff) = cutoff {
            diesel::delete(
                webhook_deliveries::table
                    .filter(webhook_deliveries::webhook_id.eq(attempt.webhook_id))
                    .filter(webhook_deliveries::id.le(cutoff)),
            )
            .execute(conn)?;
        }
    }
    Ok(())
}

/// The entries asked to be delivered again, oldest request first.
pub fn redeliveries(conn: &mut AnyConnection, id: &str) -> QueryResult<Vec<i64>> {
    webhook_redeliveries::table
        .filter(webhook_redeliveries::webhook_id.eq(id))
        .order(webhook_redeliveries::requested_at.asc())
        .select(webhook_redeliveries::seq)
        .load(conn)
}

pub fn redelivered(conn: &mut AnyConnection, id: &str, seq: i64) -> QueryResult<()> {
    diesel::delete(
        webhook_redeliveries::table
            .filter(webhook_redeliveries::webhook_id.eq(id))
            .filter(webhook_redeliveries::seq.eq(seq)),
    )
    .execute(conn)
    .map(|_| ())
}

/// The largest number of feed entries an active or failing subscription has not yet passed.
pub fn lag(conn: &mut AnyConnection) -> QueryResult<i64> {
    let head = change::last_seq(conn)?;
    let lowest: Option<i64> = webhooks::table
        .filter(webhooks::state.ne("disabled"))
        .select(diesel::dsl::min(webhooks::position))
        .first(conn)?;
    Ok(lowest.map_or(0, |p| (head - p).max(0)))
}

// ---- sealing secrets ----

/// Seals and opens webhook secrets with the service's key.
pub struct Sealer(XChaCha20Poly1305);

impl Sealer {
    /// The sealer of this database (its key made on first use, shared by every instance).
    pub fn of(conn: &mut AnyConnection) -> QueryResult<Sealer> {
        let hex = super::secret::get_or_create(conn, "webhook-secret-sealing")?;
        let key: Vec<u8> = (0..hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        XChaCha20Poly1305::new_from_slice(&key)
            .map(Sealer)
            .map_err(|_| diesel::result::Error::QueryBuilderError("bad sealing key".into()))
    }

    pub fn seal(&self, secret: &str) -> Result<String, String> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|e| e.to_string())?;
        let sealed = self
            .0
            .encrypt(XNonce::from_slice(&nonce), secret.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, body) = bytes.split_at(24);
        let plain = self.0.decrypt(XNonce::from_slice(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }
}
