-- bench/national/ballots.lua: residents replace their ballots in the large round, for wrk
-- (bench/national/run.sh sets the environment). Each request is one resident (API tokens from the
-- file $BALLOT_TOKENS, one a line, taken in turn) approving one to three of the round's projects
-- ($BALLOT_PROJECTS, comma-separated). Every non-2xx answer is counted and the first printed.
local round = os.getenv("BALLOT_ROUND")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  bad = 0
  tokens = {}
  for line in io.lines(os.getenv("BALLOT_TOKENS")) do tokens[#tokens + 1] = line end
  projects = {}
  for p in string.gmatch(os.getenv("BALLOT_PROJECTS"), "[^,]+") do projects[#projects + 1] = p end
end

function request()
  n = n + 1
  local i = n * #threads + id  -- threads take disjoint residents
  local token = tokens[1 + i % #tokens]
  local entries = {}
  for k = 0, i % 3 do
    entries[#entries + 1] = '{"project_id":"' .. projects[1 + (i * 7 + k * 5) % #projects] .. '","points":1}'
  end
  return wrk.format("PUT", "/api/v1/rounds/" .. round .. "/ballot",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
                    '{"entries":[' .. table.concat(entries, ",") .. "]}")
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("ballots: HTTP " .. status .. ": " .. string.sub(body, 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + t:get("bad") end
  io.write(string.format("BALLOTS requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, total_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
