#!/usr/bin/env bash
# Installs the system programs the test suite runs for real, from Debian/Ubuntu packages:
#   prometheus (prometheus + promtool)  scrapes the local stack; checks metrics, configs and rules
#   prometheus-node-exporter            node metrics for the dashboard checks
#   chromium                            headless browser for the UI tests (driven by playwright-core)
#   podman buildah runc debootstrap     build and run the container images without a Docker engine
#                                       (tools/images/setup-podman.sh checks podman works)
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail

declare -A wanted=(
  [/usr/bin/prometheus]=prometheus
  [/usr/bin/promtool]=prometheus
  [/usr/bin/prometheus-node-exporter]=prometheus-node-exporter
  [/usr/bin/chromium]=chromium
  [/usr/bin/podman]=podman
  [/usr/bin/buildah]=buildah
  [/usr/sbin/runc]=runc
  [/usr/sbin/debootstrap]=debootstrap
)
missing=()
for binary in "${!wanted[@]}"; do
  [[ -x "$binary" ]] || missing+=("${wanted[$binary]}")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system dependencies: all present"
  exit 0
fi

packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "need root to install: $packages" >&2; exit 1; }
  sudo="sudo"
fi
echo "system dependencies: installing $packages"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $packages >/dev/null
echo "system dependencies: installed $packages"
