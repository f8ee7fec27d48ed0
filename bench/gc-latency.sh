#!/usr/bin/env bash
# What online garbage collection costs the requests pushers and pullers make: p50/p90/p99 of manifest GET and blob
# HEAD on Berth with the collector off, then on the same store with the collector sweeping back to back
# (storage.gc.interval 0s, graceperiod 0s), one run, one machine. registry:2 has no online collector to compare with;
# its offline command needs the registry stopped.
#
#   bash bench/gc-latency.sh [--images N] [--requests N]
#
# Seeds N small images (default 300, eight clients) and as many orphan 64 KiB blobs, so the first sweeps delete and every
# sweep marks 300+ manifests. Servers listen on 127.0.0.1 only; each workload is bounded by the tool's deadline.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGES=300
REQUESTS=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --images) IMAGES="$2"; shift ;;
    --requests) REQUESTS="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "gc-latency.sh: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done

WORK=$(mktemp -d /tmp/berth-gc-latency.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '[gc-latency %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

log "building the load tool and publishing Berth"
dotnet build "$ROOT/bench/Berth.Bench/Berth.Bench.csproj" -c Release --nologo -v q -o "$WORK/bench-bin" >/dev/null
dotnet publish "$ROOT/src/Berth" -c Release --nologo -v q -o "$WORK/berth-bin" >/dev/null
BENCH="$WORK/bench-bin/berth-bench"
PORT=$(( 20000 + RANDOM % 20000 ))
URL="http://127.0.0.1:$PORT"

start_berth() { # $1: gc enabled (true/false)
  REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$WORK/store" REGISTRY_HTTP_ADDR="127.0.0.1:$PORT" REGISTRY_LOG_LEVEL=info \
  REGISTRY_LOG_ACCESSLOG_DISABLED=true REGISTRY_STORAGE_DELETE_ENABLED=true \
  REGISTRY_STORAGE_GC_ENABLED="$1" REGISTRY_STORAGE_GC_INTERVAL=0s REGISTRY_STORAGE_GC_GRACEPERIOD=0s \
    "$WORK/berth-bin/berth" serve >"$WORK/berth-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null --max-time 2 "$URL/v2/" && return 0
    sleep 0.1
  done
  echo "berth did not start; see $WORK/berth-$1.log" >&2
  exit 1
}
stop_berth() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
measure() { # $1: label
  "$BENCH" --url "$URL" --workloads "manifest-get-digest:$REQUESTS,blob-head:$REQUESTS" --manifest-concurrency 16 \
    --deadline 60 --json "$WORK/$1.json" >"$WORK/$1.txt"
}

log "seeding $IMAGES images and $IMAGES orphan blobs (collector off)"
start_berth false
"$BENCH" --url "$URL" --workloads "small-images:$IMAGES" --deadline 300 >/dev/null
for i in $(seq 1 "$IMAGES"); do
  head -c 65536 /dev/urandom >"$WORK/orphan"
  digest="sha256:$(sha256sum "$WORK/orphan" | cut -d' ' -f1)"
  curl -fs -o /dev/null -X POST --data-binary "@$WORK/orphan" -H 'Content-Type: application/octet-stream' \
    "$URL/v2/bench/orphans/blobs/uploads/?digest=$digest"
done
log "measuring with the collector off"
measure off
stop_berth

log "measuring with the collector sweeping back to back"
start_berth true
sleep 1
measure on
sweeps=$(grep -c "garbage collection: " "$WORK/berth-true.log" || true)
deleted=$(grep -o "eligible, [0-9]* deleted" "$WORK/berth-true.log" | awk '{s+=$2} END {print s+0}')
longest=$(grep -o "in [0-9.]* s" "$WORK/berth-true.log" | awk '{if ($2>m) m=$2} END {print m+0}')
stop_berth

printf '\n%-22s %-34s %-34s\n' "workload" "collector off" "collector sweeping"
for w in manifest-get-digest blob-head; do
  off=$(grep "^$w" "$WORK/off.txt" | grep -o 'p50.*ms' || echo "-")
  on=$(grep "^$w" "$WORK/on.txt" | grep -o 'p50.*ms' || echo "-")
  printf '%-22s %-34s %-34s\n' "$w" "$off" "$on"
done
printf '\nwhile measuring: %s sweeps completed, %s blobs deleted, longest sweep %s s (%s images, %s orphans, %s requests each)\n' \
  "$sweeps" "$deleted" "$longest" "$IMAGES" "$IMAGES" "$REQUESTS"
