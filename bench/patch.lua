-- PATCH with If-Match: each wrk thread owns its own programmes (a range of ids), cycles through
-- them, and sends each record's latest ETag: read by a GET before the run, then taken from the
-- previous response for that record. A stale ETag would answer 412 and count as an error.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
-- Amounts no earlier run wrote: a PATCH that changes nothing is answered 200 without a write
-- (no new version, no change in the feed), so amounts repeated from an earlier run on the same
-- dataset measured no-op PATCHes and a cache that no write disturbed.
local run_base = (os.time() % 100000) * 100000
local key = os.getenv("BENCH_KEY")
local per_thread = tonumber(os.getenv("BENCH_PATCH_RECORDS") or "2000")
local threads = {}
local counter = 0
function setup(thread)
  thread:set("first", tonumber(os.getenv("BENCH_PATCH_FIRST") or "0") + counter * per_thread)
  counter = counter + 1
end
local etags = {}
local i = 0
function init(args)
  -- The records' current ETags, read by run.sh just before the run (one GET each).
  for line in io.lines(os.getenv("BENCH_ETAGS")) do
    local id, etag = line:match("gen%-(%d+) (.+)")
    if id then etags[tonumber(id)] = etag end
  end
end
request = function()
  local id = first + (i % per_thread)
  i = i + 1
  local body = string.format('{"budget": {"amount": %d, "currency": "USD"}}', run_base + i)
  return wrk.format("PATCH", string.format("/v1/programmes/gen-%07d", id), {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/merge-patch+json",
    ["If-Match"] = etags[id],
  }, body)
end
response = function(status, headers, body)
  local id = body:match('"id":"gen%-(%d+)"')
  local etag = headers["etag"] or headers["ETag"]
  if id and etag then etags[tonumber(id)] = etag end
end
