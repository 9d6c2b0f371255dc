#!/usr/bin/env bash
# Installs what is missing, checks formatting, builds with warnings as errors, starts a throwaway
# MariaDB and runs every test (SQLite and MariaDB) through CTest, then the Debian package's test (as
# root: tests/package/run.sh); then runs the suite again under
# AddressSanitizer and UndefinedBehaviorSanitizer (SQLite) and each fuzz target for a bounded time
# (CAPTRACK_FUZZ_SECONDS per target, default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The browser journeys (tests/browser/) run unless CAPTRACK_BROWSER_TESTS=0.
browser=OFF
[ "${CAPTRACK_BROWSER_TESTS:-1}" = 1 ] && browser=ON
if [ $browser = ON ]; then scripts/install-deps.sh --test --browser; else scripts/install-deps.sh --test; fi

echo "== clang-format"
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror

echo "== MariaDB"
port=${CAPTRACK_MARIADB_PORT:-}
if [ -z "$port" ]; then
    for p in $(seq 3307 3399); do
        (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { port=$p; break; }
    done
fi
dir=$PWD/build/mariadb-test
url=$(scripts/mariadb.sh start "$dir" "$port")
trap '"$root/scripts/mariadb.sh" stop "$dir"' EXIT
echo "test database: $url"

echo "== build"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DCAPTRACK_TEST_MARIADB_URL="$url" \
    -DCAPTRACK_BROWSER_TESTS=$browser > /dev/null
cmake --build build/test -j"$(nproc)"

echo "== tests"
(cd build/test && ctest --output-on-failure -j2)

# The Debian package (tests/package/run.sh, docs/PACKAGING.md): made from build/test by cpack, installed
# with dpkg, run as its service would run, upgraded, removed and purged. Root only, since it installs a
# package system-wide (it cleans up after itself); CAPTRACK_PACKAGE_TESTS=0 skips it.
if [ "${CAPTRACK_PACKAGE_TESTS:-1}" = 1 ] && [ "$(id -u)" -eq 0 ]; then
    echo "== package"
    tests/package/run.sh build/test
else
    echo "== package: skipped (root only; CAPTRACK_PACKAGE_TESTS=0 skips it)"
fi

# The whole CppUnit suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer: any report
# fails its test (tests/CMakeLists.txt sets the runtime options). SQLite only, to keep CI short.
echo "== sanitizers"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCAPTRACK_SANITIZE=ON > /dev/null
cmake --build build/asan -j"$(nproc)"
(cd build/asan && ctest --output-on-failure -j2)

# Each libFuzzer target for a bounded time (tests/fuzz/README.md); any crash, leak or report fails.
echo "== fuzz"
tests/fuzz/run.sh "${CAPTRACK_FUZZ_SECONDS:-15}"
