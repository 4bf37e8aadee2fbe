//! Logging with `tracing`: human-readable or JSON lines on standard error.
//!
//! Lines about client errors are bounded: the request lines of 4xx answers and the HTTP
//! parser's complaints about malformed requests (which it logs as errors, one per request)
//! share a budget of [`CLIENT_ERROR_LINES_PER_SECOND`]; past it they are dropped for the rest
//! of the second, so a client sending garbage cannot fill the disk or bury real errors.
//! Metrics still count every request.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, filter};

use crate::config::{LogFormat, Settings};

/// How many client-error lines one process writes per second at most.
pub const CLIENT_ERROR_LINES_PER_SECOND: u32 = 20;

static WINDOW: AtomicU64 = AtomicU64::new(0);
static SPENT: AtomicU32 = AtomicU32::new(0);

/// Whether one more client-error line may be written this second (and spends it).
pub fn client_error_line() -> bool {
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if WINDOW.swap(second, Ordering::Relaxed) != second {
        SPENT.store(0, Ordering::Relaxed);
    }
    SPENT.fetch_add(1, Ordering::Relaxed) < CLIENT_ERROR_LINES_PER_SECOND
}

/// The HTTP parser's lines are about what clients sent: they spend the client-error budget.
fn within_budget(meta: &tracing::Metadata<'_>) -> bool {
    !(meta.is_event()
        && *meta.level() <= tracing::Level::WARN
        && meta.target().starts_with("actix_http::h1"))
        || client_error_line()
}

/// Installs the global subscriber once; later calls (tests) do nothing.
pub fn init(settings: &Settings) {
    let env = EnvFilter::try_new(&settings.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let budget = filter::dynamic_filter_fn(|meta, _| within_budget(meta));
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let layer = match settings.log_format {
        LogFormat::Json => fmt.json().boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(budget).with_filter(env))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_error_lines_are_bounded_per_second() {
        let written = (0..1000).filter(|_| client_error_line()).count();
        // The loop may straddle a second boundary: two budgets at most.
        assert!(written >= 1, "some lines are written");
        assert!(
            written <= 2 * CLIENT_ERROR_LINES_PER_SECOND as usize,
            "{written} lines"
        );
    }
}
