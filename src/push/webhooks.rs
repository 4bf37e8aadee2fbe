//! The delivery worker: for each webhook subscription, the feed entries after its position,
//! one at a time and in seq order, POSTed to its URL with Standard Webhooks headers; retried
//! with exponential backoff on any non-2xx answer, timeout or connection failure.
//!
//! Every instance runs one worker, on a thread of its own. A subscription is served by the one
//! instance holding its lease (renewed before every attempt, [`LEASE`] long), so deliveries
//! stay in order with several instances, and a killed instance's subscriptions are taken over
//! when its lease runs out. The position moves only after a 2xx, so a crash between the
//! receiver's answer and the update delivers that entry again, with the same `webhook-id`:
//! delivery is at least once, and receivers deduplicate on `webhook-id`.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::QueryResult;
use prometheus::IntCounterVec;
use tokio::sync::Notify;

use super::signature;
use super::ssrf;
use super::watch::FeedWatch;
use crate::db::{AnyConnection, Pool};
use crate::models::change::Change;
use crate::models::webhook::{self, Attempt, Failure, Sealer, Webhook};
use crate::models::{instant, now};

/// How long a lease lasts: longer than an attempt ([`TIMEOUT`]) and its bookkeeping.
pub const LEASE: Duration = Duration::from_secs(20);
/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait between two attempts.
pub const RETRY_CAP: Duration = Duration::from_secs(3600);
/// How much of a receiver's answer is read (the rest is dropped).
pub const RESPONSE_LIMIT: usize = 1024;
/// Retries due within this are waited for by the subscription's task, lease held.
const SHORT_WAIT: Duration = Duration::from_secs(5);
/// How often the worker looks for due subscriptions when nothing woke it.
const TICK: Duration = Duration::from_secs(1);
/// How often an idle worker checks whether any subscription exists.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// Deliver to loopback and private addresses too (`--webhook-allow-private`).
    pub allow_private: bool,
    /// The first retry's wait; retry n waits about `retry_base * 2^(n-1)`, capped.
    pub retry_base: Duration,
    /// How long an entry is retried before the subscription is marked failing.
    pub retry_period: Duration,
}

/// The worker of one application.
pub struct Worker {
    stop: AtomicBool,
    wake: Notify,
}

struct Context {
    pool: Pool,
    watch: Arc<FeedWatch>,
    settings: DeliverySettings,
    client: reqwest::Client,
    sealer: Sealer,
    owner: String,
    delivered: IntCounterVec,
    inflight: Mutex<HashSet<String>>,
    worker: Arc<Worker>,
}

impl Worker {
    /// Starts the worker on a thread of its own, with its own single-threaded runtime.
    pub fn start(
        pool: Pool,
        watch: Arc<FeedWatch>,
        settings: DeliverySettings,
        delivered: IntCounterVec,
    ) -> std::io::Result<Arc<Worker>> {
        let worker = Arc::new(Worker {
            stop: AtomicBool::new(false),
            wake: Notify::new(),
        });
        let sealer = Sealer::of(&mut *pool.get().map_err(std::io::Error::other)?)
            .map_err(std::io::Error::other)?;
        let client = client(settings.allow_private).map_err(std::io::Error::other)?;
        let mut id = [0u8; 8];
        getrandom::fill(&mut id).map_err(std::io::Error::other)?;
        let context = Arc::new(Context {
            pool,
            watch,
            settings,
            client,
            sealer,
            owner: format!(
                "instance-{}",
                id.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
            delivered,
            inflight: Mutex::new(HashSet::new()),
            worker: Arc::clone(&worker),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("webhooks".into())
            .spawn(move || runtime.block_on(run(context)))?;
        Ok(worker)
    }

    /// Looks for work now (a subscription was created or a retry asked for here).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Ends the worker (the application stopped); deliveries in flight are abandoned, their
    /// entries delivered again by whoever takes the lease next.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wake.notify_one();
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// The HTTP client: no redirects, no proxies, a bounded time, and a resolver that refuses
/// private addresses (unless allowed).
fn client(allow_private: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(2)
        .user_agent(concat!("iom-lrg-api-webhooks/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(GuardedResolver { allow_private }))
        .build()
}

/// Resolves names and keeps only the addresses webhooks may reach, at delivery time (so a name
/// that resolves elsewhere later is still checked).
struct GuardedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || ssrf::refused_ip(a.ip()).is_none())
                .collect();
            if kept.is_empty() {
                return Err(format!(
                    "{host} resolves to no address webhooks may deliver to (private, loopback or link-local addresses are refused)"
                )
                .into());
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Runs a query on a pooled connection, off the worker's thread.
async fn db<T, F>(pool: &Pool, f: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        f(&mut conn).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

async fn run(context: Arc<Context>) {
    let worker = Arc::clone(&context.worker);
    let mut head = None;
    let mut any = false;
    let mut checked: Option<Instant> = None;
    let mut woken = true;
    while !worker.stopped() {
        if woken || checked.is_none_or(|at| at.elapsed() >= IDLE_CHECK) {
            any = db(&context.pool, webhook::any).await.unwrap_or(any);
            checked = Some(Instant::now());
        }
        if !any {
            head = None;
            woken = tokio::time::timeout(IDLE_CHECK, worker.wake.notified())
                .await
                .is_ok();
            continue;
        }
        let receiver = head.get_or_insert_with(|| context.watch.subscribe());
        receiver.borrow_and_update();
        let owner = context.owner.clone();
        match db(&context.pool, move |conn| webhook::due(conn, &owner, now())).await {
            Ok(due) => {
                for hook in due {
                    let fresh = context
                        .inflight
                        .lock()
                        .map(|mut set| set.insert(hook.id.clone()))
                        .unwrap_or(false);
                    if fresh {
                        tokio::spawn(serve(Arc::clone(&context), hook.id));
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "webhook worker: cannot read subscriptions"),
        }
        let wait = match db(&context.pool, webhook::next_wake).await {
            Ok(Some(at)) => (at - now()).to_std().unwrap_or(Duration::ZERO).min(TICK),
            _ => TICK,
        }
        .max(Duration::from_millis(5));
        woken = tokio::select! {
            _ = receiver.changed() => false,
            _ = worker.wake.notified() => true,
            _ = tokio::time::sleep(wait) => false,
        };
    }
}

/// Delivers for one subscription while it holds the lease and has entries to deliver.
async fn serve(context: Arc<Context>, id: String) {
    if let Err(error) = deliver_due(&context, &id).await {
        tracing::warn!(webhook = %id, %error, "webhook worker: delivery stopped");
    }
    let (owner, key) = (context.owner.clone(), id.clone());
    let _ = db(&context.pool, move |conn| {
        webhook::release(conn, &key, &owner)
    })
    .await;
    if let Ok(mut set) = context.inflight.lock() {
        set.remove(&id);
    }
}

async fn deliver_due(context: &Arc<Context>, id: &str) -> Result<(), String> {
    let pool = &context.pool;
    let owner = context.owner.clone();
    loop {
        if context.worker.stopped() {
            return Ok(());
        }
        let start = now();
        let lease_until = start + TimeDelta::from_std(LEASE).unwrap_or(TimeDelta::MAX);
        let (key, me) = (id.to_owned(), owner.clone());
        let claimed = db(pool, move |conn| {
            webhook::claim(conn, &key, &me, start, lease_until)
        })
        .await?;
        if !claimed {
            return Ok(());
        }
        let key = id.to_owned();
        let Some(hook) = db(pool, move |conn| webhook::get(conn, &key)).await? else {
            return Ok(());
        };
        // Redeliveries asked for through the API: once each, outside the feed's order.
        let key = id.to_owned();
        let asked = db(pool, move |conn| webhook::redeliveries(conn, &key)).await?;
        if let Some(seq) = asked.first().copied() {
            if let Some(entry) = db(pool, move |conn| webhook::entry(conn, seq)).await? {
                let outcome = attempt(context, &hook, &entry, 1, true).await?;
                if outcome == Outcome::Gone {
                    disable(context, &hook).await?;
                }
            }
            let key = id.to_owned();
            db(pool, move |conn| webhook::redelivered(conn, &key, seq)).await?;
            continue;
        }
        if hook.state != "active" || hook.next_attempt_at.is_some_and(|at| at > now()) {
            return Ok(());
        }
        let snapshot = hook.clone();
        let (entry, head) = db(pool, move |conn| webhook::next_entry(conn, &snapshot)).await?;
        let Some(entry) = entry else {
            if head > hook.position {
                let (key, me) = (id.to_owned(), owner.clone());
                db(pool, move |conn| webhook::advance(conn, &key, &me, head)).await?;
            }
            return Ok(());
        };
        let seq = entry.seq;
        match attempt(context, &hook, &entry, hook.attempts + 1, false).await? {
            Outcome::Delivered => {
                let (key, me) = (id.to_owned(), owner.clone());
                db(pool, move |conn| webhook::advance(conn, &key, &me, seq)).await?;
            }
            Outcome::Gone => {
                disable(context, &hook).await?;
                return Ok(());
            }
            Outcome::Failed => {
                let failures = hook.attempts + 1;
                let at = now();
                let since = hook.failing_since.unwrap_or(at);
                let period =
                    TimeDelta::from_std(context.settings.retry_period).unwrap_or(TimeDelta::MAX);
                let exhausted = at - since >= period;
                let wait = backoff(context.settings.retry_base, failures);
                let next = at + TimeDelta::from_std(wait).unwrap_or(TimeDelta::MAX);
                let reason = format!(
                    "no attempt to deliver entry {seq} succeeded for {} s; retries stopped (POST /v1/webhooks/{id}/deliveries/{{delivery_id}}/retry resumes them)",
                    context.settings.retry_period.as_secs()
                );
                let (key, me) = (id.to_owned(), owner.clone());
                db(pool, move |conn| {
                    webhook::fail(
                        conn,
                        &key,
                        &me,
                        &Failure {
                            attempts: failures,
                            failing_since: since,
                            next_attempt_at: (!exhausted).then_some(next),
                            state: if exhausted { "failing" } else { "active" },
                            reason: exhausted.then_some(reason.as_str()),
                        },
                    )
                })
                .await?;
                if exhausted || wait > SHORT_WAIT {
                    return Ok(());
                }
                // A short wait is slept here, lease held (it outlasts the wait), so the retry
                // comes on time rather than at the worker's next look.
                tokio::time::sleep(wait).await;
            }
        }
    }
}

async fn disable(context: &Arc<Context>, hook: &Webhook) -> Result<(), String> {
    let (key, me) = (hook.id.clone(), context.owner.clone());
    let (attempts, since) = (hook.attempts, hook.failing_since.unwrap_or_else(now));
    db(&context.pool, move |conn| {
        webhook::fail(
            conn,
            &key,
            &me,
            &Failure {
                attempts,
                failing_since: since,
                next_attempt_at: None,
                state: "disabled",
                reason: Some("the receiver answered 410 Gone: the subscription is disabled"),
            },
        )
    })
    .await
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Delivered,
    /// 410: the receiver is gone for good.
    Gone,
    Failed,
}

/// Retry n (n failures so far) waits about `base * 2^(n-1)`, within ±20 %, at most
/// [`RETRY_CAP`] (or `base`, when that is longer).
pub fn backoff(base: Duration, failures: i32) -> Duration {
    let exponent = u32::try_from(failures.clamp(1, 31) - 1).unwrap_or(0);
    let raw = base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(RETRY_CAP.max(base));
    let mut byte = [0u8; 2];
    let spread = if getrandom::fill(&mut byte).is_ok() {
        f64::from(u16::from_le_bytes(byte)) / f64::from(u16::MAX)
    } else {
        0.5
    };
    raw.mul_f64(0.8 + 0.4 * spread)
}

/// The body of a delivery: its type, the time of the change and the feed entry.
pub fn payload(entry: &Change) -> Vec<u8> {
    serde_json::to_vec(&crate::api::webhooks::WebhookPayload {
        kind: format!("{}.{}", entry.collection, entry.action),
        timestamp: instant(&entry.at),
        data: crate::api::changes::entry_out(entry.clone(), false),
    })
    .unwrap_or_default()
}

/// The `webhook-id` of an entry for a subscription: the same on every retry.
pub fn message_id(hook: &str, seq: i64) -> String {
    format!("msg_{hook}_{seq}")
}

/// One attempt, recorded.
async fn attempt(
    context: &Arc<Context>,
    hook: &Webhook,
    entry: &Change,
    number: i32,
    manual: bool,
) -> Result<Outcome, String> {
    let at = now();
    let started = Instant::now();
    let (status, error) = send(context, hook, entry, at).await;
    let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    let outcome = match status {
        Some(s) if (200..300).contains(&s) => Outcome::Delivered,
        Some(410) => Outcome::Gone,
        _ => Outcome::Failed,
    };
    let error = match (status, error) {
        (_, Some(error)) => Some(error),
        (Some(s), None) if outcome != Outcome::Delivered => {
            Some(format!("the receiver answered {s}"))
        }
        _ => None,
    };
    context
        .delivered
        .with_label_values(&[match outcome {
            Outcome::Delivered => "delivered",
            Outcome::Gone => "gone",
            Outcome::Failed => "failed",
        }])
        .inc();
    let (key, seq) = (hook.id.clone(), entry.seq);
    db(&context.pool, move |conn| {
        webhook::record_attempt(
            conn,
            &Attempt {
                webhook_id: &key,
                seq,
                attempt: number,
                manual,
                at,
                status: status.map(i32::from),
                duration_ms,
                error: error.as_deref(),
                delivered: outcome == Outcome::Delivered,
            },
        )
    })
    .await?;
    Ok(outcome)
}

/// Sends one delivery: the receiver's status, or why there was none.
async fn send(
    context: &Context,
    hook: &Webhook,
    entry: &Change,
    at: NaiveDateTime,
) -> (Option<u16>, Option<String>) {
    let url = match ssrf::check_url(&hook.url, context.settings.allow_private) {
        Ok(url) => url,
        Err(why) => return (None, Some(format!("the URL {why}"))),
    };
    let mut keys = Vec::new();
    if let Some(key) = context
        .sealer
        .open(&hook.secret_sealed)
        .and_then(|s| signature::key_of(&s))
    {
        keys.push(key);
    }
    if let (Some(sealed), Some(until)) = (&hook.previous_secret_sealed, hook.previous_secret_until)
        && until > at
        && let Some(key) = context
            .sealer
            .open(sealed)
            .and_then(|s| signature::key_of(&s))
    {
        keys.push(key);
    }
    if keys.is_empty() {
        return (
            None,
            Some("the subscription's secret cannot be opened with this database's key".into()),
        );
    }
    let body = payload(entry);
    let id = message_id(&hook.id, entry.seq);
    let timestamp = chrono::Utc::now().timestamp();
    let signature = signature::header(&keys, &id, timestamp, &body);
    let sent = context
        .client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(mut response) => {
            let status = response.status().as_u16();
            // Read a little of the answer (so the connection can be reused), never all of it.
            let mut read = 0;
            while read < RESPONSE_LIMIT {
                match response.chunk().await {
                    Ok(Some(chunk)) => read += chunk.len(),
                    _ => break,
                }
            }
            (Some(status), None)
        }
        Err(error) => (None, Some(describe(&error))),
    }
}

/// A delivery error with its causes, in one line.
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        format!("no answer within {} s", TIMEOUT.as_secs())
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let base = Duration::from_secs(5);
        for failures in 1..=5 {
            let expected = 5.0 * 2f64.powi(failures - 1);
            let wait = backoff(base, failures).as_secs_f64();
            assert!(
                wait >= expected * 0.8 - 1e-9 && wait <= expected * 1.2 + 1e-9,
                "{failures}: {wait}"
            );
        }
        assert!(backoff(base, 30) <= RETRY_CAP.mul_f64(1.2));
        assert!(backoff(base, 30) >= RETRY_CAP.mul_f64(0.8));
    }
}
