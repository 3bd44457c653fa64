#!/usr/bin/env bash
# Enables RabbitMQ's management plugin (shipped in Debian's rabbitmq-server package) and waits
# until its HTTP API answers. Safe to run again: enabling an enabled plugin is a no-op.
#
#   scripts/services/rabbitmq-management.sh install   # checks that rabbitmq-plugins is present
#   scripts/services/rabbitmq-management.sh start     # enables rabbitmq_management, waits for the API
#   scripts/services/rabbitmq-management.sh status    # exit 0 when the API answers
#
# RABBITMQ_MGMT_URL (default http://127.0.0.1:15672), RABBITMQ_MGMT_USER / RABBITMQ_MGMT_PASSWORD
# (default guest/guest) and RABBITMQ_MGMT_WAIT_SECONDS (default 60) adjust it.
set -euo pipefail

URL="${RABBITMQ_MGMT_URL:-http://127.0.0.1:15672}"
USER_NAME="${RABBITMQ_MGMT_USER:-guest}"
PASSWORD="${RABBITMQ_MGMT_PASSWORD:-guest}"
WAIT_SECONDS="${RABBITMQ_MGMT_WAIT_SECONDS:-60}"

answering() {
  curl -fsS --max-time 2 -o /dev/null -u "${USER_NAME}:${PASSWORD}" "${URL}/api/overview" 2>/dev/null
}

install() {
  if ! command -v rabbitmq-plugins >/dev/null 2>&1; then
    echo "rabbitmq-plugins not found: RabbitMQ (Debian package rabbitmq-server) must be installed and running" >&2
    return 1
  fi
  echo "rabbitmq-plugins present"
}

start() {
  install
  if answering; then
    echo "management API already answers at ${URL}"
    return 0
  fi
  if rabbitmq-plugins list -E 2>/dev/null | grep -q ' rabbitmq_management '; then
    echo "rabbitmq_management already enabled; waiting for it"
  else
    rabbitmq-plugins enable rabbitmq_management
  fi
  echo "waiting for ${URL}/api/overview ..."
  local deadline=$((SECONDS + WAIT_SECONDS))
  until answering; do
    if ((SECONDS >= deadline)); then
      echo "management API did not answer within ${WAIT_SECONDS}s" >&2
      return 1
    fi
    sleep 1
  done
  echo "management API is up at ${URL}"
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  status) answering && echo "up" || { echo "down"; exit 1; } ;;
  *) echo "usage: $0 install|start|status" >&2; exit 2 ;;
esac
