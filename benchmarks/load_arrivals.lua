-- wrk (LuaJIT, Lua 5.1) script of load_arrivals.py: every request is a new person registering on the public form.
--
-- Each request POSTs the form as a browser sends it (application/x-www-form-urlencoded) with the
-- CSRF cookie and hidden token of one form page fetched beforehand (LOAD_BODY, LOAD_COOKIE, from
-- the runner), a single-use human-check stamp of its own (a line of LOAD_TOKENS), plus a person of its own: a distinct resident ID
-- number (110101 + a birth date + a sequence number + the GB 11643 check character) and mobile
-- number, and a distinct client address in X-Forwarded-For (the TLS proxy's header, trusted with
-- BEHIND_TLS_PROXY=true), so the per-client rate limit (20/min) counts each person on their own.
-- The addresses are strings in 100.64.0.0/10 (carrier-grade NAT, as phones appear): no traffic
-- goes anywhere but the server on loopback.

local body = os.getenv("LOAD_BODY")
local token_file = os.getenv("LOAD_TOKENS")
local cookie = os.getenv("LOAD_COOKIE")
local origin = os.getenv("LOAD_ORIGIN")
local path = "/arrivals/register/"

local WEIGHTS = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }
local CHECK = "10X98765432"
local BORN = os.time({ year = 1971, month = 1, day = 1, hour = 12 })

local threads = {}
local next_thread = 0

function setup(thread)
   thread:set("thread_number", next_thread)
   thread:set("thread_count", 0)
   next_thread = next_thread + 1
   table.insert(threads, thread)
   for _, each in ipairs(threads) do
      each:set("thread_count", next_thread)
   end
end

-- The human-check stamps: each is accepted once, so thread t takes lines t+1, t+1+T, t+1+2T, ...
local tokens = {}

function init(args)
   local i = 0
   for line in io.lines(token_file) do
      if i % thread_count == thread_number then
         table.insert(tokens, line)
      end
      i = i + 1
   end
end

counter = 0
statuses = {}  -- global: done() reads it from each thread

local function check_character(first17)
   local total = 0
   for i = 1, 17 do
      total = total + tonumber(first17:sub(i, i)) * WEIGHTS[i]
   end
   local r = total % 11
   return CHECK:sub(r + 1, r + 1)
end

function request()
   counter = counter + 1
   -- 1,000,000 people per thread, 1,000 per birth date; each run has its own arrival date (in the
   -- body), so the same people arriving again on another day are new registrations.
   local n = thread_number * 1000000 + counter
   local first17 = "110101" .. os.date("!%Y%m%d", BORN + math.floor(n / 1000) * 86400) .. string.format("%03d", n % 1000)
   local id_number = first17 .. check_character(first17)
   local phone = string.format("139%08d", n % 100000000)
   local address = string.format("100.%d.%d.%d", 64 + math.floor(n / 65536) % 64, math.floor(n / 256) % 256, n % 256)
   local headers = {
      ["Host"] = origin:gsub("^https://", ""),
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie,
      ["Origin"] = origin,
      ["X-Forwarded-Proto"] = "https",
      ["X-Forwarded-For"] = address,
   }
   local stamp = tokens[counter] or ""
   return wrk.format("POST", path, headers, body .. "&hp_started=" .. stamp .. "&id_number=" .. id_number .. "&phone=" .. phone)
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
      io.write(string.format("status %d: %d\n", status, count))
   end
   for _, p in ipairs({ 50, 75, 90, 99, 99.9 }) do
      io.write(string.format("latency p%s: %.1f ms\n", p, latency:percentile(p) / 1000))
   end
end
