-- wrk (LuaJIT, Lua 5.1) script of load_passes.py: checkpoint verifications, POST /api/passes/verify.
--
-- Each request verifies the next pass text of LOAD_TEXTS (a file, one text a line: signed passes
-- of the demo, most valid, some revoked), as a guard's checkpoint page does: JSON body
-- {"text", "direction", "checkpoint"}, Origin and Referer of the site and X-Forwarded-Proto: https
-- as the TLS proxy passes them, and either the checkpoint token the page gets with its session
-- (LOAD_TOKEN: Authorization: Bearer, no cookies) or the session and CSRF cookies of a guard who
-- signed in through the login page (LOAD_COOKIE) with the CSRF token in X-CSRFToken. Nothing of
-- CSRF or the session is bypassed. LOAD_PATH/LOAD_METHOD change the request (the signed-in
-- baseline: GET /api/me).
-- done() prints statuses, the verdicts counted from the bodies and latency percentiles as
-- "key value" lines for the runner.

local path = os.getenv("LOAD_PATH")
local method = os.getenv("LOAD_METHOD")
local cookie = os.getenv("LOAD_COOKIE")
local csrf = os.getenv("LOAD_CSRF")
local host = os.getenv("LOAD_HOST")
local direction = os.getenv("LOAD_DIRECTION") or ""
local texts_file = os.getenv("LOAD_TEXTS")
local token = os.getenv("LOAD_TOKEN") or ""

local threads = {}
local next_thread = 0

function setup(thread)
   thread:set("thread_number", next_thread)
   next_thread = next_thread + 1
   table.insert(threads, thread)
end

statuses = {}  -- globals: done() reads them from each thread
verdicts = {}
local texts = {}
local position = 0

function init(args)
   for line in io.lines(texts_file) do
      if #line > 0 then
         table.insert(texts, line)
      end
   end
   -- Threads start at different places in the list.
   position = (thread_number * 997) % #texts
   if token ~= "" then
      wrk.headers["Authorization"] = "Bearer " .. token
   else
      wrk.headers["Cookie"] = cookie
      wrk.headers["X-CSRFToken"] = csrf
   end
   wrk.headers["Host"] = host
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Origin"] = "https://" .. host
   wrk.headers["Referer"] = "https://" .. host .. "/passes/checkpoint/"
   wrk.headers["Accept"] = "application/json"
   -- wrk.format() replaces wrk.headers by a table it is given: set every header here.
   if method ~= "GET" then
      wrk.headers["Content-Type"] = "application/json"
   end
end

function request()
   if method == "GET" then
      return wrk.format("GET", path)
   end
   position = position % #texts + 1
   local body = '{"text": "' .. texts[position] .. '", "direction": "' .. direction .. '", "checkpoint": "load"}'
   return wrk.format("POST", path, nil, body)
end

function response(status, headers, body)
   if status ~= 200 and not statuses[status] and os.getenv("LOAD_DEBUG") then
      io.stderr:write(string.format("status %d: %s\n", status, string.sub(body or "", 1, 300)))
   end
   statuses[status] = (statuses[status] or 0) + 1
   local verdict = string.match(body, '"result":%s*"([%w_]+)"')
   if verdict then
      verdicts[verdict] = (verdicts[verdict] or 0) + 1
   end
end

function done(summary, latency, requests)
   local merged_statuses, merged_verdicts = {}, {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         merged_statuses[status] = (merged_statuses[status] or 0) + count
      end
      for verdict, count in pairs(thread:get("verdicts")) do
         merged_verdicts[verdict] = (merged_verdicts[verdict] or 0) + count
      end
   end
   for status, count in pairs(merged_statuses) do
      io.write(string.format("status %d %d\n", status, count))
   end
   for verdict, count in pairs(merged_verdicts) do
      io.write(string.format("verdict %s %d\n", verdict, count))
   end
   io.write(string.format("requests %d\n", summary.requests))
   io.write(string.format("seconds %.3f\n", summary.duration / 1e6))
   io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status))
   for _, p in ipairs({ 50, 90, 99, 99.9 }) do
      io.write(string.format("p%s %.2f\n", p, latency:percentile(p) / 1000))
   end
end
