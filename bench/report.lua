-- Shared by every scenario: prints one machine-readable line at the end of a run.
-- wrk exits 0 even when responses are errors, so the line carries the count of non-2xx/3xx
-- responses and socket errors, and run.sh fails on any.
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
