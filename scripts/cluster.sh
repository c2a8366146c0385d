#!/usr/bin/env bash
# A Parley cluster on this machine: PostgreSQL, Redis, N Parley nodes and nginx in front, all on
# 127.0.0.1.
#
#   scripts/cluster.sh up [N]     start everything (N nodes, default 3); idempotent
#   scripts/cluster.sh down       stop nginx, the nodes, Redis and PostgreSQL
#   scripts/cluster.sh status     what runs, and each node's readiness
#   scripts/cluster.sh kill I     SIGKILL node I (failure drills)
#   scripts/cluster.sh start I    start node I again
#
# Open http://127.0.0.1:8080 once it is up. Knobs (environment):
#   PARLEY_CLUSTER_DIR        state, logs, shared files (default /tmp/parley-cluster)
#   PARLEY_CLUSTER_PORT       nginx's port (default 8080)
#   PARLEY_CLUSTER_NODE_PORT  node 1's port; node I listens on NODE_PORT+I-1 (default 5181)
#   PARLEY_NODE_ARGS          extra command-line configuration for every node
#   PARLEY_PG_PORT / PARLEY_REDIS_PORT  (defaults 25433 / 26380, apart from the test instances;
#   every fixed port of the repo is below 32768, outside Linux's ephemeral range, so no client
#   socket can hold it when a server wants to bind)
#   PARLEY_PG_POOL            connections per node to PostgreSQL (default 40)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DEBIAN_FRONTEND=noninteractive DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

dir=${PARLEY_CLUSTER_DIR:-/tmp/parley-cluster}
http_port=${PARLEY_CLUSTER_PORT:-8080}
node_port=${PARLEY_CLUSTER_NODE_PORT:-5181}
export PARLEY_PG_PORT=${PARLEY_PG_PORT:-25433} PARLEY_PG_DIR=${PARLEY_PG_DIR:-$dir/postgres}
export PARLEY_REDIS_PORT=${PARLEY_REDIS_PORT:-26380} PARLEY_REDIS_DIR=${PARLEY_REDIS_DIR:-$dir/redis}
dll="$repo/src/Parley.Server/bin/Release/net10.0/Parley.Server.dll"

say() { echo "cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

nodes_file="$dir/nodes"
node_count() { [ -f "$nodes_file" ] && cat "$nodes_file" || echo 0; }
port_of() { echo $((node_port + $1 - 1)); }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

build() {
  if [ ! -f "$dll" ] || [ -n "$(find src web -newer "$dll" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.ts' -o -name '*.css' -o -name '*.html' -o -name '*.sql' \) -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/node_modules/*' -print -quit 2>/dev/null)" ]; then
    say "building the server (Release)"
    dotnet build src/Parley.Server -c Release -nologo -clp:ErrorsOnly >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; die "build failed"; }
  fi
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  say "installing nginx"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq nginx-light >/dev/null 2>&1 || $sudo apt-get install -y -qq nginx >/dev/null
  # The package may start a system instance on port 80; ours runs with its own configuration.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then $sudo systemctl stop nginx || true; fi
  pkill -f 'nginx: master process /usr/sbin/nginx -g' 2>/dev/null || true
}

start_node() { # index
  local i=$1 port
  port=$(port_of "$i")
  if pid_alive "$dir/node$i.pid"; then return 0; fi
  # shellcheck disable=SC2086 # PARLEY_NODE_ARGS is a list of arguments
  (cd src/Parley.Server && exec dotnet "$dll" --urls "http://127.0.0.1:$port" \
      --Storage:Postgres="$pg" --Cluster:Redis="$redis" --Cluster:NodeId="node$i" \
      --Parley:DataDirectory="$dir/shared" ${PARLEY_NODE_ARGS:-}) >>"$dir/node$i.log" 2>&1 &
  echo $! >"$dir/node$i.pid"
}

wait_ready() { # index
  local port
  port=$(port_of "$1")
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    pid_alive "$dir/node$1.pid" || { tail -n 30 "$dir/node$1.log" >&2; die "node $1 exited"; }
    sleep 0.5
  done
  tail -n 30 "$dir/node$1.log" >&2
  die "node $1 did not become ready"
}

write_nginx_conf() { # count
  mkdir -p "$dir/nginx/tmp"
  local servers="" i
  for i in $(seq 1 "$1"); do servers+="    server 127.0.0.1:$(port_of "$i") max_fails=1 fail_timeout=3s;"$'\n'; done
  cat >"$dir/nginx/nginx.conf" <<EOF
# Written by scripts/cluster.sh. Each process may hold 20,000 descriptors and a proxied
# connection costs two, so several workers share the clients.
worker_processes 4;
worker_rlimit_nofile 19000;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 9000; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/tmp/body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;

  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  # Sticky: a browser gets a random parley_lb cookie with its first page and stays on the node
  # that cookie hashes to; clients without cookies stay by address. When that node is down,
  # the consistent hash moves only its clients, which re-handshake on another node and sync.
  map \$cookie_parley_lb \$parley_key { '' \$remote_addr; default \$cookie_parley_lb; }
  map \$cookie_parley_lb \$parley_lb_cookie { '' "parley_lb=\$request_id; Path=/; HttpOnly; SameSite=Lax"; default ''; }

  upstream parley {
    hash \$parley_key consistent;
$servers    keepalive 64;
  }

  server {
    listen 127.0.0.1:$http_port;
    client_max_body_size 64m;
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A held long-poll lasts the Bayeux timeout (25 s by default); websockets ping every 30 s.
      proxy_read_timeout 90s;
      proxy_send_timeout 90s;
      proxy_connect_timeout 2s;
      # Long-poll answers, server-sent events and uploads pass through at once.
      proxy_buffering off;
      proxy_request_buffering off;
      add_header Set-Cookie \$parley_lb_cookie always;
    }
  }
}
EOF
}

up() {
  local count=${1:-3}
  [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] || die "N must be a positive number"
  mkdir -p "$dir/shared"
  ensure_nginx
  # Each node's pool stays well under PostgreSQL's max_connections (300 in scripts/postgres.sh):
  # Npgsql's default of 100 per node fills it with three nodes under load.
  pg="$(scripts/postgres.sh start | tail -n 1);Maximum Pool Size=${PARLEY_PG_POOL:-40}"
  redis=$(scripts/redis.sh start | tail -n 1)
  build
  echo "$count" >"$nodes_file"
  local i
  for i in $(seq 1 "$count"); do start_node "$i"; done
  for i in $(seq 1 "$count"); do wait_ready "$i"; done
  write_nginx_conf "$count"
  if pid_alive "$dir/nginx/nginx.pid"; then
    nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s reload
  else
    nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf"
  fi
  for _ in $(seq 1 40); do curl -sf "http://127.0.0.1:$http_port/health/live" >/dev/null 2>&1 && break; sleep 0.25; done
  say "up: $count nodes on ports $(port_of 1)..$(port_of "$count"), PostgreSQL $pg, Redis $redis"
  echo "http://127.0.0.1:$http_port"
}

stop_node() { # index
  local pidfile="$dir/node$1.pid"
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

down() {
  if pid_alive "$dir/nginx/nginx.pid"; then
    local nginx_pid
    nginx_pid=$(cat "$dir/nginx/nginx.pid")
    nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s quit || true
    # `-s quit` returns at once; an `up` right after must find the port free.
    for _ in $(seq 1 40); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.25; done
  fi
  local i
  for i in $(seq 1 "$(node_count)"); do stop_node "$i"; done
  scripts/redis.sh stop >/dev/null 2>&1 || true
  scripts/postgres.sh stop >/dev/null 2>&1 || true
  rm -f "$nodes_file"
  say "down"
}

status() {
  local count i port state
  count=$(node_count)
  [ "$count" -gt 0 ] || { echo "cluster: down"; return 3; }
  if pid_alive "$dir/nginx/nginx.pid"; then echo "nginx     http://127.0.0.1:$http_port  running"; else echo "nginx     stopped"; fi
  for i in $(seq 1 "$count"); do
    port=$(port_of "$i")
    if ! pid_alive "$dir/node$i.pid"; then state="stopped"
    elif curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then state="ready"
    else state="not ready"; fi
    echo "node$i     http://127.0.0.1:$port  $state"
  done
  echo "postgres  $(scripts/postgres.sh status 2>/dev/null | tail -n 1 || echo stopped)"
  echo "redis     $(scripts/redis.sh status 2>/dev/null | tail -n 1 || echo stopped)"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  down) down ;;
  status) status ;;
  kill)
    [ -n "${2:-}" ] || die "which node?"
    pid_alive "$dir/node$2.pid" && kill -KILL "$(cat "$dir/node$2.pid")"
    rm -f "$dir/node$2.pid"
    say "node $2 killed" ;;
  start)
    [ -n "${2:-}" ] || die "which node?"
    pg="$(scripts/postgres.sh status | tail -n 1);Maximum Pool Size=${PARLEY_PG_POOL:-40}"
    redis="127.0.0.1:$PARLEY_REDIS_PORT"
    start_node "$2"
    wait_ready "$2"
    say "node $2 started" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
