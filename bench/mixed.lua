-- A mixed load: 95 % GET one programme with Zipf ids (bench/zipf.lua), 5 % PATCH with If-Match
-- of a budget, each wrk thread on its own 2,000 programmes (as patch.lua), cycling through them.
-- run.sh reads the response cache's hit ratio from /metrics before and after.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
dofile(os.getenv("BENCH_DIR") .. "/zipf.lua")
local key = os.getenv("BENCH_KEY")
local per_thread = tonumber(os.getenv("BENCH_PATCH_RECORDS") or "2000")
local counter = 0
function setup(thread)
  thread:set("first", counter * per_thread)
  counter = counter + 1
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
    local body = string.format('{"budget": {"amount": %d, "currency": "USD"}}', 5000 + i)
    return wrk.format("PATCH", string.format("/v1/programmes/gen-%07d", id), {
      ["Authorization"] = "Bearer " .. key,
      ["Content-Type"] = "application/merge-patch+json",
      ["If-Match"] = etags[id],
    }, body)
  end
  return wrk.format("GET", string.format("/v1/programmes/gen-%07d", zipf_id()))
end
response = function(status, headers, body)
  local id = body:match('"id":"gen%-(%d+)"')
  local etag = headers["etag"] or headers["ETag"]
  if id and etag then
    id = tonumber(id)
    if etags[id] then etags[id] = etag end
  end
end
