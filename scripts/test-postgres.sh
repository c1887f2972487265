#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the integration tests: initdb in a temporary folder, listening
# on 127.0.0.1 only, trust authentication, its own port. TLS is on with a self-signed certificate
# for localhost (LARAVEL_CRYPTO_PGCERT), and the role `tls_only` may connect only over TLS, so the
# sslmode tests can tell a TLS connection from a plain one. The role `cert_only` must present a
# client certificate (`cert` authentication) signed by the cluster's client CA: one is made for it
# (LARAVEL_CRYPTO_PGCLIENTCERT, LARAVEL_CRYPTO_PGCLIENTKEY).
#   eval "$(scripts/test-postgres.sh start)"   prints PGHOST/PGPORT/PGUSER/PGDATABASE, the folder
#                                               and the certificates
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
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost" -keyout "$dir/server.key" -out "$dir/server.crt" 2>/dev/null
    chmod 600 "$dir/server.key"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=laravel-crypto test client CA" \
        -keyout "$dir/client-ca.key" -out "$dir/client-ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=cert_only" -keyout "$dir/client.key" -out "$dir/client.csr" \
        2>/dev/null
    openssl x509 -req -in "$dir/client.csr" -CA "$dir/client-ca.crt" -CAkey "$dir/client-ca.key" \
        -CAcreateserial -days 2 -out "$dir/client.crt" 2>/dev/null
    chmod 600 "$dir/client.key"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/server.key" "$dir/server.crt" "$dir/client-ca.crt"
    hba="$dir/data/pg_hba.conf"
    { echo "hostnossl all tls_only 0.0.0.0/0 reject"; echo "hostssl all cert_only 0.0.0.0/0 cert";
        echo "host all cert_only 0.0.0.0/0 reject"; cat "$hba"; } >"$hba.new"
    mv "$hba.new" "$hba"
    [ "$(id -u)" = 0 ] && chown postgres "$hba"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200 -c ssl=on \
            -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key -c ssl_ca_file=$dir/client-ca.crt" \
        start >/dev/null
    echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres LARAVEL_CRYPTO_PGDIR=$dir" \
        "LARAVEL_CRYPTO_PGCERT=$dir/server.crt LARAVEL_CRYPTO_PGCLIENTCERT=$dir/client.crt" \
        "LARAVEL_CRYPTO_PGCLIENTKEY=$dir/client.key"
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
