#!/usr/bin/env bash
# Issue 11's targeting figure (bench/README.md): the daily sweep choosing clients by the
# churn model (RKD_TARGETING=churn, both: each page's predictions read; "churn+cap": with
# a daily cap set, the chosen ranked by value at stake) against the engagement score
# alone (score), on the clients of a
# synthetic N-order history (bench/gen_model_orders.py: BG/NBD's process, so the model
# fits; the seed's demo clients do not identify it) with a model fit stored. `rekindle sweep` runs in its own process, nothing consumes the
# queue; each targeting is timed three times, interleaved, after one sweep that settles
# the scores. Prints each sweep's wall time, its own `seconds`, and what it published.
#
#   bench/targeting_bench.sh [--orders N]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${REKINDLE_BIN:-$ROOT/build/rekindle}
ORDERS=1000000
while (($#)); do
  case $1 in
    --orders) ORDERS=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
WORK=$(mktemp -d /tmp/rkd-targeting-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data"
export RKD_DATABASE_URL=sqlite:$WORK/data/rekindle.db
export RKD_LOG_LEVEL=warn

timed() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" "$@" 2>"$WORK/err" >"$WORK/out" || { cat "$WORK/err" >&2; exit 1; }
  read -r secs kb <"$WORK/time"
}

echo "store: SQLite; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg); $ORDERS orders"
python3 "$HERE/gen_model_orders.py" --orders "$ORDERS" >"$WORK/orders.csv"
"$BIN" migrate >/dev/null 2>&1
timed import orders "$WORK/orders.csv" --map 'externalId=Order Number,clientExternalId=Customer ID,totalValue=Total'
echo "import: ${secs} s: $(head -1 "$WORK/out")"
timed model fit
python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); print("model fit:", f["clients"], "clients,", f["predictions"], "predictions")' "$WORK/out"
echo "  ${secs} s wall, $((kb / 1024)) MB peak"
RKD_TARGETING=score timed sweep  # settles the scores time has moved
for round in 1 2 3; do
  for targeting in score churn both churn+cap; do
    # The daily cap is a shop setting (PUT /api/settings): written straight into the store here.
    if [[ $targeting == churn+cap ]]; then cap="'500'"; else cap=NULL; fi
    python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(\"DELETE FROM settings WHERE key='dailyCap'\"); db.execute(\"INSERT INTO settings SELECT 'dailyCap', $cap, 0, 'bench' WHERE $cap IS NOT NULL\"); db.commit()" "$WORK/data/rekindle.db"
    RKD_TARGETING=${targeting%+cap} RKD_CHURN_THRESHOLD=0.7 timed sweep
    python3 - "$WORK/out" "$targeting" "$round" "$secs" "$kb" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:>9} round {sys.argv[3]}: {float(sys.argv[4]):5.2f} s wall, sweep {r['seconds']:.2f} s, "
      f"scored {r['scored']}, published {r['published']}, {int(sys.argv[5]) // 1024} MB peak")
PY
  done
done
