-- wrk script for bench/update-check: every request is POST /api/v1/updates/plan with the next
-- user's token and body from the data file (one "token<TAB>json body" per line), so the
-- server sees many distinct users; each thread starts at a different offset of the list, shifted
-- by the optional third argument (so that consecutive runs continue where the last one ended).
-- The bare baseline gets the same requests (it ignores the token).
local requests = {}
local total = 0
local counter = 0
local threadCount = 0

function setup(thread)
  thread:set("threadIndex", threadCount)
  threadCount = threadCount + 1
end

function init(args)
  local file = args[1]
  local threads = tonumber(args[2] or "1")
  for line in io.lines(file) do
    local token, body = line:match("^([^\t]+)\t(.*)$")
    if token then
      total = total + 1
      requests[total] = wrk.format("POST", "/api/v1/updates/plan", {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
      }, body)
    end
  end
  local shift = math.floor(tonumber(args[3] or "0") / threads)
  counter = (math.floor((threadIndex or 0) * total / threads) + shift) % total
end

function request()
  counter = counter % total + 1
  return requests[counter]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
