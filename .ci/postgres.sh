#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 16), usable by CI and by hand.
#
#   eval "$(bash .ci/postgres.sh start)"   # installs PostgreSQL if missing, starts a cluster, prints exports
#   bash .ci/postgres.sh restart "$E2ECHAT_POSTGRES_DIR"   # fast shutdown and start (used by a fault test)
#   bash .ci/postgres.sh stop "$E2ECHAT_POSTGRES_DIR"      # stops it and deletes the directory
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 only (a free port) and on a Unix
# socket inside that directory, trusts local connections (nothing else can reach it) and runs as a
# non-root user: initdb and postgres refuse root, so as root the cluster runs as the `postgres` user
# (created by Debian's package) or, failing that, a system user `e2echat-pg` created here.
# `start` prints the connection string as E2ECHAT_POSTGRES (the admin database; tests create their
# own schemas and databases in it) and the directory as E2ECHAT_POSTGRES_DIR. It exits non-zero when
# the cluster cannot start: CI then fails, since the PostgreSQL tests require E2ECHAT_POSTGRES.
set -euo pipefail

# The oldest major version whose features the store uses (ON CONFLICT, RETURNING, NOTIFY payloads).
readonly MIN_MAJOR=12

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
            echo "$dir"
            return 0
        fi
    done

    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi

    return 1
}

install_postgres() {
    echo "PostgreSQL not found; installing Debian's postgresql package" >&2
    if [[ $(id -u) -ne 0 ]]; then
        echo "not root: install PostgreSQL (Debian: apt-get install postgresql) and run this again" >&2
        return 1
    fi

    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
}

# The user the server runs as: ourselves unless we are root.
run_as_user() {
    if [[ $(id -u) -ne 0 ]]; then
        id -un
        return 0
    fi

    if id postgres >/dev/null 2>&1; then
        echo postgres
        return 0
    fi

    if ! id e2echat-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin e2echat-pg >&2
    fi

    echo e2echat-pg
}

as_user() {
    local user=$1
    shift
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then
            echo "$port"
            return 0
        fi
    done

    return 1
}

start() {
    local bindir user dir port major
    bindir=$(find_bindir) || { install_postgres && bindir=$(find_bindir); } || { echo "PostgreSQL is not available" >&2; return 1; }
    major=$("$bindir/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
    if [[ $major -lt $MIN_MAJOR ]]; then
        echo "PostgreSQL $major is too old (need $MIN_MAJOR or later)" >&2
        return 1
    fi

    user=$(run_as_user)
    # /tmp, not $TMPDIR: the server's user must be able to reach it.
    dir=$(mktemp -d /tmp/e2echat-pg.XXXXXX)
    chmod 0755 "$dir"
    mkdir "$dir/data" "$dir/socket"
    chown -R "$user" "$dir"
    echo "$bindir" >"$dir/bindir"
    echo "$user" >"$dir/user"
    as_user "$user" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }

    # A test cluster: fsync stays on (fault tests restart it and expect what was committed), enough
    # connections for three relay nodes and the tests, and a fast checkpoint for quick restarts.
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
max_connections = 300
shared_buffers = 128MB
synchronous_commit = on
logging_collector = off
EOF

    local attempt
    for attempt in 1 2 3 4 5; do
        port=$(free_port) || continue
        echo "$port" >"$dir/port"
        if as_user "$user" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >&2; then
            echo "export E2ECHAT_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
            echo "export E2ECHAT_POSTGRES_DIR='$dir'"
            echo "PostgreSQL $major started on 127.0.0.1:$port in $dir as $user" >&2
            return 0
        fi

        echo "start attempt $attempt on port $port failed:" >&2
        tail -n 5 "$dir/server.log" >&2 || true
    done

    return 1
}

pg_ctl_in() {
    local dir=$1
    shift
    as_user "$(cat "$dir/user")" "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" "$@"
}

restart() {
    local dir=${1:?directory}
    pg_ctl_in "$dir" -m fast -w -t 60 stop >&2
    pg_ctl_in "$dir" -l "$dir/server.log" -o "-p $(cat "$dir/port")" -w -t 60 start >&2
}

stop() {
    local dir=${1:?directory}
    [[ -d $dir ]] || return 0
    if [[ -f $dir/data/postmaster.pid ]]; then
        pg_ctl_in "$dir" -m fast -w -t 60 stop >&2 || pg_ctl_in "$dir" -m immediate -w -t 30 stop >&2 || true
    fi

    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    restart) restart "${2:-}" ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 start | restart DIR | stop DIR" >&2; exit 2 ;;
esac
