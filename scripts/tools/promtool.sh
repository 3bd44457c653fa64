#!/usr/bin/env bash
# Runs Prometheus's promtool, taken out of Debian's `prometheus` package with `apt-get download` and
# `dpkg -x` into .tools/promtool/ — never installed: the package's server would start on port 9090,
# the service's gRPC port.
#   scripts/tools/promtool.sh check rules deploy/prometheus/alerts.yml
#   scripts/tools/promtool.sh --path        # fetch if needed, print the binary's path
# PROMTOOL=/path/to/promtool uses that binary instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.tools/promtool"
bin="${PROMTOOL:-$dir/promtool}"

fetch() {
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || {
    echo "promtool: apt-get and dpkg are needed to fetch it (or set PROMTOOL=/path/to/promtool)" >&2
    return 1
  }
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  # The package lists may be missing (fresh container): refresh them once when allowed to.
  if ! (cd "$work" && apt-get download prometheus >/dev/null 2>&1); then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
    (cd "$work" && apt-get download prometheus >/dev/null) || {
      echo "promtool: 'apt-get download prometheus' failed" >&2
      return 1
    }
  fi
  dpkg -x "$work"/prometheus_*.deb "$work/x"
  mkdir -p "$dir"
  cp "$work/x/usr/bin/promtool" "$dir/promtool.tmp" && mv "$dir/promtool.tmp" "$dir/promtool"
  chmod +x "$dir/promtool"
}

if [ ! -x "$bin" ]; then
  if [ -n "${PROMTOOL:-}" ]; then
    echo "promtool: PROMTOOL=$PROMTOOL is not an executable file" >&2
    exit 127
  fi
  fetch || exit 127
fi

if [ "${1:-}" = "--path" ]; then
  echo "$bin"
  exit 0
fi
exec "$bin" "$@"
