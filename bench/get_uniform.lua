-- GET one programme, ids drawn uniformly from the generated ones (gen-0000000 ...).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local n = tonumber(os.getenv("BENCH_PROGRAMMES"))
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
request = function()
  return wrk.format("GET", string.format("/v1/programmes/gen-%07d", math.random(0, n - 1)))
end
