#!/usr/bin/env bash
# Takes a server started by tests/start_postgres.sh DIR away for a while, as an outage
# would: stops it (pg_ctl stop -m MODE: fast by default, which ends every session; or
# immediate, a crash), leaves it down for DOWN seconds (0 by default), then starts it
# again on the same port, folder and options and waits until it accepts connections.
# Stop it afterwards with tests/stop_postgres.sh DIR, as before.
# Usage: tests/restart_postgres.sh DIR [DOWN] [MODE]
set -euo pipefail
DIR=${1:?usage: restart_postgres.sh DIR [DOWN] [MODE]}
DOWN=${2:-0}
MODE=${3:-fast}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
DIR=$(cd "$DIR" && pwd)
AS=()
[[ $(id -u) -eq 0 ]] && AS=(runuser -u postgres --)
cd "$DIR"  # runuser keeps the working directory; postgres must be able to read it
"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m "$MODE" -w -t 60 stop >/dev/null
sleep "$DOWN"
"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o "$(cat "$DIR/options")" \
  start >/dev/null || { tail -20 "$DIR/server.log" >&2; exit 1; }
