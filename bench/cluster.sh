#!/usr/bin/env bash
# Parley as a cluster, measured: idle sessions over 3 nodes, cross-node delivery latency, the
# same fan-out load on 1 node and on 3 nodes, and IM chat between users on different nodes.
# Everything runs on this machine, on 127.0.0.x.
#
#   bench/cluster.sh                      every phase (15-20 minutes)
#   QUICK=1 bench/cluster.sh              small and short (a check that the script works)
#   ONLY="sessions latency scaling chat"  a subset of the phases
#
# It brings up its own cluster with scripts/cluster.sh and its own ports and directories (below),
# so it never touches another cluster on the machine, and brings it down at the end (also on
# failure). Each measurement starts from freshly started nodes, so memory per session is measured
# from a clean heap. It writes docs/benchmarks/cluster-*.json and cluster-*.txt (OUT=DIR to write
# elsewhere), each node's /metrics after each phase (cluster-*.metrics.txt), the tables
# (cluster-results.md) and a chart (cluster-scaling.png) drawn by bench/Parley.Bench.Charts.
# Node logs of each phase are kept in $PARLEY_CLUSTER_DIR/logs/.
#
# Environment: SESSIONS_PER_NODE (16000), SESSION_PROCS (4), CLIENTS (1000), ROOMS (10),
# LATENCY_RATE (200), SCALING_RATES ("250 500 1000"), DURATION (20), CHAT_USERS (1000),
# CHAT_RATE (500), LOCAL_ADDRS (8), OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Our own cluster: never the lead's (8080/5181/25433/26380) or the test suites' instances.
export PARLEY_CLUSTER_DIR=${PARLEY_CLUSTER_DIR:-/tmp/parley-bench-cluster}
export PARLEY_CLUSTER_PORT=${PARLEY_CLUSTER_PORT:-18080}
export PARLEY_CLUSTER_NODE_PORT=${PARLEY_CLUSTER_NODE_PORT:-18181}
export PARLEY_PG_PORT=${PARLEY_PG_PORT:-15433}
export PARLEY_REDIS_PORT=${PARLEY_REDIS_PORT:-16380}
case "$PARLEY_CLUSTER_DIR" in /tmp/?*) ;; *) echo "PARLEY_CLUSTER_DIR must be under /tmp (it is wiped between phases)" >&2; exit 2 ;; esac
# Always inside our directory, whatever the environment says: they are wiped between phases.
export PARLEY_PG_DIR=$PARLEY_CLUSTER_DIR/postgres
export PARLEY_REDIS_DIR=$PARLEY_CLUSTER_DIR/redis
# Open benchmark channels, no per-browser or per-session publish limits, cheap password hashing
# (the chat phase registers its users quickly), quiet logs.
export PARLEY_NODE_ARGS=${PARLEY_NODE_ARGS:---Bayeux:AllowAnonymous=true --Bayeux:OpenChannels:0=/bench/** --Bayeux:MaxSessionsPerBrowser=-1 --Bayeux:PublishRatePerSecond=0 --Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1 --Logging:LogLevel:Default=Warning}

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  SESSIONS_PER_NODE=${SESSIONS_PER_NODE:-500}; SESSION_PROCS=${SESSION_PROCS:-2}; CLIENTS=${CLIENTS:-150}
  LATENCY_RATE=${LATENCY_RATE:-50}; SCALING_RATES=${SCALING_RATES:-100}; DURATION=${DURATION:-5}; HOLD=${HOLD:-3}
  CHAT_USERS=${CHAT_USERS:-60}; CHAT_RATE=${CHAT_RATE:-50}
else
  SESSIONS_PER_NODE=${SESSIONS_PER_NODE:-16000}; SESSION_PROCS=${SESSION_PROCS:-4}; CLIENTS=${CLIENTS:-1000}
  LATENCY_RATE=${LATENCY_RATE:-200}; SCALING_RATES=${SCALING_RATES:-250 500 1000}; DURATION=${DURATION:-20}; HOLD=${HOLD:-10}
  CHAT_USERS=${CHAT_USERS:-1000}; CHAT_RATE=${CHAT_RATE:-500}
fi
ROOMS=${ROOMS:-10}                 # coprime with 3, so every room has subscribers on every node
LOCAL_ADDRS=${LOCAL_ADDRS:-8}
NODES=${NODES:-3}
ONLY=${ONLY:-sessions latency scaling chat}
OUT=${OUT:-docs/benchmarks}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SUMMARY="$OUT/cluster-summary.txt"
BENCH=(dotnet "$repo/bench/Parley.Bench/bin/Release/net10.0/Parley.Bench.dll")
dir=$PARLEY_CLUSTER_DIR

say() { echo "==> $*" >&2; }

cluster_down() {
  local nginx_pid
  nginx_pid=$(cat "$dir/nginx/nginx.pid" 2>/dev/null || true)
  scripts/cluster.sh down >/dev/null 2>&1 || true
  # `down` asks nginx to quit and returns at once; the next `up` must find its port free.
  if [ -n "$nginx_pid" ]; then
    for _ in $(seq 1 40); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.25; done
  fi
}
trap 'cluster_down; keep_logs' EXIT

phase=setup
keep_logs() { # the nodes' logs of the phase that ends
  mkdir -p "$dir/logs"
  local f
  for f in "$dir"/node*.log; do [ -f "$f" ] && mv "$f" "$dir/logs/$phase-$(basename "$f")"; done
  return 0
}

wait_ports_free() { # nodes
  local filter="sport = :$PARLEY_CLUSTER_PORT or sport = :$PARLEY_PG_PORT or sport = :$PARLEY_REDIS_PORT" i
  for i in $(seq 1 "$1"); do filter+=" or sport = :$((PARLEY_CLUSTER_NODE_PORT + i - 1))"; done
  for _ in $(seq 1 90); do
    [ -z "$(ss -Htan "( $filter )" 2>/dev/null)" ] && return 0
    sleep 1
  done
  say "ports still in use: $(ss -Htan "( $filter )" | head -n 3 | tr -s ' ' | tr '\n' ';')"
}

cluster_up() { # nodes phase
  cluster_down
  keep_logs
  phase=$2
  # A fresh database and Redis too: nothing of an earlier run is left for the nodes to load.
  rm -rf "$PARLEY_PG_DIR" "$PARLEY_REDIS_DIR" "$dir/shared"
  # The ports are inside Linux's ephemeral range (32768-60999): a client socket of an earlier phase
  # (in TIME-WAIT for 60 s) or a node's own connection to Redis may hold one as its local port.
  local try
  for try in 1 2 3; do
    wait_ports_free "$1"
    scripts/cluster.sh up "$1" >/dev/null && break
    say "cluster did not come up (try $try): $(tail -n 1 "$dir/nginx/error.log" 2>/dev/null)"
    cluster_down
    [ "$try" -lt 3 ] || { echo "the cluster does not come up" >&2; exit 1; }
  done
  for i in $(seq 1 "$1"); do
    [ -f "$dir/node$i.pid" ] || { echo "node $i did not start" >&2; exit 1; }
  done
  sleep 2 # let the runtimes settle after start-up before memory is sampled
}

node_urls() { # nodes -> http://127.0.0.1:P/cometd,...
  local list="" i
  for i in $(seq 1 "$1"); do list+="${list:+,}http://127.0.0.1:$((PARLEY_CLUSTER_NODE_PORT + i - 1))/cometd"; done
  echo "$list"
}

node_pids() { # nodes -> pid,pid,...
  local list="" i
  for i in $(seq 1 "$1"); do list+="${list:+,}$(cat "$dir/node$i.pid")"; done
  echo "$list"
}

# Redis, nginx and PostgreSQL: CPU only (the generator adds nginx's workers and PostgreSQL's backends).
other_pids() {
  local list="" p
  p=$(cat "$PARLEY_REDIS_DIR/redis-$PARLEY_REDIS_PORT.pid" 2>/dev/null || true)
  [ -n "$p" ] && list+=",redis=$p"
  p=$(cat "$dir/nginx/nginx.pid" 2>/dev/null || true)
  [ -n "$p" ] && list+=",nginx=$p"
  p=$(head -n 1 "$PARLEY_PG_DIR/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$p" ] && list+=",postgres=$p"
  echo "${list#,}"
}

# Each node's /metrics after a run (sessions, deliveries, drops, backplane), for the record.
node_metrics() { # nodes name
  local i
  for i in $(seq 1 "$1"); do
    echo "## node$i"
    curl -s --max-time 5 "http://127.0.0.1:$((PARLEY_CLUSTER_NODE_PORT + i - 1))/metrics" | grep -E '^(bayeux|parley|process|dotnet)_' | grep -vE '_bucket\{' || true
  done >"$OUT/cluster-$2.metrics.txt"
}

# During a connections run: every node's /metrics at the moment the most sessions were open.
peak_metrics() { # nodes name
  local best=-1 n
  while true; do
    node_metrics "$1" "$2.sample" 2>/dev/null
    n=$(awk '/^bayeux_sessions /{s+=$2} END{print s+0}' "$OUT/cluster-$2.sample.metrics.txt")
    if [ "$n" -gt "$best" ]; then best=$n; mv "$OUT/cluster-$2.sample.metrics.txt" "$OUT/cluster-$2.metrics.txt"; fi
    sleep 3
  done
}

run() { # name timeout-seconds scenario args...
  local name=$1 limit=$2
  shift 2
  say "$name: uptime $(uptime | sed 's/.*load average/load average/')"
  echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load average/load average/')" >"$OUT/cluster-$name.txt"
  echo "# ${BENCH[*]##*/} $*" >>"$OUT/cluster-$name.txt"
  local rc=0
  timeout --kill-after=15 "$limit" "${BENCH[@]}" "$@" --json "$OUT/cluster-$name.json" | tee -a "$OUT/cluster-$name.txt" || rc=$?
  echo "# after: $(uptime | sed 's/.*load average/load average/')" >>"$OUT/cluster-$name.txt"
  [ "$rc" -eq 0 ] || say "$name: the generator exited with $rc"
  return 0
}

say "building (Release)"
dotnet build -c Release bench/Parley.Bench -v q -nologo >/dev/null
cluster_down
rm -f "$dir"/node*.log
say "load at start: $(uptime | sed 's/.*load average: //')"

if [[ " $ONLY " == *" sessions "* ]]; then
  target=$((SESSIONS_PER_NODE * NODES))
  for transport in websocket long-polling; do
    cluster_up "$NODES" "sessions-$transport"
    peak_metrics "$NODES" "sessions-$transport" &
    sampler=$!
    run "sessions-$transport" 900 connections --url "$(node_urls "$NODES")" --transport "$transport" \
      --target "$target" --rooms "$ROOMS" --hold "$HOLD" --settle 5 --processes "$SESSION_PROCS" \
      --local-addrs "$LOCAL_ADDRS" --setup-concurrency 100 --server-pid "$(node_pids "$NODES")" --other-pids "$(other_pids)"
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    rm -f "$OUT/cluster-sessions-$transport.sample.metrics.txt"
  done
fi

if [[ " $ONLY " == *" latency "* ]]; then
  # Publishers on node 1 only; subscribers round-robin over the 3 nodes: a third of the
  # deliveries are same-node (the baseline), two thirds cross Redis.
  cluster_up "$NODES" latency
  for transport in websocket long-polling; do
    run "latency-$transport" 300 fanout --url "$(node_urls "$NODES")" --transport "$transport" --publish-on first \
      --clients "$CLIENTS" --rooms "$ROOMS" --rate "$LATENCY_RATE" --duration "$DURATION" --drain 10 \
      --processes 2 --local-addrs "$LOCAL_ADDRS" --server-pid "$(node_pids "$NODES")" --other-pids "$(other_pids)"
  done
  node_metrics "$NODES" latency
fi

if [[ " $ONLY " == *" scaling "* ]]; then
  for nodes in 1 "$NODES"; do
    cluster_up "$nodes" "scaling-${nodes}node"
    for rate in $SCALING_RATES; do
      run "scaling-${nodes}node-$rate" 300 fanout --url "$(node_urls "$nodes")" --transport websocket \
        --clients "$CLIENTS" --rooms "$ROOMS" --rate "$rate" --duration "$DURATION" --drain 10 \
        --processes 2 --local-addrs "$LOCAL_ADDRS" --server-pid "$(node_pids "$nodes")" --other-pids "$(other_pids)"
    done
    node_metrics "$nodes" "scaling-${nodes}node"
  done
fi

if [[ " $ONLY " == *" chat "* ]]; then
  # Parley IM across nodes: the two users of each pair are on different nodes; every message is
  # stored in PostgreSQL, then reaches the peer's node through Redis; the sync check at the end
  # reads every conversation back.
  cluster_up "$NODES" chat
  for transport in websocket long-polling; do
    run "chat-$transport" 300 chat --url "$(node_urls "$NODES")" --transport "$transport" \
      --users "$CHAT_USERS" --rate "$CHAT_RATE" --duration "$DURATION" --local-addrs "$LOCAL_ADDRS" \
      --server-pid "$(node_pids "$NODES")" --other-pids "$(other_pids)"
  done
  node_metrics "$NODES" chat
fi

cluster_down
keep_logs
trap - EXIT
say "load at end: $(uptime | sed 's/.*load average: //')"

# The summary, from every run recorded in OUT (a partial run with ONLY keeps the others' figures):
# the load average around each run, the warnings and errors each phase's nodes logged (they log at
# Warning level; logs in $dir/logs), and the tables.
{
  echo "Parley cluster benchmark on $(nproc) cores, $(uname -r); written $(date -u +%FT%TZ)"
  echo
  echo "1/5/15-min load average before and after each run (the runs themselves raise it: it counts runnable threads):"
  for f in "$OUT"/cluster-*.txt; do
    grep -q '^# after:' "$f" || continue # a run of this script (not the summary or a note)
    echo "  $(basename "$f" .txt): $(sed -n 1p "$f" | sed 's/^# //;s/ load average:/, load/') -> $(grep '^# after:' "$f" | sed 's/.*load average: //')"
  done
  echo
  echo "Warnings and errors in the node logs, by phase:"
  for f in "$dir"/logs/*.log; do
    [ -f "$f" ] || continue
    echo "  $(basename "$f" .log): $(grep -cE '^(fail|crit|warn):' "$f" || true)$(grep -hE -A1 '^(fail|crit|warn):' "$f" | grep -v -- '^--' | sed -n 2p | sed 's/^ */ — /' | cut -c1-160)"
  done
  echo
} >"$SUMMARY"

# The tables and the chart (ScottPlot; Skia needs a TrueType font: fonts-dejavu-core).
dotnet build -c Release bench/Parley.Bench.Charts -v q -nologo >/dev/null
dotnet bench/Parley.Bench.Charts/bin/Release/net10.0/Parley.Bench.Charts.dll "$OUT" --cluster
cat "$OUT/cluster-results.md" >>"$SUMMARY"
cat "$SUMMARY"
say "done: $OUT/cluster-*"
