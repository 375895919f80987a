#!/usr/bin/env bash
# Starts a throwaway nats-server with JetStream for tests: its store in DIR, listening only
# on 127.0.0.1 at a free port. Prints the server's URL on stdout. Stop it with
# tests/stop_nats.sh DIR. Usage: tests/start_nats.sh DIR
set -euo pipefail
DIR=${1:?usage: start_nats.sh DIR}
command -v nats-server >/dev/null || { echo "start_nats: no nats-server (install nats-server)" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Its output goes to the log: an open stdout would hold up the caller's $(…).
nats-server -js -sd "$DIR/store" -a 127.0.0.1 -p "$PORT" -l "$DIR/server.log" -P "$DIR/server.pid" </dev/null >/dev/null 2>&1 &
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
  sleep 0.1
done
python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null ||
  { cat "$DIR/server.log" >&2; exit 1; }
echo "$PORT" >"$DIR/port"
echo "nats://127.0.0.1:$PORT"
