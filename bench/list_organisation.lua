-- A filtered list: the programmes of a random one of the 2,000 generated local governments
-- (about 50 each at 100,000 programmes), 15 to 25 per page: almost every request a cache miss.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
request = function()
  return wrk.format("GET", string.format("/v1/programmes?organisation=gen-org-%06d&limit=%d",
    math.random(0, 1999), math.random(15, 25)))
end
