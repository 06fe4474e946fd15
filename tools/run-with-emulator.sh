#!/usr/bin/env bash
# Start the ELB emulator with the demo world on a free loopback port, point the OS_* settings at
# it, run the given command, and stop the emulator whatever the command's outcome.
# Usage: tools/run-with-emulator.sh PYTHON [EMULATOR OPTIONS...] -- COMMAND [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=$1
shift
emulator_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  emulator_args+=("$1")
  shift
done
[ "${1:-}" = "--" ] && shift

workdir=$(mktemp -d)
"$python" "$here/tests/emulator/emulator.py" --port 0 --port-file "$workdir/port" --demo-world \
  ${emulator_args[@]+"${emulator_args[@]}"} >"$workdir/emulator.log" 2>&1 &
emulator_pid=$!
cleanup() {
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$workdir/port" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$workdir/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$workdir/port" ] || { echo "the emulator did not start" >&2; cat "$workdir/emulator.log" >&2; exit 1; }
port=$(cat "$workdir/port")
echo "ELB emulator running on http://127.0.0.1:$port (demo user 'demo', project 'eu-de')"

export ELB_EMULATOR_URL="http://127.0.0.1:$port"
export OS_AUTH_URL="http://127.0.0.1:$port/v3"
export OS_USERNAME=demo
export OS_PASSWORD=demo-password
export OS_USER_DOMAIN_NAME=demo-domain
export OS_PROJECT_NAME=eu-de
"$@"
