#!/usr/bin/env bash
# Restarts a nats-server started by tests/start_nats.sh DIR, as a crash or an upgrade
# would: stops it with SIGNAL (TERM by default; KILL for a crash), waits until it has
# gone, leaves it down for DOWN seconds (0 by default), then starts it again with the very
# same command line (its /proc cmdline: the same port and store folder) and waits until it
# accepts connections. Stop it afterwards with tests/stop_nats.sh DIR, as before.
# Usage: tests/restart_nats.sh DIR [SIGNAL] [DOWN]
set -euo pipefail
DIR=${1:?usage: restart_nats.sh DIR [SIGNAL] [DOWN]}
SIG=${2:-TERM}
DOWN=${3:-0}
pid=$(cat "$DIR/server.pid")
PORT=$(cat "$DIR/port")
mapfile -d '' ARGS <"/proc/$pid/cmdline"
[[ ${#ARGS[@]} -gt 0 && $(basename "${ARGS[0]}") == nats-server ]] ||
  { echo "restart_nats: process $pid is not a nats-server" >&2; exit 1; }
kill -s "$SIG" "$pid"
# Gone: no such process, or a zombie nobody reaped yet (start_nats.sh left it orphaned).
gone() { [[ ! -e /proc/$pid ]] || [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]]; }
for _ in $(seq 300); do gone && break; sleep 0.1; done
gone || { echo "restart_nats: nats-server $pid did not stop on SIG$SIG" >&2; exit 1; }
sleep "$DOWN"
"${ARGS[@]}" </dev/null >/dev/null 2>&1 &
for _ in $(seq 300); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && exit 0
  sleep 0.1
done
echo "restart_nats: nats-server did not come back on port $PORT" >&2
tail -20 "$DIR/server.log" >&2
exit 1
