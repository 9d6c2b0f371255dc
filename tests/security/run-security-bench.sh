#!/usr/bin/env bash
# The attacks of issue 8 with figures (tests/security/README.md), run on demand, never by CTest:
#   tests/security/run-security-bench.sh [CAPTRACK_BINARY]
# Builds Release into build/bench (unless a binary is given, e.g. an older build to compare with),
# seeds the demo portfolio into a throwaway SQLite database, serves on 127.0.0.1 and runs
# tests/security/attacks.py against it. The figures go to stdout and build/bench/security-<UTC time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
binary=${1:-}
if [ -z "$binary" ]; then
    cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF > /dev/null
    cmake --build build/bench -j"$(nproc)" --target captrack > /dev/null
    binary=$root/build/bench/captrack
fi
mkdir -p build/bench
out=$root/build/bench/security-$(date -u +%Y%m%dT%H%M%SZ).txt
work=$(mktemp -d /tmp/captrack-security.XXXXXX)
server_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; fi
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port=""
for p in $(shuf -i 20000-45000 -n 200); do
    (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { port=$p; break; }
done
cd "$work"
settings=(--set "paths.sql=$root/sql" --set "db.url=sqlite:$work/captrack.db" --set "auth.secret_file=$work/secret")
"$binary" seed --demo "${settings[@]}" > seed.txt
password() { awk -v user="$1" '$1 == user { print $2 }' seed.txt; }
"$binary" serve "${settings[@]}" --set "http.port=$port" --set log.level=warning > server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break
    sleep 0.1
done
{
    echo "captrack security bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD)"
    echo "binary $binary; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 "$root/tests/security/attacks.py" "$port" "$server_pid" "$(password demo-admin)" "$(password demo-partner)"
} 2>&1 | tee "$out"
exit "${PIPESTATUS[0]}"
