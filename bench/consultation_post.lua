-- wrk script for the consultation POST. Arguments (after `--`): the file holding the urlencoded
-- form, with BENCHSEQ where the message must differ; the Cookie header (the CSRF cookie); a tag
-- that makes this run's messages differ from every other run's.
--
-- Every request gets a message of its own, so that the duplicate check ("the same request sent
-- again within ten minutes") never short-cuts it. An answer counts as a success only if it is a
-- redirect to the confirmation; anything else (the form again with errors, 403, 429, 500) is
-- counted as failed.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local template, tag
-- Globals, not locals: done() reads them from each thread with thread:get().
sent, redirected, failed = 0, 0, 0

function init(args)
  local file = assert(io.open(args[1], "r"))
  template = file:read("*a"):gsub("%s+$", "")
  file:close()
  tag = args[3] or "run"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = args[2]
end

function request()
  sent = sent + 1
  local sequence = tag .. "-" .. id .. "-" .. sent
  return wrk.format(nil, nil, nil, (template:gsub("BENCHSEQ", sequence)))
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if (status == 302 or status == 303) and location:find("confirmation/", 1, true) then
    redirected = redirected + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("redirected")
    bad = bad + thread:get("failed")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d " ..
    "socket_errors=%d status_errors=%d timeouts=%d redirected=%d failed=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write, errors.status, errors.timeout, ok, bad))
end
