-- A filtered list with facets, as a dashboard's sidebar asks: one country and status at a time
-- (40 countries x 3 statuses), with counts of statuses, organisations and engagement areas.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local countries = {"CL", "MX", "CO", "PE", "EC", "BR", "AR", "GT", "CA", "SN", "CI", "NE", "ML",
  "MA", "TN", "KE", "UG", "ET", "ZA", "GH", "JO", "LB", "TR", "GR", "IT", "ES", "FR", "BE", "CH",
  "BD", "PH", "ID", "NP", "PK", "LK", "FJ", "PG", "IQ"}
local statuses = {"implementation", "closed", "pipeline"}
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
request = function()
  return wrk.format("GET", "/v1/programmes?country=" .. countries[math.random(#countries)]
    .. "&status=" .. statuses[math.random(#statuses)]
    .. "&facets=status,organisation,engagement_area&limit=20")
end
