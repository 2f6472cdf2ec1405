#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: `start` prints its DATABASE_URL, `stop`
# removes it. Installs the server with apt-get where its binaries are missing. initdb refuses to
# run as root, so as root the server runs as the `postgres` user in a folder that user owns.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/var/pgtest.dir"

find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

start() {
  bindir=$(find_bindir)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "PostgreSQL server not found: installing it with apt-get…" >&2
    sudo_ apt-get install -y -q postgresql >&2 || {
      sudo_ apt-get update -q >&2 && sudo_ apt-get install -y -q postgresql >&2; }
    bindir=$(find_bindir)
  fi
  [ -f "$state" ] && stop
  mkdir -p "$root/var"
  dir="$root/var/pgtest"
  # The socket path must stay short and the postgres user must reach it; else use /tmp.
  if [ ${#dir} -gt 80 ] || { [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$root/var"; }; then
    dir=$(mktemp -d /tmp/tierslieux-pg.XXXXXX)
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  echo "$dir" > "$state"
  as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=120" >&2
  echo "postgres://postgres@/tierslieux?host=$dir"
}

stop() {
  [ -f "$state" ] || return 0
  dir=$(cat "$state")
  bindir=$(find_bindir)
  if [ -d "$dir/data" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir" "$dir.initdb.log" "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
