#!/usr/bin/env bash
# Stops a server started by tests/start_nats.sh and removes its folder. Usage: tests/stop_nats.sh DIR
DIR=${1:?usage: stop_nats.sh DIR}
if [[ -f "$DIR/server.pid" ]]; then
  pid=$(cat "$DIR/server.pid")
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
fi
rm -rf "$DIR"
