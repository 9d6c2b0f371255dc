#!/usr/bin/env bash
# Browser journeys of captrack's web page: starts a real captrack server (the binary given) on a fresh
# SQLite database with the demo data, on a free port of 127.0.0.1, drives Debian's Chromium through the
# journeys in journeys.mjs, saves a screenshot of each main page and stops the server.
#
# Usage: tests/browser/run.sh <path to the captrack binary>
# Needs the Debian packages chromium, nodejs (18, Debian 12's, or later) and npm (scripts/install-deps.sh
# --browser installs them); `npm ci` installs the pinned playwright-core here on first use, from the npm
# registry. No browser is ever downloaded.
# Screenshots go to $CAPTRACK_SCREENSHOTS (default: tests/browser/screenshots/ under the current folder,
# which CTest makes the build folder). Exits non-zero on any failure; the whole run is bounded in time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 <captrack binary>" >&2; exit 2; }
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$binary" ] || { echo "not an executable: $1" >&2; exit 2; }
chromium=${CAPTRACK_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "$chromium is missing: apt-get install chromium" >&2; exit 2; }
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    echo "node and npm are missing: apt-get install nodejs npm" >&2
    exit 2
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CAPTRACK_SCREENSHOTS=${CAPTRACK_SCREENSHOTS:-$PWD/tests/browser/screenshots}
mkdir -p "$CAPTRACK_SCREENSHOTS"
rm -f "$CAPTRACK_SCREENSHOTS"/failure-*.png # from an earlier run
started=$SECONDS

# Every pinned package must accept Debian 12's Node.js, and this one. Debian 12's nodejs is 18.20.4
# today (earlier bookworm updates had 18.19.0, the floor checked here); the journeys are tested on
# 18.19.0, 18.20.4 and 20 (README.md).
debian_node=18.19.0
node "$here/engines.mjs" "$debian_node" || {
    echo "a pinned package in tests/browser/package-lock.json drops Debian 12's Node.js $debian_node" >&2
    exit 1
}
node "$here/engines.mjs" "$(node -p 'process.versions.node.split("-")[0]')" || exit 1

# The pinned playwright-core (package-lock.json); reinstalled only when the lock file changed.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.captrack-lock" 2> /dev/null; then
    (cd "$here" && timeout 180 npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$here/node_modules/.captrack-lock"
fi

tmp=$(mktemp -d -t captrack-browser.XXXXXX)
server=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2> /dev/null; then
        kill -TERM "$server" 2> /dev/null || true
        for _ in $(seq 50); do kill -0 "$server" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2> /dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

settings=(--set "paths.sql=$repo/sql" --set "db.url=sqlite:$tmp/c.db" --set "auth.secret_file=$tmp/secret")
# The demo users and their fresh passwords: "  demo-admin  <password>" lines.
timeout 60 "$binary" seed --demo "${settings[@]}" > "$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; exit 1; }
users=$(awk '$1 ~ /^demo-/ && NF == 2 { printf "%s\"%s\": \"%s\"", sep, $1, $2; sep = ", " }' "$tmp/seed.log")
[ -n "$users" ] || { echo "no demo users in the seed output:" >&2; cat "$tmp/seed.log" >&2; exit 1; }
export CAPTRACK_DEMO_USERS="{$users}"

# Port 0: the server takes a free port and says which in its log (made here: the background job's
# redirection may open it only after the first look below).
: > "$tmp/server.log"
"$binary" serve "${settings[@]}" --set http.address=127.0.0.1 --set http.port=0 > "$tmp/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 150); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log" | head -n 1 || true)
    [ -n "$port" ] && break
    kill -0 "$server" 2> /dev/null || break
    sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }
export CAPTRACK_URL="http://127.0.0.1:$port"
export CAPTRACK_PROFILE="$tmp/chromium-profile"
mkdir -p "$CAPTRACK_PROFILE"
echo "captrack at $CAPTRACK_URL; screenshots in $CAPTRACK_SCREENSHOTS"

status=0
(cd "$here" && timeout -k 5 400 node journeys.mjs) || status=$?
[ $status -eq 124 ] && echo "the journeys took over 400 s" >&2
if [ $status -ne 0 ]; then
    echo "--- server log (last 40 lines)" >&2
    tail -n 40 "$tmp/server.log" >&2
fi
echo "browser journeys: $((SECONDS - started)) s"
exit $status
