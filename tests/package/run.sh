#!/usr/bin/env bash
# The Debian package end to end (docs/PACKAGING.md), as root on Debian 12, with or without systemd as
# PID 1 (CI has none): builds captrack_<version>_<arch>.deb with cpack in the build folder given,
# installs it with dpkg -i, checks its files, its version and its unit (`systemd-analyze verify`,
# hardening exposure), runs the installed binary as the unit would (its User, WorkingDirectory, UMask
# and ExecStart, on a fresh /var/lib/captrack) through a smoke journey over HTTP with a user made by the
# installed `captrack user add`, stops it with SIGTERM (exit 0), installs the package again over
# itself (the data and an edited conffile stay as they are), removes it (the data stay) and purges it.
#
# Usage: tests/package/run.sh BUILD_DIR   (a configured build folder of this checkout)
# It installs a real package system-wide, so it refuses to start (exit 2) where captrack is installed
# or /var/lib/captrack or /etc/captrack exist, and its EXIT trap purges the package and removes what it
# made (the state directory, the captrack user and group if it made them), on failure too: it can run again.
# shellcheck disable=SC2015 # "check && check || fail" fails when either check does, as meant
set -euo pipefail

[ $# -eq 1 ] && [ -f "$1/CMakeCache.txt" ] || { echo "usage: $0 BUILD_DIR (a configured build folder)" >&2; exit 2; }
build=$(cd "$1" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "the package test installs a package: run it as root" >&2; exit 2; }
for tool in dpkg cpack systemd-analyze setpriv runuser curl python3; do
    command -v "$tool" > /dev/null || { echo "$tool is missing (scripts/install-deps.sh --test installs it)" >&2; exit 2; }
done
if dpkg-query -W -f='${Status}' captrack 2> /dev/null | grep -qv "not-installed"; then
    echo "a captrack package is installed here; the test would replace it (dpkg --purge captrack first)" >&2
    exit 2
fi
for path in /var/lib/captrack /etc/captrack; do
    [ ! -e "$path" ] || { echo "$path exists; the test needs it fresh and would delete it (move it away first)" >&2; exit 2; }
done

started=$SECONDS
state=/var/lib/captrack
conffile=/etc/captrack/captrack.properties
unit=/usr/lib/systemd/system/captrack.service
tmp=$(mktemp -d -t captrack-package.XXXXXX)
server=""
made_user=no
made_group=no
getent passwd captrack > /dev/null || made_user=yes
getent group captrack > /dev/null || made_group=yes

fail() {
    echo "FAIL: $*" >&2
    [ ! -s "$tmp/server.log" ] || { echo "--- server log" >&2; tail -30 "$tmp/server.log" >&2; }
    exit 1
}
check() { echo "ok: $*"; }

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2> /dev/null; then
        kill -KILL "$server" 2> /dev/null || true
        wait "$server" 2> /dev/null || true
    fi
    if dpkg-query -W -f='${Status}' captrack 2> /dev/null | grep -qv "not-installed"; then
        DEBIAN_FRONTEND=noninteractive dpkg --purge captrack > /dev/null 2>&1 || true
    fi
    rm -rf "$state" /etc/captrack
    if [ "$made_user" = yes ] && getent passwd captrack > /dev/null; then
        userdel captrack 2> /dev/null || true
    fi
    if [ "$made_group" = yes ] && getent group captrack > /dev/null; then
        groupdel captrack 2> /dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
# A signal ends the test once the command in hand returns (dpkg is never cut short), through cleanup.
trap 'exit 130' INT TERM HUP

echo "== package: build"
# The package and the binary it holds name /usr (the binary finds /etc/captrack and /usr/share/captrack
# by where it is installed: app::RuntimePaths); a build folder made before that default is set to it.
if ! grep -qx "CMAKE_INSTALL_PREFIX:PATH=/usr" "$build/CMakeCache.txt"; then
    cmake -DCMAKE_INSTALL_PREFIX=/usr "$build" > /dev/null
fi
cmake --build "$build" -j"$(nproc)" --target captrack
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || fail "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"
deb=$build/package/captrack_${version}_$(dpkg --print-architecture).deb
rm -f "$deb"
(cd "$build" && cpack -G DEB > "$tmp/cpack.log") || { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB"; }
[ -f "$deb" ] || fail "cpack made no $deb"
check "cpack made $(basename "$deb") ($(du -h "$deb" | cut -f1))"
contents=$(dpkg-deb -c "$deb")
for file in ./usr/bin/captrack ./etc/captrack/captrack.properties ./usr/lib/systemd/system/captrack.service \
    ./usr/share/captrack/sql/sqlite/001_core.sql ./usr/share/captrack/sql/mysql/001_core.sql \
    ./usr/share/captrack/sql/seed/reference.json ./usr/share/doc/captrack/PACKAGING.md; do
    grep -q " $file\$" <<< "$contents" || fail "the package lacks $file"
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version $(dpkg-deb -f "$deb" Version), not $version"
check "the package holds the binary, the migrations, the settings and the unit; version $version"

echo "== package: install"
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i"; }
[ "$(/usr/bin/captrack --version)" = "captrack $version" ] || fail "captrack --version: $(/usr/bin/captrack --version)"
/usr/bin/captrack --help | tr -s ' \n' ' ' | grep -q "Settings come from $conffile" ||
    fail "the installed binary's help does not name $conffile"
dpkg-query -W -f='${Conffiles}\n' captrack | grep -q "^ $conffile " || fail "$conffile is not a conffile"
IFS=: read -r _ _ uid _ _ home shell <<< "$(getent passwd captrack)" || fail "postinst made no captrack user"
[ "$uid" -lt 1000 ] && [ "$home" = "$state" ] && [ "$shell" = /usr/sbin/nologin ] ||
    fail "captrack is not a system user without a shell (uid $uid, home $home, shell $shell)"
[ "$(stat -c '%U:%G %a' "$state")" = "captrack:captrack 700" ] || fail "$state: $(stat -c '%U:%G %a' "$state")"
grep -qx "db.url = sqlite:$state/captrack.db" "$conffile" || fail "$conffile does not keep the database in $state"
check "dpkg -i: captrack $version, a system user, $state private to it, $conffile a conffile"

echo "== package: the unit"
systemd-analyze verify "$unit" > "$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log" >&2; fail "systemd-analyze verify"; }
[ ! -s "$tmp/verify.log" ] || { cat "$tmp/verify.log" >&2; fail "systemd-analyze verify warned"; }
unit_value() { sed -n "s/^$1=//p" "$unit" | tail -1; }
for line in User=captrack StateDirectory=captrack ProtectSystem=strict NoNewPrivileges=yes Restart=on-failure \
    KillSignal=SIGTERM; do
    [ "$(unit_value "${line%%=*}")" = "${line#*=}" ] || fail "the unit lacks $line"
done
# The hardening as systemd rates it (0 fully confined .. 10 not at all; the threshold counts tenths):
# 1.4 when written.
systemd-analyze security --offline=yes --threshold=20 "$unit" > "$tmp/security.log" 2>&1 ||
    { tail -5 "$tmp/security.log" >&2; fail "the unit's exposure is above 2.0"; }
check "systemd-analyze verify: clean; $(grep -o 'exposure level.*' "$tmp/security.log")"

echo "== package: smoke journey as the service"
cd /
# Root may not run the installed binary on the service's files (they would be root's).
if /usr/bin/captrack user list > "$tmp/root.log" 2>&1; then fail "the installed binary ran as root"; fi
grep -q "runuser -u captrack" "$tmp/root.log" || fail "the refusal as root does not say how: $(cat "$tmp/root.log")"
# The first admin, made with the installed binary as the service user, from no particular folder: it
# reads /etc/captrack/captrack.properties and migrates the fresh state directory.
password=$(head -c 18 /dev/urandom | base64)
runuser -u captrack -- /usr/bin/captrack user add --username smoke-admin --role admin --password-stdin \
    <<< "$password" > "$tmp/user.log" 2>&1 || { cat "$tmp/user.log" >&2; fail "captrack user add"; }
[ -f "$state/captrack.db" ] || fail "user add made no $state/captrack.db"
# As the unit runs it: its user and group, working directory, umask and command line; the one change
# is the port (0: a free one), made through the environment as a drop-in's Environment= would.
user=$(unit_value User)
group=$(unit_value Group)
workdir=$(unit_value WorkingDirectory)
workdir=${workdir//%S//var/lib}
read -r -a exec_start <<< "$(unit_value ExecStart)"
: > "$tmp/server.log"
(cd "$workdir" && umask "$(unit_value UMask)" && exec env -i PATH=/usr/bin:/bin HOME="$state" USER="$user" LOGNAME="$user" \
    SHELL=/usr/sbin/nologin STATE_DIRECTORY="$state" CAPTRACK_HTTP_PORT=0 \
    setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs -- "${exec_start[@]}") \
    > "$tmp/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 300); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log")
    [ -z "$port" ] || break
    kill -0 "$server" 2> /dev/null || fail "the server exited at start"
    sleep 0.1
done
[ -n "$port" ] || fail "the server did not listen within 30 s"
[ "$(ps -o user= -p "$server")" = captrack ] || fail "the server does not run as captrack"
base=http://127.0.0.1:$port
status() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }
json() { python3 -c "import json,sys; print(json.load(open('$tmp/body'))$1)"; }
[ "$(status "$base/healthz")" = 200 ] || fail "GET /healthz"
[ "$(status "$base/readyz")" = 200 ] || fail "GET /readyz"
[ "$(status "$base/")" = 200 ] && grep -qi "<html" "$tmp/body" || fail "GET / (the embedded web page)"
[ "$(status "$base/api/v1/projects")" = 401 ] || fail "GET /api/v1/projects without a token"
login=$(python3 -c 'import json,sys; print(json.dumps({"username": "smoke-admin", "password": sys.argv[1]}))' "$password")
[ "$(status -H 'Content-Type: application/json' -d "$login" "$base/api/v1/auth/login")" = 200 ] || fail "sign-in"
auth="Authorization: Bearer $(json '["token"]')"
project='{"code": "SMOKE-0001", "title": "Package smoke test", "kind": "scientific", "status": "implementation", "visibility": "public"}'
[ "$(status -H "$auth" -H 'Content-Type: application/json' -d "$project" "$base/api/v1/projects")" = 201 ] ||
    fail "POST /api/v1/projects: $(cat "$tmp/body")"
[ "$(status -H "$auth" "$base/api/v1/projects/SMOKE-0001")" = 200 ] || fail "GET /api/v1/projects/SMOKE-0001"
[ "$(json '["title"]')" = "Package smoke test" ] || fail "the project read back: $(cat "$tmp/body")"
[ "$(status -H "$auth" "$base/api/v1/me")" = 200 ] && [ "$(json '["username"]')" = smoke-admin ] || fail "GET /api/v1/me"
for file in captrack.db captrack.secret; do
    [ "$(stat -c '%U %a' "$state/$file")" = "captrack 600" ] || fail "$state/$file: $(stat -c '%U %a' "$state/$file")"
done
! grep -q "password:" "$tmp/server.log" || fail "the server made an admin though one existed"
check "healthz, readyz, web page, sign-in, project created and read back; database and secret 0600 captrack's"
kill -TERM "$server"
code=0
wait "$server" || code=$?
server=""
[ "$code" -eq 0 ] || fail "the server exited $code after SIGTERM"
grep -q "stopped in .* every request answered" "$tmp/server.log" || fail "no clean stop in the log"
check "SIGTERM: a clean stop, exit 0"

echo "== package: upgrade, remove, purge"
data_sums() { (cd "$state" && sha256sum captrack.db captrack.secret && stat -c '%n %U %a' . captrack.db captrack.secret); }
data_sums > "$tmp/data.before"
echo "# edited by the package test" >> "$conffile"
DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold "$deb" > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -i again"; }
data_sums | diff "$tmp/data.before" - || fail "installing over itself changed the data"
tail -1 "$conffile" | grep -q "edited by the package test" || fail "installing over itself lost the edit of $conffile"
[ "$(id -u captrack)" = "$uid" ] || fail "installing over itself made the captrack user again"
check "installed again over itself: data, their owner and modes, the edited conffile and the user unchanged"
DEBIAN_FRONTEND=noninteractive dpkg -r captrack > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -r"; }
[ ! -e /usr/bin/captrack ] && [ ! -e "$unit" ] || fail "dpkg -r left the binary or the unit"
data_sums | diff "$tmp/data.before" - || fail "dpkg -r changed the data"
[ -f "$conffile" ] && getent passwd captrack > /dev/null || fail "dpkg -r removed the conffile or the user"
check "dpkg -r: binary and unit gone; the data, the settings and the user kept"
DEBIAN_FRONTEND=noninteractive dpkg --purge captrack > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg --purge"; }
[ ! -e "$conffile" ] || fail "dpkg --purge left $conffile"
data_sums | diff "$tmp/data.before" - || fail "dpkg --purge changed the data"
check "dpkg --purge: settings gone; the data kept (deleted by hand)"
echo "package test passed in $((SECONDS - started)) s"
