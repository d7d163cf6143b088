-- bench/http/load.lua: a mixed read/write load for wrk (bench/http/load.sh sets the environment).
-- 70% reads: the cached challenge list, actor pages rotating over every actor, a challenge page,
-- a page of the actor directory with a search; 30% writes: a resident's ballot (replaced each time),
-- a comment on a proposal, a new tie between two actors (a pair not used before). Writes use API
-- tokens (Bearer), so no CSRF token is needed. Every non-2xx answer is counted and printed.
local actors_first = tonumber(os.getenv("LOAD_ACTOR_FIRST"))
local actors_count = tonumber(os.getenv("LOAD_ACTOR_COUNT"))

-- WIDE=1 (bench/national): match and fabric reads over every challenge and municipality.
local challenge_first = tonumber(os.getenv("LOAD_CHALLENGE_FIRST") or "")
local challenge_count = tonumber(os.getenv("LOAD_CHALLENGE_COUNT") or "")
local muni_first = tonumber(os.getenv("LOAD_MUNI_FIRST") or "")
local muni_count = tonumber(os.getenv("LOAD_MUNI_COUNT") or "")
local wide = challenge_count ~= nil and muni_count ~= nil

local challenge = os.getenv("LOAD_CHALLENGE")
local round = os.getenv("LOAD_ROUND")
local proposal = os.getenv("LOAD_PROPOSAL")
local officer = os.getenv("LOAD_OFFICER_TOKEN")
local admin = os.getenv("LOAD_ADMIN_TOKEN")
local member = os.getenv("LOAD_MEMBER_TOKEN")
local resident = os.getenv("LOAD_RESIDENT_TOKEN")
local run = os.getenv("LOAD_RUN") or "0"

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  bad = 0
  statuses = {}
  math.randomseed(1000 + id)
end

local function json(method, path, token, body)
  return wrk.format(method, path, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function request()
  n = n + 1
  local k = n % 10
  if wide and n % 20 == 0 then
    -- Two reads in twenty become engine reads (still 70% reads): one of matches, one of a fabric.
    return wrk.format("GET", "/api/v1/challenges/" .. (challenge_first + (n * 13 + id) % challenge_count) .. "/matches?limit=10")
  elseif wide and n % 20 == 1 then
    return wrk.format("GET", "/api/v1/municipalities/" .. (muni_first + (n * 17 + id) % muni_count) .. "/fabric/map")
  elseif k < 3 then
    return wrk.format("GET", "/api/v1/challenges?limit=50")
  elseif k < 5 then
    return wrk.format("GET", "/api/v1/actors/" .. (actors_first + (n * 7 + id) % actors_count))
  elseif k == 5 then
    return wrk.format("GET", "/api/v1/challenges/" .. challenge)
  elseif k == 6 then
    return wrk.format("GET", "/api/v1/actors?limit=20&q=" .. string.char(97 + n % 26))
  elseif k == 7 then
    local p = "p" .. (1 + n % 3)
    return json("PUT", "/api/v1/rounds/" .. round .. "/ballot", resident,
                '{"entries":[{"project_id":"' .. p .. '","points":1}]}')
  elseif k == 8 then
    return json("POST", "/api/v1/proposals/" .. proposal .. "/comments", member,
                '{"text":"load ' .. run .. "-" .. id .. "-" .. n .. '"}')
  else
    -- A fresh unordered pair per request: (a, a + d) with 1 <= d <= (N-1)/2 never repeats a pair
    -- until all N*(N-1)/2 are used; threads and runs start far apart.
    local i = tonumber(run) * 1000003 + id * 100003 + n
    local half = math.floor((actors_count - 1) / 2)
    local a = i % actors_count
    local d = 1 + math.floor(i / actors_count) % half
    local b = (a + d) % actors_count
    return json("POST", "/api/v1/actors/" .. (actors_first + a) .. "/ties", admin,
                '{"b":' .. (actors_first + b) .. ',"weight":0.5,"note":"load"}')
  end
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
    if bad <= 3 then io.stderr:write("load: HTTP " .. status .. ": " .. string.sub(body, 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  local by = {}
  for _, t in ipairs(threads) do
    total_bad = total_bad + t:get("bad")
    for s, c in pairs(t:get("statuses")) do by[s] = (by[s] or 0) + c end
  end
  local parts = {}
  for s, c in pairs(by) do table.insert(parts, s .. "x" .. c) end
  io.write(string.format("LOAD requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.0f statuses=%s\n",
    summary.requests, total_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6), table.concat(parts, ",")))
end
