#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the loader's tests and benchmark (SPEC.md §11).
#
#   scripts/pg-test-cluster.sh start [ENV_FILE]   # initdb + start; writes ENV_FILE (sourceable)
#   scripts/pg-test-cluster.sh stop  [ENV_FILE]   # stop the server, remove its folder and ENV_FILE
#   scripts/pg-test-cluster.sh status [ENV_FILE]
#
# ENV_FILE defaults to $MICS_PG_ENV or /tmp/mics-pg-test.env. The cluster lives in a new
# temporary folder (data, log, unix socket, TLS key and certificate), listens on 127.0.0.1 only
# on a free port, logs a test role in with a password (scram-sha-256) over TCP, and has
# ssl=on with a self-signed certificate so that sslmode=require can be tested. Durability is
# off (fsync, synchronous_commit, full_page_writes): the data is thrown away anyway.
#
# The env file exports:
#   MICS_TEST_DATABASE_URL       postgres://mics_test:PASSWORD@127.0.0.1:PORT/mics_test?sslmode=disable
#   MICS_TEST_DATABASE_URL_TLS   the same with sslmode=require
#   MICS_TEST_PGHOST MICS_TEST_PGPORT MICS_TEST_PGUSER MICS_TEST_PGPASSWORD MICS_TEST_PGDATABASE
#   MICS_TEST_PGSOCKET           the unix-socket folder (superuser `postgres`, trust, for admin and psql)
#   MICS_TEST_PGDIR              the cluster's folder (removed by stop)
#
# Works as root on a fresh Debian machine (after `apt-get install -y postgresql openssl python3`):
# the server then runs as the `postgres` user. As another user it runs as that user.
set -euo pipefail

cmd="${1:-}"
env_file="${2:-${MICS_PG_ENV:-/tmp/mics-pg-test.env}}"

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

pg_bin() {
    local dir
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    done
    die "initdb not found: apt-get install -y postgresql"
}

# Runs a command as the server's owner (postgres when we are root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start() {
    if [ -f "$env_file" ]; then
        # shellcheck disable=SC1090
        . "$env_file"
        if [ -n "${MICS_TEST_PGDIR:-}" ] && as_owner "$(pg_bin)/pg_ctl" -D "$MICS_TEST_PGDIR/data" status >/dev/null 2>&1; then
            die "a cluster is already running ($env_file); stop it first"
        fi
        rm -f "$env_file"
    fi
    command -v openssl >/dev/null 2>&1 || die "openssl not found: apt-get install -y openssl"
    command -v python3 >/dev/null 2>&1 || die "python3 not found: apt-get install -y python3"
    local bin dir password port attempt
    bin="$(pg_bin)"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/mics-pg.XXXXXX")"
    chmod 755 "$dir"
    password="$(openssl rand -hex 16)"

    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=localhost" \
        -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1 \
        || die "openssl could not make the self-signed certificate"
    chmod 600 "$dir/server.key"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"

    # Superuser `postgres`: trust on the unix socket only. TCP: scram passwords.
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    cat >>"$dir/data/postgresql.conf" <<EOF

# pg-test-cluster.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF

    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port" start >/dev/null 2>&1; then
            break
        fi
        port=""
        tail -5 "$dir/server.log" >&2 || true
    done
    [ -n "$port" ] || die "the server did not start (log: $dir/server.log)"
    # The port is fixed in the config, so that `pg_ctl stop`/`status` need no -o.
    echo "port = $port" >>"$dir/data/postgresql.conf"

    # The test role and its database; the password goes through psql's variable quoting.
    as_owner "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -v pw="$password" <<'SQL' >/dev/null
CREATE ROLE mics_test LOGIN CREATEDB PASSWORD :'pw';
CREATE DATABASE mics_test OWNER mics_test;
SQL

    local url="postgres://mics_test:$password@127.0.0.1:$port/mics_test"
    umask 077
    cat >"$env_file" <<EOF
export MICS_TEST_DATABASE_URL='$url?sslmode=disable'
export MICS_TEST_DATABASE_URL_TLS='$url?sslmode=require'
export MICS_TEST_PGHOST='127.0.0.1'
export MICS_TEST_PGPORT='$port'
export MICS_TEST_PGUSER='mics_test'
export MICS_TEST_PGPASSWORD='$password'
export MICS_TEST_PGDATABASE='mics_test'
export MICS_TEST_PGSOCKET='$dir'
export MICS_TEST_PGDIR='$dir'
EOF
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (folder $dir)"
    echo "env: . $env_file"
}

stop() {
    [ -f "$env_file" ] || { echo "pg-test-cluster: no cluster ($env_file missing)"; return 0; }
    # shellcheck disable=SC1090
    . "$env_file"
    local dir="${MICS_TEST_PGDIR:-}"
    [ -n "$dir" ] && [ -d "$dir" ] || { rm -f "$env_file"; return 0; }
    case "$dir" in */mics-pg.*) ;; *) die "refusing to remove $dir" ;; esac
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    rm -f "$env_file"
    echo "stopped; removed $dir"
}

status() {
    [ -f "$env_file" ] || { echo "no cluster"; return 3; }
    # shellcheck disable=SC1090
    . "$env_file"
    as_owner "$(pg_bin)/pg_ctl" -D "$MICS_TEST_PGDIR/data" status
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status [ENV_FILE]" >&2; exit 64 ;;
esac
