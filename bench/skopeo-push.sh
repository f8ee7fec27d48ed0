#!/usr/bin/env bash
# Pushes by a real client, Berth and registry:2 in turn on fresh storage, twice each:
#  - many small images: 8 skopeo processes at once, each copying its share of N distinct images (3 layers of 4 KiB,
#    64 KiB and 512 KiB, a config and a manifest; every blob unique) from an OCI layout into its own repository;
#    prints images/s and the server's CPU seconds. The clients' CPU shares the machine with the server: this is the
#    figure an operator's CI would see.
#  - one large image: one skopeo copying an image with one 512 MiB layer; prints MB/s and server CPU seconds per GB.
#
#   bash bench/skopeo-push.sh [--berth-bin PATH] [--images N] [--clients N] [--large-mib N]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BERTH_BIN=""
IMAGES=96
CLIENTS=8
LARGE_MIB=512
while [ $# -gt 0 ]; do
  case "$1" in
    --berth-bin) BERTH_BIN="$2"; shift ;;
    --images) IMAGES="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --large-mib) LARGE_MIB="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "skopeo-push.sh: unknown argument $1" >&2; exit 64 ;;
  esac
  shift
done

command -v skopeo >/dev/null || { echo "needs skopeo (apt-get install skopeo)" >&2; exit 1; }
REGISTRY2_BIN=$(command -v docker-registry || true)
[ -n "$REGISTRY2_BIN" ] || { echo "needs docker-registry (apt-get install docker-registry)" >&2; exit 1; }
[ -n "$BERTH_BIN" ] || BERTH_BIN=$(bash "$ROOT/scripts/publish-native.sh" "$ROOT/artifacts/berth")

WORK=$(mktemp -d /tmp/berth-skopeo-bench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# The OCI layout: N images, every blob distinct (a header of the image and layer number before random bytes).
python3 - "$WORK/layout" "$IMAGES" "$LARGE_MIB" <<'PY'
import hashlib, json, os, sys
root, n, large_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(f"{root}/blobs/sha256")
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(f"{root}/blobs/sha256/{d}", "wb").write(data)
    return {"digest": f"sha256:{d}", "size": len(data)}
manifests = []
for i in range(n):
    layers = [dict(mediaType="application/vnd.oci.image.layer.v1.tar", **blob(f"image {i} layer {k}\n".encode() + os.urandom(size)))
              for k, size in enumerate((4096, 65536, 524288))]
    config = blob(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]}}).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **config), "layers": layers}
    m = blob(json.dumps(manifest).encode())
    manifests.append(dict(mediaType="application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": f"i{i}"}, **m))
# The large image: one layer of random bytes, written in 8 MiB pieces and hashed as it goes.
h, size = hashlib.sha256(), large_mib * 1024 * 1024
with open(f"{root}/blobs/sha256/large.tmp", "wb") as f:
    for _ in range(large_mib // 8):
        piece = os.urandom(8 * 1024 * 1024)
        h.update(piece)
        f.write(piece)
os.rename(f"{root}/blobs/sha256/large.tmp", f"{root}/blobs/sha256/{h.hexdigest()}")
layer = {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": f"sha256:{h.hexdigest()}", "size": size}
config = blob(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode())
m = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                     "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **config), "layers": [layer]}).encode())
manifests.append(dict(mediaType="application/vnd.oci.image.manifest.v1+json", annotations={"org.opencontainers.image.ref.name": "large"}, **m))
json.dump({"imageLayoutVersion": "1.0.0"}, open(f"{root}/oci-layout", "w"))
json.dump({"schemaVersion": 2, "manifests": manifests}, open(f"{root}/index.json", "w"))
PY

start_server() {
  local name=$1 binary=$2 dir attempt
  dir="$WORK/store-$name"
  for attempt in 1 2 3; do
    # A port nothing listens on; another process may still take it first, hence the attempts.
    PORT=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
    rm -rf "$dir"
    mkdir -p "$dir"
    printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\n  cache:\n    blobdescriptor: inmemory\nhttp:\n  addr: 127.0.0.1:%s\n' "$dir" "$PORT" >"$WORK/$name.yml"
    "$binary" serve "$WORK/$name.yml" >"$WORK/$name.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 150); do
      kill -0 "$PID" 2>/dev/null || break
      curl -fs -o /dev/null "http://127.0.0.1:$PORT/v2/" && return 0
      sleep 0.2
    done
    echo "$name did not start on port $PORT (attempt $attempt): $(tail -n 3 "$WORK/$name.log")" >&2
    kill "$PID" 2>/dev/null || true
    PID=""
  done
  exit 1
}

stop_server() {
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  rm -rf "$WORK"/store-*
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

small_images() {
  local name=$1 binary=$2 cpu_before start elapsed cpu_after failed=0
  start_server "$name" "$binary"
  rm -f "$WORK/$name.failed"
  cpu_before=$(cpu_ticks)
  start=$(date +%s.%N)
  local clients=()
  for c in $(seq 0 $((CLIENTS - 1))); do
    (
      for i in $(seq "$c" "$CLIENTS" $((IMAGES - 1))); do
        # Each copy bounded in time, so a stalled server cannot hang the run.
        timeout 60 skopeo --insecure-policy copy --quiet --dest-tls-verify=false \
          "oci:$WORK/layout:i$i" "docker://127.0.0.1:$PORT/small/app$i:latest" >/dev/null 2>>"$WORK/$name.skopeo.err" || echo fail >>"$WORK/$name.failed"
      done
    ) &
    clients+=($!)
  done
  wait "${clients[@]}" || true
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  cpu_after=$(cpu_ticks)
  [ -f "$WORK/$name.failed" ] && failed=$(wc -l <"$WORK/$name.failed")
  stop_server
  printf '%-11s small images: %4d by %d skopeo clients in %6.2f s: %6.2f images/s, server CPU %5.2f s, failed %d\n' \
    "$name" "$IMAGES" "$CLIENTS" "$elapsed" "$(echo "$IMAGES / $elapsed" | bc -l)" "$(echo "($cpu_after - $cpu_before) / 100" | bc -l)" "$failed"
}

large_image() {
  local name=$1 binary=$2 cpu_before start elapsed cpu_after status=ok bytes
  start_server "$name" "$binary"
  bytes=$((LARGE_MIB * 1024 * 1024))
  cpu_before=$(cpu_ticks)
  start=$(date +%s.%N)
  timeout 300 skopeo --insecure-policy copy --quiet --dest-tls-verify=false \
    "oci:$WORK/layout:large" "docker://127.0.0.1:$PORT/large/app:latest" >/dev/null 2>>"$WORK/$name.skopeo.err" || status=FAILED
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  cpu_after=$(cpu_ticks)
  stop_server
  printf '%-11s large image: %d MiB layer in %6.2f s: %7.1f MB/s, server CPU %5.2f s = %5.2f s/GB pushed, %s\n' \
    "$name" "$LARGE_MIB" "$elapsed" "$(echo "$bytes / 1000000 / $elapsed" | bc -l)" "$(echo "($cpu_after - $cpu_before) / 100" | bc -l)" \
    "$(echo "($cpu_after - $cpu_before) / 100 / ($bytes / 1000000000)" | bc -l)" "$status"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  small_images berth "$BERTH_BIN"
  small_images registry:2 "$REGISTRY2_BIN"
done
for round in 1 2; do
  large_image berth "$BERTH_BIN"
  large_image registry:2 "$REGISTRY2_BIN"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
