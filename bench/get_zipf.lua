-- GET one programme, ids drawn from a Zipf distribution (s = 1): a few programmes get most of
-- the traffic, as partner portals' links do. Ranks are mapped to ids by a fixed permutation
-- so that popular ids are spread over the table.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local n = tonumber(os.getenv("BENCH_PROGRAMMES"))
local cdf = {}
local total = 0
for k = 1, n do total = total + 1 / k; cdf[k] = total end
for k = 1, n do cdf[k] = cdf[k] / total end
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
local function rank()
  local u, lo, hi = math.random(), 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end
request = function()
  local id = ((rank() - 1) * 7919) % n
  return wrk.format("GET", string.format("/v1/programmes/gen-%07d", id))
end
