#!/usr/bin/env bash
# Stops a server started by tests/start_postgres.sh DIR and removes DIR.
# Usage: tests/stop_postgres.sh DIR
set -uo pipefail
DIR=${1:?usage: stop_postgres.sh DIR}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
AS=()
[[ $(id -u) -eq 0 ]] && AS=(runuser -u postgres --)
if [[ -f "$DIR/data/postmaster.pid" ]]; then
  (cd / && "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1)
fi
rm -rf "$DIR"
