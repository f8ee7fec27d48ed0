#!/usr/bin/env bash
# Runs Berth the way it ships: the Native AOT executable, published first if needed (scripts/publish-native.sh).
# With no arguments it serves on :5000 with images on local disk under /var/lib/registry, as registry:2 does; any
# arguments go to `berth serve` (a config.yml path).
#
#   bash scripts/serve.sh [config.yml]
set -euo pipefail
cd "$(dirname "$0")/.."
berth=$(bash scripts/publish-native.sh)
exec "$berth" serve "$@"
