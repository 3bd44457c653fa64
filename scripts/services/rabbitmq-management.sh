#!/usr/bin/env bash
# Enables RabbitMQ's management plugin (shipped in Debian's rabbitmq-server package) and waits
# until its HTTP API answers. Safe to run again: enabling an enabled plugin is a no-op.
#
#   scripts/services/rabbitmq-management.sh            enable and wait
#   RABBITMQ_MGMT_URL=http://host:15672 RABBITMQ_MGMT_USER=u RABBITMQ_MGMT_PASSWORD=p ...
set -euo pipefail

URL="${RABBITMQ_MGMT_URL:-http://127.0.0.1:15672}"
USER_NAME="${RABBITMQ_MGMT_USER:-guest}"
PASSWORD="${RABBITMQ_MGMT_PASSWORD:-guest}"
WAIT_SECONDS="${RABBITMQ_MGMT_WAIT_SECONDS:-60}"

if ! command -v rabbitmq-plugins >/dev/null 2>&1; then
  echo "rabbitmq-plugins not found: install rabbitmq-server first" >&2
  exit 1
fi

if rabbitmq-plugins list -E 2>/dev/null | grep -q 'rabbitmq_management '; then
  echo "rabbitmq_management already enabled"
else
  rabbitmq-plugins enable rabbitmq_management
fi

echo "waiting for ${URL}/api/overview ..."
deadline=$((SECONDS + WAIT_SECONDS))
until curl -fsS -o /dev/null -u "${USER_NAME}:${PASSWORD}" "${URL}/api/overview"; do
  if ((SECONDS >= deadline)); then
    echo "management API did not answer within ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  sleep 1
done
echo "management API is up at ${URL}"
