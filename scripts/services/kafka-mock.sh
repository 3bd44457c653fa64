#!/usr/bin/env bash
# Kafka tests run against librdkafka's built-in mock cluster, which Debian's kcat can start
# (-X test.mock.num.brokers=N). No broker is installed.
#
#   scripts/services/kafka-mock.sh install   install kcat (idempotent)
#   scripts/services/kafka-mock.sh check     print kcat's version and librdkafka build
set -euo pipefail

cmd="${1:-install}"
case "$cmd" in
  install)
    if command -v kcat >/dev/null 2>&1; then
      echo "kcat already installed: $(command -v kcat)"
      exit 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when they are missing or the package is unknown.
    if ! apt-cache show kcat >/dev/null 2>&1; then apt-get update; fi
    apt-get install -y --no-install-recommends kcat
    ;;
  check)
    kcat -V
    ;;
  *)
    echo "usage: $0 install|check" >&2
    exit 2
    ;;
esac
