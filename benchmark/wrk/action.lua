-- One scenario's requests, for wrk: `wrk -s action.lua URL -- PATH KIND TOKEN LO HI NONCE STATUS EMAIL PASSWORD`.
-- KIND is get | list | update | transfer | signin; ids cycle over LO..HI, a different start per
-- thread; every response whose status is not STATUS is counted, and `done` prints one JSON line.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  path, kind, token = args[1], args[2], args[3]
  lo, hi = tonumber(args[4]), tonumber(args[5])
  nonce, expected = args[6], tonumber(args[7])
  email, password = args[8], args[9]
  n = tid * 7919
  bad, last_bad = 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if token ~= "-" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

local function pick()
  n = n + 1
  return lo + (n % (hi - lo + 1))
end

function request()
  if kind == "get" then
    return wrk.format(nil, path, nil, string.format('{"id":%d}', pick()))
  elseif kind == "list" then
    return wrk.format(nil, path, nil, '{"limit":20}')
  elseif kind == "update" then
    local id = pick()
    return wrk.format(nil, path, nil, string.format('{"id":%d,"title":"Post %d, edit %d"}', id, id, n))
  elseif kind == "transfer" then
    -- Accounts come in pairs (lo, lo + 1), (lo + 2, lo + 3), …; money goes back and forth.
    local a = pick()
    local pair = a - ((a - lo) % 2)
    local from, to = pair, pair + 1
    if n % 4 >= 2 then from, to = to, from end
    -- wrk.format takes these headers instead of wrk.headers, not beside them.
    local headers = { ["Idempotency-Key"] = string.format("%s-%d-%d", nonce, tid, n) }
    for name, value in pairs(wrk.headers) do headers[name] = value end
    return wrk.format(nil, path, headers, string.format('{"from":%d,"to":%d,"amount":1}', from, to))
  else
    return wrk.format(nil, path, nil, string.format('{"email":"%s","password":"%s"}', email, password))
  end
end

function response(status, headers, body)
  if status ~= expected then
    bad = bad + 1
    last_bad = status
  end
end

function done(summary, latency, requests)
  local bad_total, seen = 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if thread:get("last_bad") ~= 0 then seen = thread:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"timeouts":%d,"unexpected":%d,"unexpected_status":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write, e.timeout, bad_total, seen,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
