#!/usr/bin/env bash
# A throwaway Redis for the cluster tests: loopback only, no persistence, daemonized.
#
#   scripts/redis.sh start    installs redis-server if missing, starts it (idempotent), waits for PING,
#                             prints the connection string (127.0.0.1:PORT) as the last line
#   scripts/redis.sh stop     shuts it down
#   scripts/redis.sh status   prints "running 127.0.0.1:PORT" or "stopped" (exit 0 / 1)
#
# PARLEY_REDIS_PORT (default 26379) and PARLEY_REDIS_DIR (default /tmp/parley-redis) choose the instance.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

port=${PARLEY_REDIS_PORT:-26379}
dir=${PARLEY_REDIS_DIR:-/tmp/parley-redis}
pidfile="$dir/redis-$port.pid"
logfile="$dir/redis-$port.log"

ping() { redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; }

# Alive and not a zombie (a daemonized server's exit may never be reaped inside a container).
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

install() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
  echo "installing redis-server" >&2
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq redis-server redis-tools >/dev/null
  # The Debian package starts a system instance on 6379; this one is ours, that one is not needed.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    $sudo systemctl stop redis-server || true
  fi
}

start() {
  install
  mkdir -p "$dir"
  if ping; then
    echo "127.0.0.1:$port"
    return 0
  fi
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --daemonize yes --pidfile "$pidfile" --logfile "$logfile" --protected-mode yes
  for _ in $(seq 1 100); do
    ping && { echo "127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  echo "redis-server did not answer PING on 127.0.0.1:$port; see $logfile" >&2
  tail -n 20 "$logfile" >&2 || true
  return 1
}

stop() {
  if command -v redis-cli >/dev/null 2>&1 && ping; then
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  fi
  if [ -f "$pidfile" ]; then
    local pid
    pid=$(cat "$pidfile")
    for _ in $(seq 1 50); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$pidfile"
  fi
  echo "stopped"
}

status() {
  if command -v redis-cli >/dev/null 2>&1 && ping; then
    echo "running 127.0.0.1:$port"
  else
    echo "stopped"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
