-- wrk script for GET requests: prints one machine-readable line with the throughput, the
-- median and 99th-percentile latency, and the error counts, which bench/run.py reads.
-- No request() or response() function: wrk then sends a prebuilt request at full speed.

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d " ..
    "socket_errors=%d status_errors=%d timeouts=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write, errors.status, errors.timeout))
end
