#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback, for the storage tests and the cluster script.
#
#   scripts/postgres.sh start    initdb when needed, start, wait until ready; last line: the connection string
#   scripts/postgres.sh stop     fast shutdown
#   scripts/postgres.sh status   exit 0 and print the connection string when running, exit 3 when not
#
# Knobs: PARLEY_PG_PORT (default 25432), PARLEY_PG_DIR (default /tmp/parley-pg; data, log and socket).
# Authentication is "trust", and the server listens on 127.0.0.1 only: it is for tests on this
# machine, never for data anyone wants to keep.
set -euo pipefail

PORT=${PARLEY_PG_PORT:-25432}
DIR=${PARLEY_PG_DIR:-/tmp/parley-pg}
BIN=/usr/lib/postgresql/15/bin
DATA="$DIR/data"
LOG="$DIR/postgres.log"
CONNECTION="Host=127.0.0.1;Port=$PORT;Username=postgres"

die() { echo "postgres.sh: $*" >&2; exit 1; }
say() { echo "postgres.sh: $*" >&2; }

# The server refuses to run as root: as root, run its tools as the postgres user. They check the
# current directory, so they run from one every user can enter.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

check_binaries() {
  [ -x "$BIN/pg_ctl" ] && [ -x "$BIN/initdb" ] && [ -x "$BIN/pg_isready" ] ||
    die "PostgreSQL 15 is not installed ($BIN is missing): apt-get install postgresql-15"
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    die "the 'postgres' OS user is missing (it comes with the postgresql-15 package)"
  fi
}

running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; }

init_cluster() {
  mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$DIR"
  fi
  chmod 700 "$DIR"
  as_owner test -w "$DIR" || die "$DIR is not writable by the server's user (is a parent directory closed to it?)"
  [ -f "$DATA/PG_VERSION" ] && return 0
  say "initializing a cluster in $DATA"
  # UTF-8 with the C locale: text round-trips every character, and sorting does not depend on
  # which locales the machine happens to have.
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --encoding=UTF8 --no-locale \
    --auth-local=trust --auth-host=trust >"$DIR/initdb.log" 2>&1 ||
    die "initdb failed, see $DIR/initdb.log"
}

start() {
  check_binaries
  if running; then
    ready || die "a server runs in $DATA but does not answer on 127.0.0.1:$PORT (started with another PARLEY_PG_PORT?)"
    say "already running on 127.0.0.1:$PORT"
    echo "$CONNECTION"
    return 0
  fi
  if ready; then
    die "something else already answers on 127.0.0.1:$PORT: choose another PARLEY_PG_PORT"
  fi
  init_cluster
  # Settings on the command line rather than in the data directory, so a changed knob applies at
  # the next start. max_connections leaves room for several test processes and nodes at once.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories='$DIR' -c max_connections=300" \
    start >/dev/null || die "the server did not start, see $LOG"
  for _ in $(seq 1 60); do
    if ready; then
      say "running on 127.0.0.1:$PORT (data in $DATA, log in $LOG)"
      echo "$CONNECTION"
      return 0
    fi
    sleep 0.5
  done
  die "the server started but does not accept connections on 127.0.0.1:$PORT, see $LOG"
}

stop() {
  check_binaries
  if ! running; then
    say "not running"
    return 0
  fi
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null || die "the server did not stop, see $LOG"
  say "stopped"
}

status() {
  check_binaries
  if running && ready; then
    say "running on 127.0.0.1:$PORT (data in $DATA)"
    echo "$CONNECTION"
    return 0
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
