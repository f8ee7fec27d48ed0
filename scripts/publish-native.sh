#!/usr/bin/env bash
# Publishes berth as a Native AOT executable into artifacts/berth/ (or the folder given) and prints its path.
# Native AOT links with clang and zlib; on a fresh machine that has only the .NET SDK they are installed from Debian.
#
#   scripts/publish-native.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/berth}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
  echo "== installing clang and zlib1g-dev (Debian packages; Native AOT links with them)" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
echo "== publishing berth (Native AOT) into $out" >&2
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  dotnet publish src/Berth -c Release -nodeReuse:false -o "$out" >&2
echo "$out/berth"
