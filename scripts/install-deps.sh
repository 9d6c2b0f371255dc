#!/usr/bin/env bash
# Installs the Debian 12 packages captrack builds, runs and tests with, when any is missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds MariaDB and the load generator)
set -euo pipefail
packages=(build-essential cmake pkg-config clang-format libpoco-dev libcppunit-dev)
if [ "${1:-}" = "--test" ]; then
    packages+=(libmysqlcppconn-dev mariadb-server mariadb-client)
fi
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
