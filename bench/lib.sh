# Shared by the bench scripts (sourced, not run).

# await_ready PID PORT: waits up to 120 s for the Vask process PID to answer readiness on PORT.
# Returns 1 when it exits or does not become ready in time; the caller says which log to read.
await_ready() {
  for _ in $(seq 1 600); do
    kill -0 "$1" 2>/dev/null || return 1
    if curl -sf "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}
