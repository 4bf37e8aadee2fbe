-- Zipf-distributed ranks (s = 1) over BENCH_PROGRAMMES programmes, shared by get_zipf.lua and
-- mixed.lua: a few programmes get most of the traffic, as partner portals' links do. Ranks are
-- mapped to ids by a fixed permutation so that popular ids are spread over the table.
local n = tonumber(os.getenv("BENCH_PROGRAMMES"))
local cdf, total = {}, 0
for k = 1, n do total = total + 1 / k; cdf[k] = total end
for k = 1, n do cdf[k] = cdf[k] / total end
function zipf_id()
  local u, lo, hi = math.random(), 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return ((lo - 1) * 7919) % n
end
