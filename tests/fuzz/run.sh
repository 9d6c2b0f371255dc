#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz in build/fuzz (clang-14, -DCAPTRACK_FUZZ=ON) and runs each
# on its seed corpus and dictionary, one after the other. Exits non-zero when any target finds a crash,
# a leak, a timeout, an out-of-memory or a sanitizer report; the input is kept in
# build/fuzz/artifacts/ (tests/fuzz/README.md says how to reproduce it).
#
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   default 20 s, every fuzz_*.cpp
#        FUZZ_RUNS=N tests/fuzz/run.sh [0] [TARGET...]        N executions per target instead of a time
# New inputs that reach new code are kept in build/fuzz/corpus/TARGET (not in git): later runs start
# from them too. Set CXX to use another clang, FUZZ_BUILD_DIR to build elsewhere than build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-20}
[ $# -gt 0 ] && shift
runs=${FUZZ_RUNS:-}
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}

targets=("$@")
build_targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for source in tests/fuzz/fuzz_*.cpp; do
        name=${source##*/}
        targets+=("${name%.cpp}")
    done
    build_targets=(fuzz_targets) # one build step, so make compiles the targets in parallel
fi

echo "== fuzz: build (${CXX:-clang++-14})"
CXX=${CXX:-clang++-14} cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAPTRACK_FUZZ=ON \
    -DBUILD_TESTING=OFF > /dev/null
cmake --build "$build" -j"$(nproc)" --target "${build_targets[@]}"

# halt_on_error and abort_on_error make any report end the run as a crash libFuzzer records;
# detect_leaks makes libFuzzer check for leaks after each input that allocated more than it freed.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
mkdir -p "$build/artifacts" "$build/logs"
failed=()
for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    mkdir -p "$corpus"
    options=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-")
    if [ -n "$runs" ]; then options+=(-runs="$runs"); else options+=(-max_total_time="$seconds"); fi
    [ -f "tests/fuzz/$target.dict" ] && options+=(-dict="tests/fuzz/$target.dict")
    log=$build/logs/$target.log
    started=$SECONDS
    if "$build/tests/fuzz/$target" "${options[@]}" "$corpus" "tests/fuzz/corpus/$target" > "$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$target")
    fi
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
    printf '%-22s %-6s %10s runs %4d s  %s\n' "$target" "$status" "${executions:-?}" $((SECONDS - started)) \
        "${coverage:-}"
    if [ "$status" = FAILED ]; then
        grep -E 'ERROR|INVARIANT|runtime error|SUMMARY|Test unit written' "$log" | head -20 || true
        echo "   full log: $log"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
