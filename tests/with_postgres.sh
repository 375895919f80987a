#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server (tests/start_postgres.sh), its URL in
# RKD_TEST_POSTGRES_URL, and stops the server afterwards whatever the command did.
# Exits with the command's status. Usage: tests/with_postgres.sh COMMAND [ARGS…]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d /tmp/rkd-pg-XXXXXX)
trap '"$HERE/stop_postgres.sh" "$DIR"' EXIT
RKD_TEST_POSTGRES_URL=$("$HERE/start_postgres.sh" "$DIR")
export RKD_TEST_POSTGRES_URL
echo "with_postgres: server at $RKD_TEST_POSTGRES_URL" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
