#!/usr/bin/env bash
# The sanitizer and fuzz tiers of `make test` (docs/fuzzing.md). Each tier builds in its
# own folder, so the ordinary build/ is never touched:
#
#   asan   build-asan, gcc, ASan + UBSan: every unit test, then the functional tests
#          (tests/test_*.py) against the ASan+UBSan `rekindle` binary.
#   tsan   build-tsan, gcc, TSan: the concurrency-heavy unit tests (rkd_concurrency_tests).
#   fuzz   build-fuzz, clang (libFuzzer): each fuzz target for RKD_FUZZ_RUNS inputs from seed 1 over its
#          seed corpus (ctest -L fuzz).
#
# Usage: scripts/sanitizer-tests.sh [asan] [tsan] [fuzz]     (no argument: all three)
# A sanitizer report anywhere (a test binary or a server process the functional tests
# start) fails the tier: reports go to <build>/sanitizer-logs/, which must stay empty.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-2}
# The concurrency-heavy units (rkd_concurrency_tests, CMakeLists.txt): the embedded bus and
# the SQLite store under concurrent receivers and writers, the HTTP server's thread pool,
# the OpenAI client (curl, retries, circuit breaker, rate limiter) and leader election.
# The filter leaves out the suites those files hold for other engines (PostgreSQL, NATS).
RKD_TSAN_FILTER=${RKD_TSAN_FILTER:-'Embedded/BusContractTest.*:Sqlite/StoreContractTest.*:SqliteStoreTest.*:HttpServerTest.*:OpenAiWriterTest.*:RateLimiter.*:CircuitBreaker.*:Election.*:FileLeaderLock.*'}
RKD_FUZZ_RUNS=${RKD_FUZZ_RUNS:-200000}
RKD_FUZZ_SECONDS=${RKD_FUZZ_SECONDS:-120}

configure() {  # folder, compiler, extra cmake arguments...
  local dir=$1 cxx=$2
  shift 2
  # -O1 -g1: about a third less compile time than -O2 -g, the same reports with line numbers.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_CXX_COMPILER="$cxx" "$@" >/dev/null
}

# Empties the report folder before a run.
fresh_logs() {
  rm -rf "$1/sanitizer-logs"
  mkdir -p "$1/sanitizer-logs"
}

# Fails (after printing them) when the run left any sanitizer report behind.
check_logs() {
  local dir=$1 tier=$2
  shopt -s nullglob
  local reports=("$dir"/sanitizer-logs/*)
  shopt -u nullglob
  if ((${#reports[@]} > 0)); then
    for r in "${reports[@]}"; do
      echo "=== $r"
      head -n 80 "$r"
    done
    echo "sanitizer-tests: $tier: ${#reports[@]} sanitizer report(s), above and in $dir/sanitizer-logs/" >&2
    return 1
  fi
}

# Runs a command, then fails when it failed or left a sanitizer report (printed either way).
run_checked() {  # build folder, what, command...
  local dir=$1 what=$2 status=0
  shift 2
  "$@" || status=$?
  check_logs "$dir" "$what" || status=1
  return $status
}

timed() {  # tier name, command...
  local name=$1 start=$SECONDS
  shift
  echo "sanitizer-tests: $name: start"
  "$@"
  echo "sanitizer-tests: $name: passed in $((SECONDS - start)) s"
}

asan_tier() {
  local dir=build-asan
  [[ -f $dir/build.ninja ]] || configure $dir g++ -DRKD_SANITIZE=address,undefined
  cmake --build $dir -j "$JOBS" --target rekindle rkd_unit_tests
  fresh_logs $dir
  local logs=$ROOT/$dir/sanitizer-logs
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$logs/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
  export LSAN_OPTIONS="suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0"
  # The unit tests in one process (ctest would start one per test: same checks, slower).
  run_checked $dir "asan unit" $dir/rkd_unit_tests --gtest_brief=1
  # The functional tests against the instrumented binary, as ctest's http_api runs them
  # (but test_package, which packages build/ and has no code of its own to check).
  local modules=${RKD_ASAN_TESTS:-$(cd tests && ls test_*.py | grep -v '^test_package\.py$' | sed 's/\.py$//')}
  # shellcheck disable=SC2086  # one word per module
  run_checked $dir "asan functional" env -C tests REKINDLE_BIN="$ROOT/$dir/rekindle" python3 -m unittest $modules
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
}

tsan_tier() {
  local dir=build-tsan
  [[ -f $dir/build.ninja ]] || configure $dir g++ -DRKD_SANITIZE=thread
  cmake --build $dir -j "$JOBS" --target rkd_concurrency_tests
  fresh_logs $dir
  local logs=$ROOT/$dir/sanitizer-logs
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$ROOT/scripts/tsan.supp:log_path=$logs/tsan"
  run_checked $dir tsan $dir/rkd_concurrency_tests --gtest_brief=1 --gtest_filter="$RKD_TSAN_FILTER"
  unset TSAN_OPTIONS
}

fuzz_tier() {
  local dir=build-fuzz
  [[ -f $dir/build.ninja ]] || configure $dir clang++ -DRKD_FUZZ=ON -DBUILD_TESTING=OFF
  cmake $dir -DRKD_FUZZ_RUNS="$RKD_FUZZ_RUNS" -DRKD_FUZZ_SECONDS="$RKD_FUZZ_SECONDS" >/dev/null
  cmake --build $dir -j "$JOBS" --target fuzz_targets
  # The targets are independent processes: one per core.
  ctest --test-dir $dir -L fuzz --output-on-failure -j "$JOBS"
}

tiers=("$@")
((${#tiers[@]})) || tiers=(asan tsan fuzz)
for t in "${tiers[@]}"; do
  case $t in
    asan) timed asan asan_tier ;;
    tsan) timed tsan tsan_tier ;;
    fuzz) timed fuzz fuzz_tier ;;
    *)
      echo "usage: $0 [asan] [tsan] [fuzz]" >&2
      exit 2
      ;;
  esac
done
