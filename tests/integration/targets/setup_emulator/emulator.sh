# shellcheck shell=bash
# Sourced by the integration targets' runme.sh: start_emulator [EMULATOR OPTIONS...] runs the ELB
# emulator on a free loopback port and exports its URL; it is stopped when the script exits.
# The emulator lives in the collection under test, which ansible-test puts on ANSIBLE_COLLECTIONS_PATH.

_collection_root() {
  local path
  IFS=: read -r -a paths <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
  for path in "${paths[@]}"; do
    if [ -f "$path/ansible_collections/lbaas/elb/tests/emulator/emulator.py" ]; then
      echo "$path/ansible_collections/lbaas/elb"
      return 0
    fi
  done
  echo "cannot find lbaas.elb on ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-}" >&2
  return 1
}

COLLECTION_ROOT=$(_collection_root)
export COLLECTION_ROOT
EMULATOR_PIDS=()
EMULATOR_WORKDIR=$(mktemp -d)
export EMULATOR_WORKDIR

stop_emulators() {
  local pid
  for pid in "${EMULATOR_PIDS[@]+"${EMULATOR_PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$EMULATOR_WORKDIR"
}
trap stop_emulators EXIT

# start_emulator [OPTIONS...]: sets EMULATOR_URL (and EMULATOR_PORT) for the emulator just started.
start_emulator() {
  local portfile="$EMULATOR_WORKDIR/port.$RANDOM$RANDOM"
  python "$COLLECTION_ROOT/tests/emulator/emulator.py" --port 0 --port-file "$portfile" "$@" \
    >>"$EMULATOR_WORKDIR/emulator.log" 2>&1 &
  EMULATOR_PIDS+=("$!")
  local _
  for _ in $(seq 1 100); do
    [ -s "$portfile" ] && break
    sleep 0.1
  done
  if [ ! -s "$portfile" ]; then
    echo "the emulator did not start:" >&2
    cat "$EMULATOR_WORKDIR/emulator.log" >&2
    return 1
  fi
  EMULATOR_PORT=$(cat "$portfile")
  local scheme=http
  case " $* " in *" --tls-cert "*) scheme=https ;; esac
  EMULATOR_URL="$scheme://127.0.0.1:$EMULATOR_PORT"
  export EMULATOR_PORT EMULATOR_URL
}
