#!/usr/bin/env bash
# Parley side by side with Faye (npm faye 1.4.3) on this machine, in one run.
#
#   bench/compare.sh                 everything below with the defaults
#   QUICK=1 bench/compare.sh         small and short (a check that the script works)
#
# Starts each server fresh for each scenario (so memory per session is measured from a clean
# heap), runs the same generator against both, and writes JSON, a markdown table and PNG charts
# (latency percentiles vs offered rate per transport, server memory vs sessions) into
# docs/benchmarks/. Environment: CLIENTS ROOMS RATE DURATION WARMUP TARGET P99_BOUND LOCAL_ADDRS
# OUT, CHAT_RATE (default 2 × RATE), LIMIT_RATE and STEP_FACTOR (the find-limit ladder: LIMIT_RATE, ×STEP_FACTOR, … messages/s),
# and CONN_TARGETS="2000 6000" for extra connections runs (more points on the memory chart).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  CLIENTS=${CLIENTS:-200}; RATE=${RATE:-200}; DURATION=${DURATION:-5}; TARGET=${TARGET:-500}; MAX_STEPS=${MAX_STEPS:-2}; WARMUP=${WARMUP:-2}
else
  CLIENTS=${CLIENTS:-1000}; RATE=${RATE:-1000}; DURATION=${DURATION:-30}; TARGET=${TARGET:-18000}; MAX_STEPS=${MAX_STEPS:-8}; WARMUP=${WARMUP:-10}
fi
# The ladder starts low enough for both servers to hold a step, so the ratio of what each held
# is a number, not "nothing held".
LIMIT_RATE=${LIMIT_RATE:-100}
CHAT_RATE=${CHAT_RATE:-$(( RATE * 2 ))}
STEP_FACTOR=${STEP_FACTOR:-2}
ROOMS=${ROOMS:-10}
P99_BOUND=${P99_BOUND:-250}
LOCAL_ADDRS=${LOCAL_ADDRS:-4}
PARLEY_PORT=${PARLEY_PORT:-5095}
FAYE_PORT=${FAYE_PORT:-5096}
OUT=${OUT:-docs/benchmarks}
mkdir -p "$OUT"
# Each generator process stays under the 20,000-descriptor cap.
PROCS=$(( (TARGET + 17999) / 18000 ))

# The charts need a font with text glyphs; Debian's DejaVu is enough.
if ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
  echo "==> installing fonts-dejavu-core (chart labels)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null || echo "warning: charts will have no text" >&2
fi

echo "==> building (Release)"
dotnet build -c Release src/Parley.Server -v q -nologo >/dev/null
dotnet build -c Release bench/Parley.Bench -v q -nologo >/dev/null
dotnet build -c Release bench/Parley.Bench.Charts -v q -nologo >/dev/null
echo "==> installing faye into bench/faye-server"
(cd bench/faye-server && npm install --no-audit --no-fund --silent)

BENCH=(dotnet bench/Parley.Bench/bin/Release/net10.0/Parley.Bench.dll)
SERVER_PID=""
DATA=$(mktemp -d)

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$DATA"' EXIT

wait_healthy() { # port
  for _ in $(seq 1 100); do
    # Healthy, and answered by the process just started: never measure a stray server that
    # already held the port (the new one then fails to bind and exits).
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server on port $1 exited (is the port taken?)" >&2; return 1; }
    curl -fs "http://127.0.0.1:$1/health/live" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server on port $1 did not come up" >&2; return 1
}

port_free() { # port
  if curl -s -o /dev/null "http://127.0.0.1:$1/"; then
    echo "port $1 is already in use by another process: stop it first" >&2; exit 1
  fi
}

start_parley() {
  stop_server
  port_free "$PARLEY_PORT"
  rm -rf "$DATA"/*
  (cd src/Parley.Server && exec dotnet bin/Release/net10.0/Parley.Server.dll --urls "http://127.0.0.1:$PARLEY_PORT" \
    --Parley:DataDirectory="$DATA" --Bayeux:AllowAnonymous=true --Bayeux:OpenChannels:0=/bench/** \
    --Bayeux:MaxSessionsPerBrowser=-1 --Bayeux:PublishRatePerSecond=0 \
    --Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1 --Logging:LogLevel:Default=Warning) >"$OUT/parley-server.log" 2>&1 &
  SERVER_PID=$!
  wait_healthy "$PARLEY_PORT"
  URL="http://127.0.0.1:$PARLEY_PORT/cometd"
}

start_faye() {
  stop_server
  port_free "$FAYE_PORT"
  (cd bench/faye-server && exec node server.js "$FAYE_PORT") >"$OUT/faye-server.log" 2>&1 &
  SERVER_PID=$!
  wait_healthy "$FAYE_PORT"
  URL="http://127.0.0.1:$FAYE_PORT/cometd"
}

run() { # server name args...
  local server=$1 name=$2; shift 2
  "start_$server"
  echo "==> $server: $name"
  "${BENCH[@]}" "$@" --warmup "$WARMUP" --url "$URL" --server-pid "$SERVER_PID" --local-addrs "$LOCAL_ADDRS" --json "$OUT/$server-$name.json" | tee "$OUT/$server-$name.txt"
}

for server in parley faye; do
  for t in websocket long-polling; do
    run $server "fanout-$t" fanout --transport $t --clients "$CLIENTS" --rooms "$ROOMS" --rooms-per-client 1 --rate "$RATE" --batch-size 1 --message-size 64 --duration "$DURATION" || true
    run $server "connections-$t" connections --transport $t --target "$TARGET" --processes "$PROCS" --hold 10 || true
    for n in ${CONN_TARGETS:-}; do
      run $server "connections-$t-$n" connections --transport $t --target "$n" --processes $(( (n + 17999) / 18000 )) --hold 3 || true
    done
    run $server "limit-fanout-$t" fanout --find-limit --transport $t --clients "$CLIENTS" --rooms "$ROOMS" --rate "$LIMIT_RATE" --step-factor "$STEP_FACTOR" --duration "$DURATION" --p99-bound "$P99_BOUND" --max-steps "$MAX_STEPS" || true
  done
done
for t in websocket long-polling; do
  run parley "chat-$t" chat --transport $t --users 1000 --rate "$CHAT_RATE" --duration "$DURATION" || true
done
run parley presence-badge presence-badge --users 1000 --concurrency 64 --duration "$DURATION" || true
stop_server

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    p = os.path.join(out, name + '.json')
    return json.load(open(p)) if os.path.exists(p) else None
rows = ["| scenario | transport | server | deliveries/s | p50 ms | p99 ms | lost | dup | errors | server cores | KiB/session | highest rate held |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for t in ("websocket", "long-polling"):
    for server in ("parley", "faye"):
        for sc in ("fanout", "connections"):
            r = load(f"{server}-{sc}-{t}")
            if not r: continue
            lat = r.get("latencyMs") or r.get("setupLatencyMs") or {}
            srv = r.get("server") or {}
            per = srv.get("memoryPerSessionBytes")
            lim = load(f"{server}-limit-fanout-{t}") if sc == "fanout" else None
            held = lim.get("highestHeld") if lim else None
            rows.append(f"| {sc} | {t} | {server} | {r['deliveriesPerSecond']:,.0f} | {lat.get('p50', 0)} | {lat.get('p99', 0)} | {r['lost']} | {r['duplicates']} | {r['errorCount']} | {srv.get('cores', '')} | {'' if per is None else round(per / 1024, 2)} | {'' if held is None else held} |")
for name in ("chat-websocket", "chat-long-polling", "presence-badge"):
    r = load(f"parley-{name}")
    if not r: continue
    lat = r.get("latencyMs") or {}
    rate = r["counts"].get("persistedPerSecond") or r["counts"].get("requestsPerSecond")
    rows.append(f"| {name} | | parley | {rate:,.0f} | {lat.get('p50', 0)} | {lat.get('p99', 0)} | {r['lost']} | {r['duplicates']} | {r['errorCount']} | {(r.get('server') or {}).get('cores', '')} | | |")
open(os.path.join(out, "results.md"), "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
PY

echo "==> charts"
dotnet bench/Parley.Bench.Charts/bin/Release/net10.0/Parley.Bench.Charts.dll "$OUT" --p99-bound "$P99_BOUND"
{
  echo
  for t in websocket long-polling; do
    if [ -f "$OUT/latency-vs-rate-$t.png" ]; then echo "![fanout over $t: latency percentiles vs offered rate](latency-vs-rate-$t.png)"; fi
  done
  if [ -f "$OUT/memory-vs-sessions.png" ]; then echo "![server memory vs idle sessions](memory-vs-sessions.png)"; fi
} >>"$OUT/results.md"
echo "==> results in $OUT/ (results.md, *.json, *.txt, *.png)"
