-- wrk script: sends the requests of a targets file round-robin (each thread
-- starts at a different line) and prints exact figures in one line at the end.
--   wrk -t2 -c64 -d10s -s targets.lua http://127.0.0.1:PORT -- FILE
-- FILE: one request per line, "METHOD PATH TOKEN [BODY]" (TOKEN "-" for
-- none; BODY is the rest of the line, sent as application/json). The same
-- format as tools/loadgen (parlance-loadgen --targets).
-- Output (latencies in microseconds, wrk's closed-loop measurement):
--   wrkresult requests=N duration_us=D p50_us=X p90_us=Y p99_us=Z max_us=M
--             status_errors=E connect_errors=.. read_errors=.. write_errors=.. timeouts=..

local threadCount = 0

function setup(thread)
   thread:set("id", threadCount)
   threadCount = threadCount + 1
end

local requests = {}
local nextIndex = 1

function init(args)
   local path = args[1]
   local file = assert(io.open(path, "r"), "cannot open targets file " .. tostring(path))
   for line in file:lines() do
      if line ~= "" and line:sub(1, 1) ~= "#" then
         local method, target, token, body = line:match("^(%S+)%s+(%S+)%s+(%S+)%s?(.*)$")
         assert(method, "bad targets line: " .. line)
         local headers = {}
         if token ~= "-" then
            headers["Authorization"] = "Bearer " .. token
         end
         if body == "" then
            body = nil
         else
            headers["Content-Type"] = "application/json"
         end
         requests[#requests + 1] = wrk.format(method, target, headers, body)
      end
   end
   file:close()
   assert(#requests > 0, "no requests in " .. path)
   -- Spread the threads far apart in the file (the golden ratio spaces any
   -- number of them well) so they do not hit the same rows: two posts to one
   -- conversation while its answer runs would be a 409.
   nextIndex = math.floor(((id * 0.6180339887) % 1) * #requests) + 1
end

function request()
   local r = requests[nextIndex]
   nextIndex = nextIndex % #requests + 1
   return r
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "wrkresult requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
