#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server for tests: initdb in DIR/data, listening only
# on 127.0.0.1 at a free port (its socket in DIR too), trust authentication. Prints the
# server's URL on stdout. Stop it with tests/stop_postgres.sh DIR.
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system
# user (DIR is handed to it, so its parent must be searchable by others, as /tmp is);
# as anyone else, as that user.
# Usage: tests/start_postgres.sh DIR
set -euo pipefail
DIR=${1:?usage: start_postgres.sh DIR}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[[ -x "$PGBIN/initdb" ]] || { echo "start_postgres: no PostgreSQL server binaries (install postgresql)" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
AS=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$DIR"
  chmod 700 "$DIR"
  AS=(runuser -u postgres --)
fi
# A free port: bind to port 0 and keep what the kernel gave.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$DIR"  # runuser keeps the working directory; postgres must be able to read it
"${AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
  { cat "$DIR/initdb.log" >&2; exit 1; }
# Tests favour speed over durability: fsync off (the server is thrown away).
OPTS="-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 -o "$OPTS" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
echo "$PORT" >"$DIR/port"
echo "$OPTS" >"$DIR/options"  # tests/restart_postgres.sh starts it again with them
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
