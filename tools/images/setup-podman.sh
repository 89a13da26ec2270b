#!/usr/bin/env bash
# Installs what `nx run images:smoke` needs on a Debian/Ubuntu machine or CI runner (as root or
# with sudo): podman, buildah and runc to build and run images, debootstrap to make the local
# base image. Idempotent: does nothing when everything is there. Usage: tools/images/setup-podman.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(podman buildah runc debootstrap)
programs=(podman buildah runc debootstrap)

missing=()
for program in "${programs[@]}"; do
  command -v "$program" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done

if ((${#missing[@]} > 0)); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup-podman: ${missing[*]} missing and not root (no sudo): install ${packages[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "setup-podman: no apt-get here: install ${packages[*]} with your package manager" >&2; exit 1; }
  echo "setup-podman: installing ${packages[*]} (missing: ${missing[*]})"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${packages[@]}" >/dev/null
fi

# The same settings the smoke test uses (runc, no systemd, ulimits within this machine's limits).
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
podman info --format 'setup-podman: podman {{.Version.Version}}, runtime {{.Host.OCIRuntime.Name}}, cgroups {{.Host.CgroupManager}}, storage {{.Store.GraphDriverName}}'
