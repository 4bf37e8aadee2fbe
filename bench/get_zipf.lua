-- GET one programme, ids drawn from a Zipf distribution (s = 1, bench/zipf.lua).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
dofile(os.getenv("BENCH_DIR") .. "/zipf.lua")
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
request = function()
  return wrk.format("GET", string.format("/v1/programmes/gen-%07d", zipf_id()))
end
