-- Random filtered lists as city portals and dashboards ask them: a country (one of the 38 of
-- the generated data), a country and a status, or the fund and a country, 15 to 25 per page.
-- (38 + 152 + 38) filters x 11 page sizes: about 2,500 distinct URLs, so the response cache
-- answers part of them once warm; run.sh reports this run's hit ratio beside it, and runs it
-- again with the cache off.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
local countries = {"CL", "MX", "CO", "PE", "EC", "BR", "AR", "GT", "CA", "SN", "CI", "NE", "ML",
  "MA", "TN", "KE", "UG", "ET", "ZA", "GH", "JO", "LB", "TR", "GR", "IT", "ES", "FR", "BE", "CH",
  "BD", "PH", "ID", "NP", "PK", "LK", "FJ", "PG", "IQ"}
local statuses = {"pipeline", "implementation", "finalisation", "closed"}
request = function()
  local country = countries[math.random(#countries)]
  local kind = math.random(3)
  local filter
  if kind == 1 then
    filter = "country=" .. country
  elseif kind == 2 then
    filter = "country=" .. country .. "&status=" .. statuses[math.random(#statuses)]
  else
    filter = "fund=mmptf&country=" .. country
  end
  return wrk.format("GET", string.format("/v1/programmes?%s&limit=%d", filter, math.random(15, 25)))
end
