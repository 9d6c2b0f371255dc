#!/usr/bin/env bash
# Checks captrack's OpenAPI document with a real validator and the HTTP suite's answers against it
# (validate.mjs says what each step checks). CTest runs it after the HTTP tests (SQLite) have logged
# their answers (tests/CMakeLists.txt, CAPTRACK_RESPONSE_LOG).
#
# Usage: tests/openapi/run.sh <path to the captrack binary> <folder of responses-*.jsonl>
# Needs Debian's nodejs (18 or later) and npm (scripts/install-deps.sh --test installs them); `npm ci`
# installs the pinned validators (package-lock.json) here on first use, from the npm registry.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 <captrack binary> <folder of responses-*.jsonl>" >&2; exit 2; }
binary=$1
log=$2
[ -x "$binary" ] || { echo "not an executable: $binary" >&2; exit 2; }
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    echo "node and npm are missing: apt-get install nodejs npm" >&2
    exit 2
fi

# Every pinned package must accept Debian 12's Node.js (tests/browser/run.sh says why 18.19.0), and this one.
for version in 18.19.0 "$(node -p 'process.versions.node.split("-")[0]')"; do
    node "$here/../browser/engines.mjs" "$version" "$here/package-lock.json" || {
        echo "a pinned package in tests/openapi/package-lock.json refuses Node.js $version" >&2
        exit 1
    }
done
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.captrack-lock" 2> /dev/null; then
    (cd "$here" && timeout 180 npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$here/node_modules/.captrack-lock"
fi

document=$(mktemp -t captrack-openapi.XXXXXX)
trap 'rm -f "$document"' EXIT
"$binary" openapi > "$document"
timeout 300 node "$here/validate.mjs" "$document" "$log"
