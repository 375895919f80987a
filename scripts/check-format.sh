#!/usr/bin/env bash
# The lint tier's format check: every tracked C++ file is as .clang-format says.
# Exit 0 when all are, 1 (and the offending lines) when one is not, 77 (ctest: skipped)
# when there is no git metadata to list the files or no clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "check-format: skipped: no git metadata here, so no list of tracked files (run it in a clone)"
  exit 77
fi
if ! command -v clang-format >/dev/null; then
  echo "check-format: skipped: clang-format is not installed (scripts/install-deps.sh --test installs it)"
  exit 77
fi
mapfile -t files < <(git ls-files '*.cc' '*.h')
if ((${#files[@]} == 0)); then
  echo "check-format: no C++ files tracked"
  exit 0
fi
if report=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
  echo "check-format: ${#files[@]} files formatted as .clang-format says ($(clang-format --version))"
else
  echo "$report" | head -n 30
  echo "check-format: not formatted as .clang-format says (run clang-format -i on them):" >&2
  echo "$report" | grep -oE '^[^: ]+\.(cc|h):' | tr -d : | sort -u | sed 's/^/  /' >&2
  exit 1
fi
