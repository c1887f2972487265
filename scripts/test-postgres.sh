#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the integration tests: initdb in a temporary folder, listening
# on 127.0.0.1 only, trust authentication, its own port.
#   eval "$(scripts/test-postgres.sh start)"   prints PGHOST/PGPORT/PGUSER/PGDATABASE and the folder
#   scripts/test-postgres.sh stop FOLDER        stops it and deletes the folder
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || bin=$(dirname "$(command -v pg_ctl)")

# PostgreSQL refuses to run as root; Debian's package brings a `postgres` user for it.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
    port=${LARAVEL_CRYPTO_PGPORT:-54329}
    # Another cluster (a developer's, another run's) may hold the port: take the next free one.
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    dir=$(mktemp -d /tmp/laravel-crypto-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres LARAVEL_CRYPTO_PGDIR=$dir"
    ;;
stop)
    dir=${2:?folder}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop FOLDER" >&2
    exit 2
    ;;
esac
