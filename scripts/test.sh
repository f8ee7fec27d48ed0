#!/usr/bin/env bash
# Runs every Berth test on a fresh machine that has only the .NET SDK: installs the real clients and servers the
# tests drive (skopeo, podman, registry:2 from Debian; the Azurite storage emulator from npm), then builds and tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
# tool:package pairs; htpasswd (apache2-utils) writes the htpasswd files the auth tests compare against; nginx is the
# reverse proxy in front of a registry served under http.prefix; systemd-analyze (systemd) verifies the packaged unit;
# chromium (headless) drives the web UI in the UI tests.
for pair in skopeo:skopeo podman:podman docker-registry:docker-registry htpasswd:apache2-utils nginx:nginx-light systemd-analyze:systemd chromium:chromium; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    "${missing[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/azurite-blob ]; then
  echo "== installing the Azurite storage emulator (npm)"
  npm install --prefix "$PWD" --no-save --no-audit --no-fund --loglevel=error azurite@3.37.0 >/dev/null
fi
export BERTH_AZURITE="$PWD/node_modules/.bin/azurite-blob"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== restore and build"
dotnet restore Berth.slnx
dotnet build Berth.slnx -c Release --no-restore -nodeReuse:false

echo "== publish the Native AOT executable the interop tests run (the in-process suites run on the JIT build)"
BERTH_BINARY=$(bash scripts/publish-native.sh artifacts/berth)
export BERTH_BINARY

echo "== test"
log=$(mktemp)
status=0
dotnet test Berth.slnx -c Release --no-build 2>&1 | tee -a "$log" || status=$?

echo "== the HTTP API suite again, on the Azure driver against Azurite"
BERTH_TEST_STORAGE=azure dotnet test tests/Berth.Server.Tests -c Release --no-build 2>&1 | tee -a "$log" || status=$?

# One closing line for every assembly together, in the form CI reads.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
