#!/usr/bin/env bash
# Kafka tests run against librdkafka's built-in mock cluster, which Debian's kcat starts with
# `-X test.mock.num.brokers=N`; no Kafka broker is installed. Each test suite spawns its own
# mock cluster (libs/connectors/test/support/kafka-mock.ts), so there is no long-running server.
#
#   scripts/services/kafka-mock.sh install   # apt-get install kcat (idempotent)
#   scripts/services/kafka-mock.sh start     # nothing to start; checks that kcat runs
#   scripts/services/kafka-mock.sh check     # prints kcat's and librdkafka's versions
set -euo pipefail

install() {
  if command -v kcat >/dev/null 2>&1; then
    echo "kcat already installed: $(command -v kcat)"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when they do not know the package yet.
  if ! apt-cache show kcat >/dev/null 2>&1; then apt-get update; fi
  apt-get install -y --no-install-recommends kcat
}

case "${1:-install}" in
  install) install ;;
  start) command -v kcat >/dev/null 2>&1 && echo "kcat present; mock clusters are started by the tests" ;;
  check) kcat -V ;;
  *) echo "usage: $0 install|start|check" >&2; exit 2 ;;
esac
