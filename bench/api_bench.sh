#!/usr/bin/env bash
# API benchmark (issue 2): loads BENCH_USERS users (default 100,000), then drives
# GET /api/users/:id (random ids), GET /api/users?limit=50 and POST /api/orders with wrk
# at 64 connections from the same machine. Prints requests/s and p50/p99 latency.
# Usage: bench/api_bench.sh   (after a build; env: BENCH_USERS, BENCH_SECONDS, BUILD)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BUILD:-build}/rekindle
USERS=${BENCH_USERS:-100000}
SECS=${BENCH_SECONDS:-15}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
DIR=$(mktemp -d /tmp/rkd-bench-XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; wait 2>/dev/null; rm -rf "$DIR"' EXIT
# RKD_DATABASE_URL may name an empty PostgreSQL database instead of the default temp SQLite file.
export RKD_DATABASE_URL="${RKD_DATABASE_URL:-sqlite:$DIR/rekindle.db}" BENCH_USERS=$USERS

start=$(date +%s%N)
$BIN seed --users "$USERS" >/dev/null
# The seed's INSERT events would keep the pipeline busy for a while: start it idle.
$BIN stream --skip-to-end >/dev/null
echo "seed: $USERS users in $(( ($(date +%s%N) - start) / 1000000 )) ms"

RKD_HTTP_ADDR=127.0.0.1:18181 $BIN serve >"$DIR/serve.log" &
SERVER=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18181/health >/dev/null && break; sleep 0.1; done

run() {  # name, then wrk arguments
  local name=$1; shift
  local out
  out=$(wrk -t"$WRK_THREADS" -c"$CONNS" -d"${SECS}s" --latency "$@")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-28s %10s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "${errors:+non-2xx: $errors}"
}
echo "wrk: $WRK_THREADS threads, $CONNS connections, ${SECS}s each; server threads: ${RKD_HTTP_THREADS:-8 (default)}; the pipeline runs beside the API (orders trigger events)"
run "GET /api/users/:id" -s bench/get_user.lua http://127.0.0.1:18181
run "GET /api/users?limit=50" "http://127.0.0.1:18181/api/users?limit=50"
run "POST /api/orders" -s bench/post_order.lua http://127.0.0.1:18181/api/orders
