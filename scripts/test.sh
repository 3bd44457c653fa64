#!/usr/bin/env bash
# `npm test`: starts the test servers the machine lacks, then runs every Jest project:
# unit specs, real-server connector tests, the e2e suites on SQLite and on PostgreSQL, and the
# web console's browser suite (headless Chromium, installed by scripts/services/chromium.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bash scripts/start-services.sh; then
  echo "!! some test servers could not be started; their suites will fail under CI=true and be skipped otherwise"
fi
exec npx jest --ci --maxWorkers=2 "$@"
