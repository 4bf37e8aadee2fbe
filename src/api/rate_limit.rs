//! Rate limiting per client address, with separate budgets for reads and writes (GCRA, from the
//! `governor` crate). Health checks and `/metrics` are exempt. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and
//! `RateLimit-Reset`; a refused request gets a 429 problem with `Retry-After`.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::error::{Problem, problem_for_status, problem_response};

type Limiter =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// One budget: `per_minute` requests a minute, all of which may come at once.
struct Budget {
    limiter: Limiter,
    per_minute: u32,
}

impl Budget {
    fn new(per_minute: NonZeroU32) -> Self {
        Budget {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute))
                .with_middleware::<StateInformationMiddleware>(),
            per_minute: per_minute.get(),
        }
    }

    /// Seconds until `used` spent requests are replenished.
    fn reset_after(&self, used: u32) -> u64 {
        (u64::from(used) * 60).div_ceil(u64::from(self.per_minute))
    }
}

/// The read and write budgets of every client.
pub struct RateLimits {
    reads: Budget,
    writes: Budget,
    seen: AtomicU64,
}

impl RateLimits {
    pub fn new(reads_per_minute: NonZeroU32, writes_per_minute: NonZeroU32) -> Self {
        RateLimits {
            reads: Budget::new(reads_per_minute),
            writes: Budget::new(writes_per_minute),
            seen: AtomicU64::new(0),
        }
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: u64) {
    headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
}

/// The rate-limiting middleware; does nothing when no [`RateLimits`] is configured.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    // Probes and scrapers are exempt: a load balancer's health checks share one address.
    let exempt = req.path().starts_with("/health/") || req.path() == "/metrics";
    let limits = req
        .app_data::<web::Data<RateLimits>>()
        .cloned()
        .filter(|_| !exempt);
    let Some(limits) = limits else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    // Forget idle clients now and then, so memory follows the active ones.
    if limits.seen.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
        limits.reads.limiter.retain_recent();
        limits.writes.limiter.retain_recent();
    }
    let read = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let budget = if read { &limits.reads } else { &limits.writes };
    let client = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    match budget.limiter.check_key(&client) {
        Ok(snapshot) => {
            let remaining = snapshot.remaining_burst_capacity();
            let mut res = next.call(req).await?;
            let headers = res.headers_mut();
            set(headers, "ratelimit-limit", u64::from(budget.per_minute));
            set(headers, "ratelimit-remaining", u64::from(remaining));
            set(
                headers,
                "ratelimit-reset",
                budget.reset_after(budget.per_minute - remaining),
            );
            Ok(res.map_into_left_body())
        }
        Err(not_until) => {
            let wait = not_until
                .wait_time_from(budget.limiter.clock().now())
                .as_secs()
                .max(1);
            let kind = if read { "reads" } else { "writes" };
            let problem = Problem {
                detail: format!(
                    "too many {kind} from this client: {} a minute are allowed; retry in {wait} s",
                    budget.per_minute
                ),
                ..problem_for_status(StatusCode::TOO_MANY_REQUESTS, None)
            };
            let mut response = problem_response(&problem);
            let headers = response.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from(wait));
            set(headers, "ratelimit-limit", u64::from(budget.per_minute));
            set(headers, "ratelimit-remaining", 0);
            set(headers, "ratelimit-reset", wait);
            Ok(req.into_response(response).map_into_right_body())
        }
    }
}
