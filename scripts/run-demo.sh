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
  Open:    http://127.0.0.1:${port}/   in a browser, and sign in with a demo user and its password
           printed above (new ones on every run of this script).
  API:     the same accounts sign in to the JSON API (health: http://127.0.0.1:${port}/healthz), e.g.
             curl -s http://127.0.0.1:${port}/api/v1/auth/login -H 'Content-Type: application/json' \\
                  -d '{"username": "demo-reviewer", "password": "<password above>"}'
           then send the token: curl -H "Authorization: Bearer <token>" http://127.0.0.1:${port}/api/v1/projects
           demo-lead lands on "Needs your update" (leads DEMO-MYP-001..004, DEMO-DCB-001/002),
           demo-reviewer on the portfolio (reads all, audit trail), demo-partner on Moldova's
           contributions (sees what Moldova may see), demo-admin on the users (everything).
  Stop:    Ctrl-C
MSG
exec build/release/captrack serve "$@"
