#!/usr/bin/env bash
# Installs every Debian 12 package Rekindle needs to build, test and run.
# Idempotent: packages already present are skipped, so a second run does nothing.
# Usage: scripts/install-deps.sh [--test]   (--test adds the servers and tools the tests use)
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build pkg-config make dpkg-dev
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev libcli11-dev libkainjow-mustache-dev
  libcurl4-openssl-dev libpq-dev libnats-dev prometheus-cpp-dev libhowardhinnant-date-dev libnlopt-dev tzdata
  nodejs npm
)
# clang + libclang-rt-14-dev: the libFuzzer targets (fuzz/); clang-format: the lint tier.
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev python3 python3-aiosmtpd curl wrk chromium postgresql nats-server
  clang libclang-rt-14-dev clang-format clang-tidy)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere on some machines; a working node and npm is enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if ((${#missing[@]} == 0)); then
  echo "install-deps: everything is installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
