#!/usr/bin/env bash
# Run a command (the browser tests) in a network namespace that has nothing but loopback: no internet,
# no LAN, no DNS. Inside it Redis is a private instance on 127.0.0.1:6379 (the namespace has its own
# ports) and PostgreSQL is reached through its Unix socket (DATABASE_URL's host 127.0.0.1 dropped).
#
# Needs root, as in CI. Without root or `unshare` the command runs on the machine's own network and a
# note says so: a developer's laptop still runs the suite.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v ip >/dev/null \
    || ! command -v redis-server >/dev/null || ! unshare --net true 2>/dev/null; then
    echo "note: no network namespace here (needs root, unshare, ip, redis-server): running with the network" >&2
    exec "$@"
  fi
  exec unshare --net -- bash "$0" --inside "$@"
fi
shift

ip link set lo up
links=$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')
if [ "$links" != "lo " ]; then
  echo "expected only loopback in the namespace, found: $links" >&2
  exit 1
fi
echo "== without internet: a network namespace with only loopback (ip route: '$(ip route)')"

redis_dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$redis_dir" \
  --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
trap 'redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true; rm -rf "$redis_dir"' EXIT
for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null

if [ -n "${DATABASE_URL:-}" ]; then
  # postgres://user@127.0.0.1:5432/db → postgres://user@/db: libpq's default Unix socket.
  DATABASE_URL=$(printf '%s' "$DATABASE_URL" | sed -E 's#@(127\.0\.0\.1|localhost)(:5432)?/#@/#')
  export DATABASE_URL
fi
"$@"
