#!/usr/bin/env bash
# Builds Berth's container image without pulling anything: publishes the berth executable (Native AOT), assembles a minimal
# rootfs from this machine's own files (the glibc loader and the libraries the binary links, OpenSSL for hashing
# and TLS, CA certificates, /etc/passwd with the non-root user 'berth', /tmp), then runs `podman build` on the
# Containerfile at the repository root.
#
#   scripts/build-image.sh [tag]                 default tag: localhost/berth:latest
#   BERTH_BINARY=/path/to/berth ...              use an already built binary instead of publishing one
#   PODMAN_ROOT=/dir PODMAN_RUNROOT=/dir ...     private podman storage (tests use this so runs never collide)
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-localhost/berth:latest}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT

binary=${BERTH_BINARY:-}
if [ -z "$binary" ]; then
  binary=$(bash scripts/publish-native.sh "$context/publish")
fi
cp "$binary" "$context/berth"

echo "== assembling the rootfs"
rootfs="$context/rootfs"
mkdir -p "$rootfs"/{etc/docker/registry,etc/ssl/certs,usr/bin} "$context/state"
install -d -m 1777 "$rootfs/tmp"

# The libraries the binary links, plus what .NET opens at run time: OpenSSL (hashing, TLS).
libs=$(ldd "$binary" | awk '/=>/ {print $3} /ld-linux/ {print $1}')
for extra in libssl.so.3 libcrypto.so.3; do
  libs+=" $(ldconfig -p | awk -v n="$extra" '$1 == n && /x86-64/ {print $NF; exit}')"
done
for lib in $libs; do
  [ -e "$lib" ] || continue
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
# The loader is found by its absolute path; /lib64 is a symlink on merged-/usr systems.
mkdir -p "$rootfs/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$rootfs/lib64/"

cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nberth:x:65532:65532:berth:/var/lib/registry:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nberth:x:65532:\n' >"$rootfs/etc/group"
cp packaging/container/config.yml "$rootfs/etc/docker/registry/config.yml"
cp Containerfile "$context/Containerfile"

podman_args=()
[ -n "${PODMAN_ROOT:-}" ] && podman_args+=(--root "$PODMAN_ROOT")
[ -n "${PODMAN_RUNROOT:-}" ] && podman_args+=(--runroot "$PODMAN_RUNROOT")
podman_args+=(--storage-driver "${PODMAN_STORAGE_DRIVER:-vfs}" --cgroup-manager cgroupfs --events-backend none)

echo "== podman build $tag"
podman "${podman_args[@]}" build --network none --pull=never -f "$context/Containerfile" -t "$tag" "$context" >/dev/null
podman "${podman_args[@]}" image inspect --format '{{.Id}} {{.Size}}' "$tag"
