#!/usr/bin/env bash
# Runs a command with a throwaway nats-server (tests/start_nats.sh), its URL in
# RKD_TEST_NATS_URL, and stops the server afterwards whatever the command did.
# Exits with the command's status. Usage: tests/with_nats.sh COMMAND [ARGS…]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d /tmp/rkd-nats-XXXXXX)
trap '"$HERE/stop_nats.sh" "$DIR"' EXIT
RKD_TEST_NATS_URL=$("$HERE/start_nats.sh" "$DIR")
export RKD_TEST_NATS_URL
echo "with_nats: server at $RKD_TEST_NATS_URL" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
