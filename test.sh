#!/usr/bin/env bash
# Runs Parley's test suites and ends with one line: "N passed, N failed".
#
#   ./test.sh                 every suite
#   ./test.sh unit            one suite (unit, functional, storage, cluster, interop, browser, web, bench);
#                             several may be named
#
# On a fresh Debian machine it installs what the suites need (Chromium for the browser tests,
# the npm packages of the Node suites, Redis and nginx for the cluster) and builds the solution
# first. The storage suite starts a throwaway PostgreSQL (scripts/postgres.sh), the cluster suite
# a throwaway Redis (scripts/redis.sh) and a three-node cluster behind nginx (scripts/cluster.sh).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DEBIAN_FRONTEND=noninteractive

declare -A DOTNET_SUITES=(
  [unit]="tests/Parley.Bayeux.Tests tests/Parley.Chat.Tests"
  [functional]="tests/Parley.Bayeux.AspNetCore.Tests tests/Parley.Server.Tests"
  [storage]="tests/Parley.Storage.Postgres.Tests"
  [cluster]="tests/Parley.Backplane.Redis.Tests tests/Parley.Cluster.Tests"
)
declare -A NODE_SUITES=(
  [interop]="tests/interop"
  [browser]="tests/browser"
  [web]="tests/web"
)
ORDER=(unit functional storage cluster interop browser web bench)

selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=("${ORDER[@]}")
for suite in "${selected[@]}"; do
  if [ -z "${DOTNET_SUITES[$suite]:-}" ] && [ -z "${NODE_SUITES[$suite]:-}" ] && [ "$suite" != bench ]; then
    echo "unknown suite '$suite' (known: ${ORDER[*]})" >&2
    exit 2
  fi
done

total_passed=0
total_failed=0
summary=()
logdir=$(mktemp -d)

note() { printf '\n==> %s\n' "$*"; }

record() { # suite passed failed
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  summary+=("$(printf '%-12s %5d passed, %d failed' "$1" "$2" "$3")")
}

apt_install() { # packages...
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  note "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

needs_browser=0
for suite in "${selected[@]}"; do [ "$suite" = browser ] || [ "$suite" = web ] && needs_browser=1; done
if [ $needs_browser -eq 1 ]; then
  apt_install chromium fonts-noto-cjk fonts-noto-color-emoji || echo "warning: could not install Chromium" >&2
fi

note "building (Release)"
if ! dotnet build Parley.slnx -c Release -nologo -clp:ErrorsOnly > "$logdir/build.log" 2>&1; then
  cat "$logdir/build.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

run_dotnet_suite() { # name "project [project...]"
  local name=$1 passed=0 failed=0 project
  for project in $2; do
    local log="$logdir/$name-$(basename "$project").log"
    note "$name: dotnet test $project"
    dotnet test "$project" -c Release --no-build -nologo > "$log" 2>&1
    local rc=$?
    grep -E -A8 '^\s*Failed ' "$log" | head -n 200 || true
    local line
    line=$(grep -E '(Passed|Failed)!\s+-\s+Failed:' "$log" | tail -n 1)
    if [ -z "$line" ]; then
      tail -n 40 "$log"
      failed=$((failed + 1))
      continue
    fi
    echo "$line"
    local f p
    f=$(sed -E 's/.*Failed:\s*([0-9]+).*/\1/' <<<"$line")
    p=$(sed -E 's/.*Passed:\s*([0-9]+).*/\1/' <<<"$line")
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
  done
  record "$name" "$passed" "$failed"
}

run_node_suite() { # name dir
  local log="$logdir/$1.log"
  note "$1: node --test in $2"
  if ! (cd "$2" && npm ci --no-audit --no-fund --loglevel=error > "$log.npm" 2>&1); then
    cat "$log.npm"
    record "$1" 0 1
    return
  fi
  (cd "$2" && npm test --silent) > "$log" 2>&1
  local rc=$?
  grep -E '^(not ok|# (pass|fail|tests|skipped))' "$log" || true
  local passed failed
  passed=$(grep -E '^# pass [0-9]+' "$log" | tail -n 1 | awk '{print $3}')
  failed=$(grep -E '^# fail [0-9]+' "$log" | tail -n 1 | awk '{print $3}')
  if [ -z "$passed" ] || [ -z "$failed" ]; then
    tail -n 60 "$log"
    record "$1" 0 1
    return
  fi
  if [ "$failed" -gt 0 ]; then
    grep -B2 -A30 -E '^not ok' "$log" | head -n 200
  fi
  [ $rc -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  record "$1" "$passed" "$failed"
}

# A 10-second smoke of each load-generator scenario against a fresh server: it fails on any
# loss, duplicate or error (never on timing; speed is measured by bench/compare.sh).
run_bench_smoke() {
  local passed=0 failed=0 port data pid
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  data=$(mktemp -d)
  note "bench: smoke of every scenario against a server on :$port"
  (cd src/Parley.Server && exec dotnet bin/Release/net10.0/Parley.Server.dll --urls "http://127.0.0.1:$port" \
      --Parley:DataDirectory="$data" --Bayeux:AllowAnonymous=true --Bayeux:OpenChannels:0=/bench/** \
      --Bayeux:MaxSessionsPerBrowser=-1 --Bayeux:PublishRatePerSecond=0 \
      --Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1 --Logging:LogLevel:Default=Warning) > "$logdir/bench-server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && break
    sleep 0.5
  done
  local bench="dotnet bench/Parley.Bench/bin/Release/net10.0/Parley.Bench.dll"
  local run
  for run in "fanout --transport websocket" "fanout --transport long-polling" "connections --transport websocket" \
             "connections --transport long-polling" "chat --transport websocket" "presence-badge"; do
    if $bench $run --smoke --url "http://127.0.0.1:$port/cometd" > "$logdir/bench-run.log" 2>&1; then
      echo "ok     $run"
      passed=$((passed + 1))
    else
      echo "FAILED $run"
      tail -n 30 "$logdir/bench-run.log"
      failed=$((failed + 1))
    fi
  done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -rf "$data"
  record bench "$passed" "$failed"
}

# The real engines some suites test against, started on ports of their own and stopped at the end.
services_started=()
start_services() { # suite
  local out
  case "$1" in
    storage)
      note "storage: starting PostgreSQL (scripts/postgres.sh)"
      out=$(scripts/postgres.sh start 2>"$logdir/postgres.log") || { cat "$logdir/postgres.log"; return 1; }
      export PARLEY_TEST_POSTGRES=$(tail -n 1 <<<"$out")
      services_started+=(postgres) ;;
    cluster)
      note "cluster: starting Redis (scripts/redis.sh)"
      out=$(scripts/redis.sh start 2>"$logdir/redis.log") || { cat "$logdir/redis.log"; return 1; }
      export PARLEY_TEST_REDIS=$(tail -n 1 <<<"$out")
      services_started+=(redis) ;;
  esac
  return 0
}
stop_services() {
  local service
  for service in "${services_started[@]}"; do scripts/$service.sh stop >/dev/null 2>&1 || true; done
}
trap stop_services EXIT

for suite in "${ORDER[@]}"; do
  for wanted in "${selected[@]}"; do
    [ "$wanted" = "$suite" ] || continue
    if [ "$suite" = bench ]; then
      run_bench_smoke
    elif [ -n "${DOTNET_SUITES[$suite]:-}" ]; then
      if start_services "$suite"; then
        run_dotnet_suite "$suite" "${DOTNET_SUITES[$suite]}"
      else
        record "$suite" 0 1
      fi
    else
      run_node_suite "$suite" "${NODE_SUITES[$suite]}"
    fi
  done
done

note "summary"
printf '%s\n' "${summary[@]}"
rm -rf "$logdir"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
