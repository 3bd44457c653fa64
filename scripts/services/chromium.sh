#!/usr/bin/env bash
# The web console's browser tests (test/browser) drive Debian's `chromium` package headless through
# playwright-core; no browser is downloaded. There is no server: each suite launches its own browser.
#
#   scripts/services/chromium.sh install   # apt-get install chromium (idempotent)
#   scripts/services/chromium.sh start     # nothing to start; checks that chromium runs
#   scripts/services/chromium.sh check     # prints chromium's version
set -euo pipefail

BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"

install() {
  if [ -x "$BIN" ]; then
    echo "chromium already installed: $BIN"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when they do not know the package yet.
  if ! apt-cache show chromium >/dev/null 2>&1; then apt-get update; fi
  apt-get install -y --no-install-recommends chromium fonts-dejavu-core
}

case "${1:-install}" in
  install) install ;;
  start) [ -x "$BIN" ] && echo "chromium present at $BIN; browsers are launched by the tests" ;;
  check) "$BIN" --headless --no-sandbox --version ;;
  *) echo "usage: $0 install|start|check" >&2; exit 2 ;;
esac
