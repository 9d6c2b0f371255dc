#!/usr/bin/env bash
# Builds captrack and runs it on the embedded SQLite database with the reference data and the
# fictional demo portfolio. Extra arguments go to `captrack serve` (e.g. --set http.port=9090).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > /dev/null
cmake --build build/release -j"$(nproc)" --target captrack
build/release/captrack seed --demo "$@"
port=8080
for arg in "$@"; do case "$arg" in http.port=*) port=${arg#http.port=} ;; esac; done
cat <<MSG

captrack is starting on the embedded SQLite database var/captrack.db with the demo portfolio.
  Open:    http://127.0.0.1:${port}/api/v1/projects   (health: http://127.0.0.1:${port}/healthz)
  Sign-in: not built yet (README roadmap: "Who may do what"); until then every request acts as the
           built-in operator, so keep the server on 127.0.0.1.
  Stop:    Ctrl-C
MSG
exec build/release/captrack serve "$@"
