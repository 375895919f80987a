#!/usr/bin/env bash
# The pipeline benchmark on PostgreSQL + NATS JetStream (issue 6): throwaway servers from
# tests/, then bench/pipeline_bench.py with 1, 2 and 4 `rekindle worker` processes, each
# on a fresh schema and namespace. Usage: bench/scale_out_bench.sh   (env BENCH_USERS, RKD_WORKERS)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
run() {
  for n in ${BENCH_PROCESS_COUNTS:-1 2 4}; do
    echo "== $n worker process(es)"
    BENCH_WORKER_PROCESSES=$n python3 "$ROOT/bench/pipeline_bench.py"
  done
}
export -f run
export ROOT
"$ROOT/tests/with_postgres.sh" "$ROOT/tests/with_nats.sh" bash -c run
