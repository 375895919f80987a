#!/usr/bin/env bash
# clang-tidy over every non-test source file, with the checks .clang-tidy names; the
# naming rules are errors (WarningsAsErrors), so a misnamed identifier fails the run.
# Usage: scripts/check-tidy.sh BUILD_DIR   (a build with compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
if [[ -z "$tidy" || ! -f "$build/compile_commands.json" ]]; then
  echo "check-tidy: run-clang-tidy or $build/compile_commands.json is missing; skipped" >&2
  exit 77
fi
# Only the naming check runs here (the slow part is parsing, so one pass); the others are
# advice for editors and reviews. Tests are left out: GoogleTest's macros make names of
# their own. server.cc is left out for time: Beast's headers take most of a minute.
files=$(git ls-files 'src/*.cc' | grep -v '_test\.cc$' | grep -v '^src/http/server\.cc$' || true)
if [[ -z "$files" ]]; then
  files=$(find src -name '*.cc' ! -name '*_test.cc' ! -path src/http/server.cc)
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
"$tidy" -quiet -p "$build" -j "$(nproc)" -checks='-*,readability-identifier-naming' \
  $(printf '%s$ ' $files | sed 's/\$ $//') >"$out" 2>&1 || status=$?
sed "s/\x1b\[[0-9;]*m//g" "$out" | grep -E "(warning|error):" | grep -v "warnings generated" | sort -u || true
if ((status != 0)); then
  echo "check-tidy: identifiers that do not follow .clang-tidy's naming (see above)" >&2
  exit 1
fi
echo "check-tidy: $(echo "$files" | wc -w) files, names as .clang-tidy says"
