-- Searches a partner portal makes: a city, a theme, or both, in English, French or Spanish
-- (120 distinct queries, drawn at random).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local cities = {"dakar", "lima", "quito", "nairobi", "amman", "beirut", "manila", "tunis",
  "accra", "bamako", "athens", "milan", "colombo", "suva", "erbil", "kampala", "lyon", "geneva",
  "dhaka", "karachi"}
local themes = {"decent%20work", "%22social%20cohesion%22", "migr*", "housing", "climate%20resilience",
  "diaspora"}
local langs = {"en", "fr", "es"}
math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
request = function()
  local q
  local r = math.random(3)
  if r == 1 then q = cities[math.random(#cities)]
  elseif r == 2 then q = cities[math.random(#cities)] .. "%20" .. themes[math.random(#themes)]
  else q = themes[math.random(#themes)] end
  return wrk.format("GET", "/v1/search?q=" .. q .. "&lang=en&limit=20")
end
