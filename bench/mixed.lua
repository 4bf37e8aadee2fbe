-- A mixed load: 95 % reads, 5 % PATCH with If-Match of a budget, each wrk thread on its own
-- 2,000 programmes (as patch.lua), cycling through them. The reads, by BENCH_MIXED_READS:
--   records (the default): GET one programme with Zipf ids (bench/zipf.lua);
--   lists: the pages a city portal shows, half programmes by country (38 pages), half the
--     pages of other collections (organisations by country, events, forums, frameworks, funds,
--     engagement areas, recommendations, contacts: 45 pages).
-- run.sh reads the response cache's hit ratio from /metrics before and after.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
-- Amounts no earlier run wrote: a PATCH that changes nothing is answered 200 without a write
-- (no new version, no change in the feed), so amounts repeated from an earlier run on the same
-- dataset measured no-op PATCHes and a cache that no write disturbed.
local run_base = (os.time() % 100000) * 100000
dofile(os.getenv("BENCH_DIR") .. "/zipf.lua")
local key = os.getenv("BENCH_KEY")
local per_thread = tonumber(os.getenv("BENCH_PATCH_RECORDS") or "2000")
local counter = 0
function setup(thread)
  thread:set("first", counter * per_thread)
  counter = counter + 1
end
local countries = {"CL", "MX", "CO", "PE", "EC", "BR", "AR", "GT", "CA", "SN", "CI", "NE", "ML",
  "MA", "TN", "KE", "UG", "ET", "ZA", "GH", "JO", "LB", "TR", "GR", "IT", "ES", "FR", "BE", "CH",
  "BD", "PH", "ID", "NP", "PK", "LK", "FJ", "PG", "IQ"}
local others = {"/v1/events?limit=20", "/v1/forums", "/v1/frameworks", "/v1/funds",
  "/v1/engagement-areas", "/v1/recommendations?limit=20", "/v1/contacts"}
if os.getenv("BENCH_MIXED_READS") == "lists" then
  read = function()
    local country = countries[math.random(#countries)]
    if math.random() < 0.5 then
      return "/v1/programmes?country=" .. country .. "&limit=20"
    end
    local page = math.random(#countries + #others)
    if page <= #countries then
      return "/v1/organisations?country=" .. countries[page] .. "&limit=20"
    end
    return others[page - #countries]
  end
else
  read = function()
    return string.format("/v1/programmes/gen-%07d", zipf_id())
  end
end
local etags = {}
local i = 0
function init(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6) + first)
  for line in io.lines(os.getenv("BENCH_ETAGS")) do
    local id, etag = line:match("gen%-(%d+) (.+)")
    if id then etags[tonumber(id)] = etag end
  end
end
request = function()
  if math.random() < 0.05 then
    local id = first + (i % per_thread)
    i = i + 1
    local body = string.format('{"budget": {"amount": %d, "currency": "USD"}}', run_base + i)
    return wrk.format("PATCH", string.format("/v1/programmes/gen-%07d", id), {
      ["Authorization"] = "Bearer " .. key,
      ["Content-Type"] = "application/merge-patch+json",
      ["If-Match"] = etags[id],
    }, body)
  end
  return wrk.format("GET", read())
end
response = function(status, headers, body)
  local id = body:match('"id":"gen%-(%d+)"')
  local etag = headers["etag"] or headers["ETag"]
  -- Only a record's ETag ("v{version}-..."): a list page names programmes too.
  if id and etag and etag:sub(1, 2) == '"v' then
    id = tonumber(id)
    if etags[id] then etags[id] = etag end
  end
end
