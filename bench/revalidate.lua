-- 304 revalidation, as a mirror or a browser cache checks what it holds: GET one programme with
-- If-None-Match of its current ETag (read by run.sh just before the run, one GET each), over
-- the 4,000 programmes of BENCH_ETAGS in random order. Every answer should be a 304 with no
-- body (nothing writes during the run); run.sh checks the ETags it read with curl first.
-- The file is read when the script loads: wrk also calls request() once to check it, before
-- any thread's init.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local etags, ids = {}, {}
for line in io.lines(os.getenv("BENCH_ETAGS")) do
  local id, etag = line:match("(gen%-%d+) (.+)")
  if id then
    etags[id] = etag
    ids[#ids + 1] = id
  end
end
function init(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
end
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v1/programmes/" .. id, {["If-None-Match"] = etags[id]})
end
