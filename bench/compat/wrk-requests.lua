-- wrk script for bench/compat: each line of the data file is "METHOD<TAB>PATH<TAB>AUTHORIZATION<TAB>BODY"
-- (AUTHORIZATION and BODY may be "-"); every thread walks the list from its own offset.
local requests = {}
local total = 0
local counter = 0
local threadCount = 0

function setup(thread)
  thread:set("threadIndex", threadCount)
  threadCount = threadCount + 1
end

function init(args)
  local threads = tonumber(args[2] or "1")
  for line in io.lines(args[1]) do
    local method, path, auth, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
    if method then
      local headers = {}
      if auth ~= "-" then headers["Authorization"] = auth end
      if body ~= "-" then headers["Content-Type"] = "application/json" else body = nil end
      total = total + 1
      requests[total] = wrk.format(method, path, headers, body)
    end
  end
  counter = math.floor((threadIndex or 0) * total / threads) % total
end

function request()
  counter = counter % total + 1
  return requests[counter]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
