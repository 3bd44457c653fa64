#!/usr/bin/env bash
# Installs (where missing) and starts the test servers this machine does not start by itself:
# every scripts/services/*.sh answers `install` and `start`, idempotently.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for svc in scripts/services/*.sh; do
  [ -e "$svc" ] || continue
  name=$(basename "$svc" .sh)
  if ! bash "$svc" install; then echo "!! could not install $name"; status=1; continue; fi
  if ! bash "$svc" start; then echo "!! could not start $name"; status=1; fi
done
# A missing server fails its suites under CI=true (see test/support/servers.ts); say it early too.
exit $status
