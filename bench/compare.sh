#!/usr/bin/env bash
# Berth and registry:2 side by side: the same workloads, the same seed, the same machine, one run.
#
#   bash bench/compare.sh [--tiny] [--out DIR] [--skip-probes] [--skip-azure] [--no-warmup] [--berth-bin PATH]
#
# Starts each registry on 127.0.0.1 with fresh filesystem storage, runs every workload of bench/Berth.Bench against
# it while sampling the server's CPU seconds and RSS from /proc, then runs the RSS probes (one 100 MiB and one 1 GiB
# layer, each against a fresh server) and prints one table. If azurite-blob is installed, Berth also runs the
# push, pull (redirects off), manifest and listing workloads on Azure storage (Azurite) for an extra column. Before the timed run each server
# gets an untimed tiny pass over every workload (--no-warmup skips it). --tiny: a smoke run in seconds.
# --berth-bin PATH: benchmark that `berth` executable instead of publishing src/Berth (Native AOT, scripts/publish-native.sh).
# Each registry is also started five times for its start-up time and idle RSS, and its RSS is read 80 s after the run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TINY=0
PROBES=1
AZURE=1
WARMUP=1
OUT=""
BERTH_BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tiny) TINY=1 ;;
    --skip-probes) PROBES=0 ;;
    --skip-azure) AZURE=0 ;;
    --no-warmup) WARMUP=0 ;;
    --out) OUT="$2"; shift ;;
    --berth-bin) BERTH_BIN="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done

WORK=$(mktemp -d /tmp/berth-compare.XXXXXX)
OUT=${OUT:-$(mktemp -d /tmp/berth-bench-results.XXXXXX)}
mkdir -p "$OUT"
SERVER_PIDS=()

cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  # Results and logs live in $OUT; storage and binaries go.
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Per-workload deadline and whole-invocation bound of the load tool: the run is bounded even if a server stalls.
if [ "$TINY" = 1 ]; then
  BENCH_ARGS=(--tiny)
  TOOL_TIMEOUT=120
  STARTUP_RUNS=2
  SETTLE=3
else
  BENCH_ARGS=(--deadline 20)
  TOOL_TIMEOUT=700
  STARTUP_RUNS=5
  # Long enough for either server to hand back what a burst took (Go's scavenger returns memory over minutes).
  SETTLE=80
fi

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "compare.sh: no free port found" >&2
  return 1
}

# write_config FILE PORT [STORAGE_DIR]: registry:2's config.yml, which Berth reads too (a drop-in takes the same file).
# Without STORAGE_DIR the storage driver comes from REGISTRY_STORAGE* variables.
write_config() {
  local file=$1 port=$2 dir=${3:-}
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: warn"
    echo "  accesslog:"
    echo "    disabled: true"
    echo "storage:"
    if [ -n "$dir" ]; then
      echo "  filesystem:"
      echo "    rootdirectory: $dir"
    fi
    echo "  delete:"
    echo "    enabled: true"
    # registry:2's shipped config enables this cache; benchmark it as people run it.
    echo "  cache:"
    echo "    blobdescriptor: inmemory"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: berth-bench-not-a-secret"
  } >"$file"
}

wait_ready() {
  local url=$1 pid=$2 logfile=$3
  for _ in $(seq 1 150); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "server exited; last log lines:"
      tail -n 15 "$logfile" >&2 || true
      return 1
    fi
    if curl -fs -o /dev/null --max-time 2 "$url/v2/"; then
      return 0
    fi
    sleep 0.2
  done
  log "server did not answer $url/v2/ within 30 s"
  tail -n 15 "$logfile" >&2 || true
  return 1
}

# binary_for KIND: the executable of registry2, berth or berth-azure.
binary_for() {
  if [ "$1" = registry2 ]; then echo "$REGISTRY2_BIN"; else echo "$BERTH_BIN"; fi
}

# start_server NAME KIND [env...] -> sets SERVER_PID, SERVER_URL. KIND: registry2 | berth | berth-azure.
start_server() {
  local name=$1 kind=$2
  shift 2
  local port dir config logfile
  port=$(free_port)
  dir="$WORK/storage-$name"
  config="$WORK/$name.yml"
  logfile="$OUT/$name.server.log"
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$kind" = berth-azure ]; then
    write_config "$config" "$port"
  else
    write_config "$config" "$port" "$dir"
  fi
  env "$@" "$(binary_for "$kind")" serve "$config" >"$logfile" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  SERVER_URL="http://127.0.0.1:$port"
  if ! wait_ready "$SERVER_URL" "$SERVER_PID" "$logfile"; then
    stop_server "$SERVER_PID"
    return 1
  fi
  log "$name ($kind) pid $SERVER_PID on $SERVER_URL"
}

stop_server() {
  local pid=$1 hwm
  hwm=$(awk '/^VmHWM:/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$hwm" ] && log "pid $pid peak RSS (VmHWM) $hwm"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$WORK"/storage-*
}

# bench NAME JSON [bench args...]: the load tool against the server started last.
bench() {
  local name=$1 json=$2
  shift 2
  log "running $name: $*"
  timeout "$TOOL_TIMEOUT" "$BENCH" --url "$SERVER_URL" --server-pid "$SERVER_PID" --json "$json" "${BENCH_ARGS[@]}" "$@" \
    | tee "$OUT/$name.bench.log" || log "$name: the load tool reported failures (see $OUT/$name.bench.log)"
}

# warm_up NAME: every code path once, untimed, so neither JIT (Berth) nor lazy initialisation lands in the first
# workload of the timed run.
warm_up() {
  [ "$WARMUP" = 1 ] || return 0
  log "warming up $1"
  # Another seed: the timed run must find none of its blobs already pushed.
  timeout 120 "$BENCH" --url "$SERVER_URL" --tiny --seed 1 --json "$OUT/$1.warmup.json" >"$OUT/$1.warmup.log" 2>&1 \
    || log "$1: warm-up reported failures (see $OUT/$1.warmup.log)"
}

# measure_startup NAME KIND: five starts on fresh storage, each timed from launch to the first /v2/ answer, with the
# RSS 2 s later (no request in between). The load tool launches the server itself, so its own start is not counted.
measure_startup() {
  local name=$1 kind=$2 port dir config binary
  port=$(free_port)
  dir="$WORK/storage-$name-startup"
  config="$WORK/$name-startup.yml"
  mkdir -p "$dir"
  write_config "$config" "$port" "$dir"
  binary=$(binary_for "$kind")
  log "measuring $name's start-up and idle RSS"
  timeout 300 "$BENCH" startup --url "http://127.0.0.1:$port" --runs "$STARTUP_RUNS" --idle 2 --json "$OUT/$name-startup.json" \
    -- "$binary" serve "$config" | tee "$OUT/$name-startup.log" || log "$name: start-up measurement failed (see $OUT/$name-startup.log)"
  rm -rf "$dir"
}

# run_target NAME KIND [env...]: start-up, then all workloads on a fresh server (and its RSS once the run has been
# idle for a while: what the server hands back), then each RSS probe on a fresh server of its own.
run_target() {
  local name=$1 kind=$2
  shift 2
  measure_startup "$name" "$kind"
  start_server "$name" "$kind" "$@" || return 1
  warm_up "$name"
  bench "$name" "$OUT/$name.json" --workloads all --settle "$SETTLE"
  stop_server "$SERVER_PID"
  if [ "$PROBES" = 1 ]; then
    local probe
    for probe in rss-probe-100m rss-probe-1g; do
      start_server "$name-$probe" "$kind" "$@" || return 1
      bench "$name-$probe" "$OUT/$name-$probe.json" --workloads "$probe"
      stop_server "$SERVER_PID"
    done
  fi
}

# --- the tools -----------------------------------------------------------------------------------------------------
REGISTRY2_BIN=$(command -v docker-registry || true)
if [ -z "$REGISTRY2_BIN" ]; then
  log "installing Debian's docker-registry (registry:2)"
  apt-get install -y docker-registry >/dev/null
  REGISTRY2_BIN=$(command -v docker-registry)
fi

log "building the load tool"
dotnet build "$ROOT/bench/Berth.Bench/Berth.Bench.csproj" -c Release --nologo -v q -o "$WORK/bench-bin" >"$OUT/bench-build.log" 2>&1 \
  || { tail -n 30 "$OUT/bench-build.log" >&2; exit 1; }
BENCH="$WORK/bench-bin/berth-bench"

if [ -n "$BERTH_BIN" ]; then
  log "using the Berth binary $BERTH_BIN"
elif log "publishing Berth (Native AOT)" && bash "$ROOT/scripts/publish-native.sh" "$WORK/berth-bin" >"$OUT/berth-publish.log" 2>&1 \
  && [ -x "$WORK/berth-bin/berth" ]; then
  BERTH_BIN="$WORK/berth-bin/berth"
else
  log "Berth does not build yet (see $OUT/berth-publish.log): its column stays empty"
fi

# --- the runs ------------------------------------------------------------------------------------------------------
START=$SECONDS
# Both registries share the machine with anything else running; the table says how busy it was.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$BERTH_BIN" ]; then
  run_target berth berth || log "Berth did not start; its column stays empty"
fi
run_target registry2 registry2 || log "registry:2 did not start"

AZURE_COLUMN=()
if [ "$AZURE" = 1 ]; then
  AZURITE=$(command -v azurite-blob || true)
  [ -z "$AZURITE" ] && [ -x "$ROOT/node_modules/.bin/azurite-blob" ] && AZURITE="$ROOT/node_modules/.bin/azurite-blob"
  if [ -z "$AZURITE" ]; then
    log "azurite-blob not found: no Azure column"
  elif [ -z "$BERTH_BIN" ]; then
    log "Berth does not build: no Azure column"
  else
    AZ_PORT=$(free_port)
    mkdir -p "$WORK/azurite-data"
    # The Azure SDK speaks a newer API version than the emulator lists; --skipApiVersionCheck lets it through.
    "$AZURITE" --blobHost 127.0.0.1 --blobPort "$AZ_PORT" --location "$WORK/azurite-data" --disableTelemetry --silent \
      --skipApiVersionCheck --loose \
      >"$OUT/azurite.log" 2>&1 &
    AZ_PID=$!
    SERVER_PIDS+=("$AZ_PID")
    for _ in $(seq 1 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$AZ_PORT") 2>/dev/null && break
      sleep 0.2
    done
    # Debian's registry:2 is built without the Azure driver, so this column is Berth alone. The key is Azurite's
    # published development key for devstoreaccount1. Redirects are off: with them a pull is a 307 and the bytes come
    # from Azurite, which would measure the emulator rather than Berth's read path.
    if start_server berth-azure berth-azure \
      REGISTRY_STORAGE=azure \
      REGISTRY_STORAGE_REDIRECT_DISABLE=true \
      REGISTRY_STORAGE_AZURE_ACCOUNTNAME=devstoreaccount1 \
      REGISTRY_STORAGE_AZURE_ACCOUNTKEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' \
      REGISTRY_STORAGE_AZURE_CONTAINER=registry \
      REGISTRY_STORAGE_AZURE_SERVICEURL="http://127.0.0.1:$AZ_PORT/devstoreaccount1"; then
      warm_up berth-azure
      bench berth-azure "$OUT/berth-azure.json" \
        --workloads push-mono-1m,pull-1m,pull-10m,pull-100m,manifest-head-tag,manifest-get-tag,manifest-head-digest,manifest-get-digest,tags-list,catalog,small-images \
        --settle "$SETTLE"
      stop_server "$SERVER_PID"
      AZURE_COLUMN=(--column "Berth (Azurite)=$OUT/berth-azure.json")
    else
      log "Berth did not start with Azure storage (the Azure driver may not be there yet): no Azure column"
    fi
    kill "$AZ_PID" 2>/dev/null || true
    wait "$AZ_PID" 2>/dev/null || true
  fi
fi
log "runs took $((SECONDS - START)) s"

# --- the table -----------------------------------------------------------------------------------------------------
{
  echo "Berth vs registry:2 ($(docker-registry --version 2>/dev/null | awk '{print $3}')) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "load average before the runs: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg); runs took $((SECONDS - START)) s"
  echo "advantage: how many times better Berth is (above 1: more per second, or less latency, CPU or memory)"
  echo
  "$BENCH" table \
    --column "Berth=$OUT/berth.json,$OUT/berth-rss-probe-100m.json,$OUT/berth-rss-probe-1g.json,$OUT/berth-startup.json" \
    --column "registry:2=$OUT/registry2.json,$OUT/registry2-rss-probe-100m.json,$OUT/registry2-rss-probe-1g.json,$OUT/registry2-startup.json" \
    "${AZURE_COLUMN[@]}"
} | tee "$OUT/table.md"
log "results, logs and table: $OUT"
