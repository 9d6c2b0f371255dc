#!/usr/bin/env bash
# Installs the Debian 12 packages captrack builds, runs and tests with, when any is missing.
# Usage: scripts/install-deps.sh [--test] [--browser]
#   --test adds MariaDB, Python 3 (tests/faults/) with openpyxl (tests/report/xlsx_downloads.py), the load
#   generator, and clang-14 with libFuzzer and the sanitizer runtimes for tests/fuzz/, and for the local
#   Galera cluster (scripts/galera.sh) galera-4, rsync (state transfers), haproxy, socat (haproxy's stats
#   socket) and curl; Prometheus (its server scrapes captrack in tests/metrics/; on a machine run by
#   systemd, Debian starts its service, as it does MariaDB's); for the Debian package's test
#   (tests/package/run.sh) dpkg-dev (cpack's dpkg-shlibdeps), adduser (the package's postinst) and systemd
#   (systemd-analyze; systemd need not run); and, when no Node.js 18 or later is there, Debian's nodejs
#   and npm, which run the OpenAPI validators (tests/openapi/) and the browser journeys; --browser adds
#   Chromium for tests/browser/.
set -euo pipefail
packages=(build-essential cmake pkg-config clang-format libpoco-dev libcppunit-dev libxlsxwriter-dev)
# Debian's nodejs (18) and npm, unless a Node.js is already there: any from 18 on will do (the pinned npm
# packages' engines; tests/browser/run.sh and tests/openapi/run.sh check), and one that brings its own npm
# (NodeSource's nodejs) conflicts with Debian's npm package.
want_node() {
    if command -v node > /dev/null; then
        node_major=$(node -p 'process.versions.node.split(".")[0]')
        if [ "$node_major" -lt 18 ]; then
            echo "Node.js $(node --version) is older than 18, which the npm-pinned test tools need" >&2
            exit 1
        fi
        command -v npm > /dev/null || packages+=(npm)
    else
        packages+=(nodejs npm)
    fi
}
for option in "$@"; do
    case "$option" in
    --test)
        packages+=(libmysqlcppconn-dev mariadb-server mariadb-client python3 python3-openpyxl clang-14 libfuzzer-14-dev
            libclang-rt-14-dev)
        packages+=(galera-4 rsync haproxy socat curl prometheus python3-icalendar python3-aiosmtpd)
        packages+=(dpkg-dev adduser systemd)
        want_node
        ;;
    --browser)
        packages+=(chromium chromium-driver)
        want_node
        ;;
    *) echo "usage: $0 [--test] [--browser]" >&2; exit 2 ;;
    esac
done
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
