-- wrk (LuaJIT, Lua 5.1) script of load_staff.py: one staff page, GET by a signed-in user.
--
-- LOAD_PATH is the page; LOAD_COOKIE the session and CSRF cookies of a user who signed in (and
-- passed the second factor) through the login pages beforehand. Requests carry
-- X-Forwarded-Proto: https, as the TLS proxy passes them (the server runs with BEHIND_TLS_PROXY).
-- done() prints the statuses and the latency percentiles as "key value" lines for the runner.

local path = os.getenv("LOAD_PATH")
local cookie = os.getenv("LOAD_COOKIE")
local host = os.getenv("LOAD_HOST")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

statuses = {}  -- global: done() reads it from each thread

function init(args)
   wrk.headers["Cookie"] = cookie
   wrk.headers["Host"] = host
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Accept"] = "text/html"
end

function request()
   return wrk.format("GET", path)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, count in pairs(counts) do
         merged[status] = (merged[status] or 0) + count
      end
   end
   for status, count in pairs(merged) do
      io.write(string.format("status %d %d\n", status, count))
   end
   io.write(string.format("requests %d\n", summary.requests))
   io.write(string.format("seconds %.3f\n", summary.duration / 1e6))
   io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
   for _, p in ipairs({ 50, 90, 95, 99 }) do
      io.write(string.format("p%d %.1f\n", p, latency:percentile(p) / 1000))
   end
end
