#!/usr/bin/env bash
# Issue 10's import figures (bench/README.md): CDNOW's master file (69,659 orders,
# 23,570 clients) and a synthetic 1,000,000 orders for 200,000 clients, each into an
# empty store and then again (nothing changes the second time), with the wall time and
# the process's peak memory. SQLite by default; --postgres runs the same on a throwaway
# PostgreSQL server (tests/with_postgres.sh).
#
#   bench/import_bench.sh [--postgres] [--orders N] [--clients M]
#
# REKINDLE_BIN (default build/rekindle) is the binary; CDNOW's file is read from
# CDNOW_MASTER (default ../shared/data/cdnow/CDNOW_master.txt, not shipped in the repo).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${REKINDLE_BIN:-$ROOT/build/rekindle}
CDNOW=${CDNOW_MASTER:-$ROOT/../shared/data/cdnow/CDNOW_master.txt}
ORDERS=1000000
CLIENTS=200000
PG=0
while (($#)); do
  case $1 in
    --postgres) PG=1 ;;
    --orders) ORDERS=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if ((PG)) && [[ -z ${RKD_TEST_POSTGRES_URL:-} ]]; then
  exec "$ROOT/tests/with_postgres.sh" "$0" --postgres --orders "$ORDERS" --clients "$CLIENTS"
fi

WORK=$(mktemp -d /tmp/rkd-import-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 "$HERE/gen_import_orders.py" --orders "$ORDERS" --clients "$CLIENTS" >"$WORK/orders.csv"
MAP='externalId=Order Number,clientExternalId=Customer ID,name=Customer Name,totalValue=Total'

fresh_store() {
  export RKD_DATA_DIR=$WORK/data
  if ((PG)); then
    export RKD_DATABASE_URL=$RKD_TEST_POSTGRES_URL
    psql -q "$RKD_TEST_POSTGRES_URL" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
  else
    rm -rf "$WORK/data"
    mkdir -p "$WORK/data"
    export RKD_DATABASE_URL=sqlite:$WORK/data/rekindle.db
  fi
  "$BIN" migrate >/dev/null 2>&1
}

# One import: "<summary line> | <seconds> s, <peak KB> KB peak"
run() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" "$@" 2>/dev/null >"$WORK/out"
  read -r secs kb <"$WORK/time"
  echo "$(head -1 "$WORK/out") | ${secs} s wall, $((kb / 1024)) MB peak"
}

echo "store: $( ((PG)) && echo PostgreSQL || echo SQLite ); $(nproc) cores; $(uname -r)"
if [[ -f $CDNOW ]]; then
  fresh_store
  echo "CDNOW master, empty store:  $(run import orders "$CDNOW" --format cdnow)"
  echo "CDNOW master, again:        $(run import orders "$CDNOW" --format cdnow)"
else
  echo "CDNOW master: $CDNOW not found, skipped"
fi
fresh_store
echo "$ORDERS orders / $CLIENTS clients, empty store: $(run import orders "$WORK/orders.csv" --map "$MAP")"
echo "$ORDERS orders / $CLIENTS clients, again:       $(run import orders "$WORK/orders.csv" --map "$MAP")"
echo "the same, dry run:                              $(run import orders "$WORK/orders.csv" --map "$MAP" --dry-run)"
python3 "$HERE/gen_import_orders.py" --shopify --orders "$ORDERS" --clients "$CLIENTS" >"$WORK/shopify.csv"
fresh_store
echo "the same as Shopify's export ($(($(wc -l <"$WORK/shopify.csv") - 1)) rows), empty store: $(run import orders "$WORK/shopify.csv" --format shopify)"
echo "export orders (csv):                            $(run export orders "$WORK/export.csv") ($(wc -l <"$WORK/export.csv") lines)"
