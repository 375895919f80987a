#!/usr/bin/env bash
# Issue 11's end-to-end figures (bench/README.md): a synthetic history of N orders
# (bench/gen_model_orders.py: BG/NBD clients with CDNOW's parameters) imported into an
# empty SQLite store, then `rekindle model fit` (read every client's orders page by page,
# fit BG/NBD and Gamma-Gamma, store every prediction) and `rekindle model predict` (the
# same reads and fit, the CSV to a file), each with its wall time and peak memory.
#
#   bench/model_bench.sh [--orders N]
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
WORK=$(mktemp -d /tmp/rkd-model-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/gen_model_orders.py" --orders "$ORDERS" >"$WORK/orders.csv"
mkdir -p "$WORK/data"
export RKD_DATABASE_URL=sqlite:$WORK/data/rekindle.db
"$BIN" migrate >/dev/null 2>&1

run() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" "$@" 2>"$WORK/err" >"$WORK/out" || { cat "$WORK/err" >&2; exit 1; }
  read -r secs kb <"$WORK/time"
  echo "rekindle $* | ${secs} s wall, $((kb / 1024)) MB peak"
}

echo "store: SQLite; $(nproc) cores; $(uname -r); $ORDERS orders"
run import orders "$WORK/orders.csv" --map 'externalId=Order Number,clientExternalId=Customer ID,totalValue=Total'
head -1 "$WORK/out"
run model fit --until 2024-03-31 --unit weeks
python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); print("  clients", f["clients"], "predictions", f["predictions"], "fit", round(f["seconds"],3), "s", f["parameters"], "holdout actual", f["diagnostics"].get("actualRepeatOrders"), "expected", round(f["diagnostics"].get("expectedRepeatOrders") or 0))' "$WORK/out"
run model fit --until 2024-03-31 --unit weeks
run model predict --until 2024-03-31 --unit weeks --horizon 13w --out "$WORK/predictions.csv"
echo "  $(($(wc -l <"$WORK/predictions.csv") - 1)) rows"
run model fit --until 2024-03-31 --unit weeks --model paretonbd
