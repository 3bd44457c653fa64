#!/usr/bin/env bash
# Installs and runs a throw-away ClickHouse server for the connector tests.
#
#   scripts/services/clickhouse.sh install   # Debian's clickhouse-server (18.16 on bookworm)
#   scripts/services/clickhouse.sh start     # HTTP 127.0.0.1:18123, native TCP 127.0.0.1:19000
#   scripts/services/clickhouse.sh stop
#   scripts/services/clickhouse.sh status
#
# The packaged config is copied into $CLICKHOUSE_DIR (default /tmp/metadata-clickhouse) with its
# ports, paths and listen address rewritten, so the server never touches /var/lib/clickhouse or
# the default ports. Accounts: `default` (no password), `metadata_pw` (password in
# $CLICKHOUSE_TEST_PASSWORD, default "metadata-pw") and `metadata_limited` (may only see the
# `default` database), used by the diagnostic tests.
set -euo pipefail

DIR="${CLICKHOUSE_DIR:-/tmp/metadata-clickhouse}"
HTTP_PORT="${TEST_CLICKHOUSE_HTTP_PORT:-18123}"
TCP_PORT="${TEST_CLICKHOUSE_TCP_PORT:-19000}"
INTERSERVER_PORT="${TEST_CLICKHOUSE_INTERSERVER_PORT:-19009}"
PASSWORD="${CLICKHOUSE_TEST_PASSWORD:-metadata-pw}"
SOURCE_CONFIG=/etc/clickhouse-server
PID_FILE="$DIR/clickhouse-server.pid"

answering() {
  curl -fsS --max-time 2 "http://127.0.0.1:${HTTP_PORT}/?query=SELECT%201" 2>/dev/null | grep -qx 1
}

install() {
  if command -v clickhouse-server >/dev/null 2>&1 && command -v clickhouse-client >/dev/null 2>&1; then
    echo "clickhouse-server already installed: $(dpkg-query -W -f '${Version}' clickhouse-server 2>/dev/null || true)"
    return 0
  fi
  # Refresh the package lists only when they are missing or older than a day.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -n1)" ]; then
    apt-get update
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clickhouse-server clickhouse-client
}

write_config() {
  mkdir -p "$DIR/data" "$DIR/tmp" "$DIR/user_files" "$DIR/format_schemas" "$DIR/log"
  # Ports, paths and logs move into $DIR; the packaged file is otherwise kept as it is.
  sed \
    -e "s#<http_port>8123</http_port>#<http_port>${HTTP_PORT}</http_port>#" \
    -e "s#<tcp_port>9000</tcp_port>#<tcp_port>${TCP_PORT}</tcp_port>#" \
    -e "s#<interserver_http_port>9009</interserver_http_port>#<interserver_http_port>${INTERSERVER_PORT}</interserver_http_port>#" \
    -e "s#/var/lib/clickhouse/tmp/#${DIR}/tmp/#g" \
    -e "s#/var/lib/clickhouse/user_files/#${DIR}/user_files/#g" \
    -e "s#/var/lib/clickhouse/format_schemas/#${DIR}/format_schemas/#g" \
    -e "s#/var/lib/clickhouse/#${DIR}/data/#g" \
    -e "s#/var/log/clickhouse-server/#${DIR}/log/#g" \
    -e "s#<level>warning</level>#<level>information</level>#" \
    -e "s#</yandex>#    <listen_host>127.0.0.1</listen_host>\n</yandex>#" \
    "$SOURCE_CONFIG/config.xml" >"$DIR/config.xml"
  # Extra accounts for the diagnostic tests, inserted before the closing </users>.
  local users
  users="        <metadata_pw>\n            <password>${PASSWORD}</password>\n            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>\n            <profile>default</profile>\n            <quota>default</quota>\n        </metadata_pw>\n"
  users+="        <metadata_limited>\n            <password></password>\n            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>\n            <profile>default</profile>\n            <quota>default</quota>\n            <allow_databases><database>default</database></allow_databases>\n        </metadata_limited>\n"
  sed -e "s#</users>#${users}    </users>#" "$SOURCE_CONFIG/users.xml" >"$DIR/users.xml"
}

start() {
  if answering; then
    echo "ClickHouse already answering on 127.0.0.1:${HTTP_PORT}"
    return 0
  fi
  command -v clickhouse-server >/dev/null 2>&1 || install
  write_config
  # The server runs in the foreground of its own background job; its pid is recorded for `stop`.
  nohup clickhouse-server --config-file="$DIR/config.xml" >"$DIR/log/stdout.log" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    if answering; then
      echo "ClickHouse $(curl -fsS "http://127.0.0.1:${HTTP_PORT}/?query=SELECT%20version()") answering on 127.0.0.1:${HTTP_PORT} (data in $DIR)"
      return 0
    fi
    sleep 0.5
  done
  echo "ClickHouse did not answer on 127.0.0.1:${HTTP_PORT} within 60 s; last log lines:" >&2
  tail -n 30 "$DIR/log/clickhouse-server.err.log" "$DIR/log/stdout.log" >&2 2>/dev/null || true
  return 1
}

stop() {
  if [ -f "$PID_FILE" ]; then
    local pid
    pid="$(cat "$PID_FILE")"
    # Only a process started from this directory's config is ours to stop.
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$DIR/config.xml"; then
      kill "$pid"
      for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
    fi
    rm -f "$PID_FILE"
  elif answering; then
    echo "ClickHouse answers on 127.0.0.1:${HTTP_PORT} but was not started by this script (no $PID_FILE)" >&2
    return 1
  fi
  echo "ClickHouse stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) if answering; then echo "answering on 127.0.0.1:${HTTP_PORT}"; else echo "not answering"; exit 1; fi ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
