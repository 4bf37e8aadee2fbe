//! Rate limiting per client address, with separate budgets for reads and writes (GCRA, from the
//! `governor` crate). A request spends what it costs ([`cost`]): a plain read or write one
//! unit, a page that embeds other records or every language more. `/health/live` and
//! `/metrics` are exempt (a load balancer's probes share one address); `/health/ready`, a
//! database round trip, is not. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining`
//! and `RateLimit-Reset`; a refused request gets a 429 problem with `Retry-After`.

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

/// The address a budget belongs to: IPv4 addresses as they are, IPv6 addresses by their /64
/// (one client usually holds a whole /64 and could otherwise rotate through it).
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(segments.into())
        }
        v4 => v4,
    }
}

/// What a request spends of its budget, from what it asks for: one unit, plus 4 per include,
/// plus 2 per facet and 1 for `count=true`, the whole times 2 with `lang=all` and times
/// `limit / 20` (rounded up) for bigger pages; a search 2, a calendar 10, an export or a CSV
/// download 50. At most the budget itself.
fn cost(req: &ServiceRequest, budget: u32) -> NonZeroU32 {
    let path = req.path();
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let values = |name: &str| -> usize {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.trim().is_empty())
            .count()
    };
    let calendar = path.ends_with(".ics")
        || req
            .headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/calendar"));
    let mut units: u64 = if path.starts_with("/v1/export")
        || path.starts_with("/v1/iati/")
        || path.ends_with(".csv")
    {
        50
    } else if calendar {
        // A calendar holds every matching event (up to 2,000), not a page.
        10
    } else if path.starts_with("/v1/search") {
        2
    } else {
        1
    };
    units += 4 * values("include") as u64 + 2 * values("facets") as u64;
    if pairs.iter().any(|(k, v)| k == "count" && v == "true") {
        units += 1;
    }
    if pairs.iter().any(|(k, v)| k == "lang" && v == "all") {
        units *= 2;
    }
    let limit = pairs
        .iter()
        .find(|(k, _)| k == "limit")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .unwrap_or(20)
        .clamp(1, 100);
    units *= limit.div_ceil(20);
    let units = u32::try_from(units)
        .unwrap_or(u32::MAX)
        .clamp(1, budget.max(1));
    NonZeroU32::new(units).unwrap_or(NonZeroU32::MIN)
}

/// The rate-limiting middleware; does nothing when no [`RateLimits`] is configured.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    // Probes and scrapers are exempt: a load balancer's health checks share one address.
    // Readiness reaches the database, so it is counted like any read.
    let exempt = req.path() == "/health/live" || req.path() == "/metrics";
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
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| client_key(a.ip()));
    let spend = cost(&req, budget.per_minute);
    let outcome = budget
        .limiter
        .check_key_n(&client, spend)
        .unwrap_or_else(|_| budget.limiter.check_key(&client));
    match outcome {
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
            // Rounded up: a client that waits exactly this long gets through.
            let wait = u64::try_from(
                not_until
                    .wait_time_from(budget.limiter.clock().now())
                    .as_millis()
                    .div_ceil(1000),
            )
            .unwrap_or(u64::MAX)
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
            set(
                headers,
                "ratelimit-reset",
                budget.reset_after(budget.per_minute),
            );
            Ok(req.into_response(response).map_into_right_body())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_share_a_budget_per_64_and_ipv4_per_address() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_key(v4), v4);
    }
}
