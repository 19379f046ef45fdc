#!/bin/sh
# A throwaway PostgreSQL server for tests.
#   pg-fixture.sh start DIR PORT   initdb in DIR/data, listen on 127.0.0.1:PORT with the
#                                  socket in DIR, create database "parlance" owned by
#                                  superuser "parlance" (trust auth, no password)
#   pg-fixture.sh stop DIR PORT    stop the server and delete DIR; harmless when nothing runs
# PostgreSQL refuses to run as root, so as root the server runs as the "postgres" user
# (DESIGN.md §3). Test-only settings: fsync off (a crash of the *machine* may lose the
# test data, which is fine; PARLANCE_PG_FSYNC=on for benchmarks), many connections for
# parallel tests.
set -eu

action=${1:?usage: pg-fixture.sh start|stop DIR PORT}
dir=${2:?missing DIR}
port=${3:?missing PORT}

bindir=${PARLANCE_PG_BINDIR:-}
if [ -z "$bindir" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/pg_ctl" ] && bindir=$candidate
    done
fi
if [ -z "$bindir" ] && command -v pg_ctl >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v pg_ctl)")
fi
[ -n "$bindir" ] || { echo "pg-fixture: no PostgreSQL server binaries found" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_server() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "$action" in
start)
    stop_server # a server left over from an interrupted run
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
    fi
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U parlance -E UTF8 --no-sync \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${PARLANCE_PG_FSYNC:-off} -c full_page_writes=${PARLANCE_PG_FSYNC:-off} -c max_connections=300" \
        start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U parlance parlance
    echo "pg-fixture: postgresql://parlance@127.0.0.1:$port/parlance (data in $dir)"
    ;;
stop)
    stop_server
    ;;
*)
    echo "usage: pg-fixture.sh start|stop DIR PORT" >&2
    exit 2
    ;;
esac
