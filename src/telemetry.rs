//! Logging with `tracing`: human-readable or JSON lines on standard error.
//!
//! Lines about client errors are bounded: the request lines of 4xx answers and the HTTP
//! parser's complaints about malformed requests (which it logs as errors, one per request)
//! share a budget of [`CLIENT_ERROR_LINES_PER_SECOND`]; past it they are dropped for the rest
//! of the second, so a client sending garbage cannot fill the disk or bury real errors.
//! Metrics still count every request.
//!
//! Lines are formatted on the thread that logs them and written to standard error by one
//! background thread, in batches (a buffered writer flushed whenever the queue runs dry), so a
//! request never waits on a `write` system call: at the default `info` level the request lines
//! cost about a third of the throughput of `/health/live` when written in place
//! (bench/RESULTS.md). The queue holds [`QUEUED_LINES`] lines; when whatever reads standard
//! error stalls and the queue is full, new lines are dropped rather than stalling requests, and
//! counted ([`dropped_lines`], served as `iom_lrg_log_lines_dropped_total` at `/metrics`).
//! The queue is written out when [`LogGuard`] is dropped, at the end of `main`.

use std::io::{BufWriter, IsTerminal};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use tracing_appender::non_blocking::{ErrorCounter, NonBlockingBuilder, WorkerGuard};

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, filter};

use crate::config::{LogFormat, Settings};

/// How many client-error lines one process writes per second at most.
pub const CLIENT_ERROR_LINES_PER_SECOND: u32 = 20;

/// How many formatted lines wait for the writer thread at most (a few megabytes).
pub const QUEUED_LINES: usize = 16_384;

static DROPPED: OnceLock<ErrorCounter> = OnceLock::new();

/// Lines dropped since start because the queue to standard error was full.
pub fn dropped_lines() -> u64 {
    DROPPED
        .get()
        .map_or(0, |counter| counter.dropped_lines() as u64)
}

/// Keeps the log writer thread; dropping it writes out the lines still queued.
#[must_use = "dropping the guard stops the log writer"]
pub struct LogGuard {
    _writer: Option<WorkerGuard>,
}

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

/// Installs the global subscriber and starts its writer thread; hold the guard until exit.
/// Later calls install nothing and start no thread.
pub fn init(settings: &Settings) -> LogGuard {
    if DROPPED.get().is_some() {
        return LogGuard { _writer: None };
    }
    let env = EnvFilter::try_new(&settings.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let budget = filter::dynamic_filter_fn(|meta, _| within_budget(meta));
    let (writer, guard) = NonBlockingBuilder::default()
        .buffered_lines_limit(QUEUED_LINES)
        .lossy(true)
        .thread_name("log-writer")
        .finish(BufWriter::new(std::io::stderr()));
    let _ = DROPPED.set(writer.error_counter());
    // Colours only for a person at a terminal: a file, a pipe or a log shipper gets plain
    // text (escape codes there are noise, and cost a tenth of a request line's formatting).
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(ansi)
        .with_writer(writer);
    let layer = match settings.log_format {
        LogFormat::Json => fmt.json().boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(budget).with_filter(env))
        .try_init();
    LogGuard {
        _writer: Some(guard),
    }
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
