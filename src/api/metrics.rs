//! Prometheus metrics: request counts and latency by route and status, pool usage, the
//! change-feed head, webhook deliveries and lag, open streams, and response-cache hits and
//! misses, served at `GET /metrics` in the text exposition format.

use actix_web::{HttpResponse, get, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use super::extract::run;
use crate::db::Pool;
use crate::error::AppError;
use crate::models::change;

/// The service's metrics, one registry per application (tests run several in one process).
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    feed_head: IntGauge,
    /// Webhook delivery attempts, by outcome (`delivered`, `failed`, `gone`).
    pub webhook_deliveries: IntCounterVec,
    webhook_lag: IntGauge,
    streams_open: IntGauge,
    cache_hits: IntCounter,
    cache_misses: IntCounter,
    cache_unqueried: IntCounter,
    log_lines_dropped: IntCounter,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("iom_lrg".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route pattern, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer, by route pattern and method",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route", "method"],
        )?;
        let pool_connections = IntGauge::new("db_pool_connections", "Database connections open")?;
        let pool_idle = IntGauge::new("db_pool_idle_connections", "Database connections idle")?;
        let pool_max = IntGauge::new(
            "db_pool_max_connections",
            "Largest size of the database pool",
        )?;
        let feed_head = IntGauge::new("change_feed_last_seq", "The newest change-feed seq")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        registry.register(Box::new(feed_head.clone()))?;
        let webhook_deliveries = IntCounterVec::new(
            Opts::new(
                "webhook_deliveries_total",
                "Webhook delivery attempts made by this instance, by outcome",
            ),
            &["outcome"],
        )?;
        let webhook_lag = IntGauge::new(
            "webhook_lag_entries",
            "Feed entries the furthest-behind webhook subscription (not disabled) has yet to pass",
        )?;
        let streams_open = IntGauge::new(
            "change_streams_open",
            "Event streams and waiting long polls of /v1/changes held by this instance",
        )?;
        registry.register(Box::new(webhook_deliveries.clone()))?;
        registry.register(Box::new(webhook_lag.clone()))?;
        registry.register(Box::new(streams_open.clone()))?;
        let cache_hits = IntCounter::new(
            "response_cache_hits_total",
            "Cacheable reads answered from this instance's response cache",
        )?;
        let cache_misses = IntCounter::new(
            "response_cache_misses_total",
            "Cacheable reads this instance computed (not in its cache, or no longer current)",
        )?;
        let cache_unqueried = IntCounter::new(
            "response_cache_unqueried_hits_total",
            "Cache hits answered without a query: nothing was committed since the entry was last \
             known current (SQLite's wal-index header, or on PostgreSQL the feed watcher's head and \
             this instance's writes, unchanged)",
        )?;
        registry.register(Box::new(cache_hits.clone()))?;
        registry.register(Box::new(cache_misses.clone()))?;
        registry.register(Box::new(cache_unqueried.clone()))?;
        let log_lines_dropped = IntCounter::new(
            "log_lines_dropped_total",
            "Log lines this process dropped because standard error was not read fast enough",
        )?;
        registry.register(Box::new(log_lines_dropped.clone()))?;
        Ok(Self {
            log_lines_dropped,
            cache_hits,
            cache_misses,
            cache_unqueried,
            webhook_deliveries,
            webhook_lag,
            streams_open,
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            pool_max,
            feed_head,
        })
    }

    /// Records one answered request. `route` is the matched pattern (bounded cardinality).
    pub fn observe(&self, route: &str, method: &str, status: &str, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, status])
            .inc();
        self.latency
            .with_label_values(&[route, method])
            .observe(seconds);
    }
}

/// Prometheus metrics.
///
/// Request counts and latency by route pattern, method and status, database pool use and the
/// change-feed head, webhook deliveries, open streams, response-cache hits and misses, and log
/// lines dropped, in the Prometheus text exposition format; exempt from rate limits.
#[utoipa::path(
    tag = "Service",
    security(()),
    responses(
        (status = 200, description = "Metrics in the Prometheus text format", body = String, content_type = "text/plain; version=0.0.4"),
        (status = 503, description = "The database cannot be reached", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn get_metrics(
    metrics: web::Data<Metrics>,
    pool: web::Data<Pool>,
    slots: web::Data<super::streams::StreamSlots>,
    cache: Option<web::Data<super::cache::ResponseCache>>,
) -> Result<HttpResponse, AppError> {
    if let Some(cache) = cache {
        // The cache counts with atomics on its hot path; the counters catch up here.
        let (hits, misses, unqueried) = cache.counts();
        metrics
            .cache_hits
            .inc_by(hits.saturating_sub(metrics.cache_hits.get()));
        metrics
            .cache_misses
            .inc_by(misses.saturating_sub(metrics.cache_misses.get()));
        metrics
            .cache_unqueried
            .inc_by(unqueried.saturating_sub(metrics.cache_unqueried.get()));
    }
    metrics
        .log_lines_dropped
        .inc_by(crate::telemetry::dropped_lines().saturating_sub(metrics.log_lines_dropped.get()));
    let state = pool.state();
    metrics.pool_connections.set(i64::from(state.connections));
    metrics.pool_idle.set(i64::from(state.idle_connections));
    metrics.pool_max.set(i64::from(pool.max_size()));
    let (head, lag) = run(&pool, |conn| {
        Ok((change::last_seq(conn)?, crate::models::webhook::lag(conn)?))
    })
    .await?;
    metrics.feed_head.set(head);
    metrics.webhook_lag.set(lag);
    metrics
        .streams_open
        .set(i64::try_from(slots.open()).unwrap_or(i64::MAX));
    let mut body = Vec::new();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut body)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body))
}
