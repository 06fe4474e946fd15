# shellcheck shell=bash
# Sourced by the integration targets' runme.sh: start_emulator [EMULATOR OPTIONS...] runs the ELB
# emulator on a free loopback port and exports its URL; it is stopped when the script exits.
# The emulator and its launcher live in the collection under test, which ansible-test puts on
# ANSIBLE_COLLECTIONS_PATH.

_collection_root() {
  local path
  IFS=: read -r -a paths <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
  for path in "${paths[@]}"; do
    if [ -f "$path/ansible_collections/lbaas/elb/tests/emulator/launch.py" ]; then
      echo "$path/ansible_collections/lbaas/elb"
      return 0
    fi
  done
  echo "cannot find lbaas.elb on ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-}" >&2
  return 1
}

COLLECTION_ROOT=$(_collection_root)
export COLLECTION_ROOT
# Every process here is stopped on exit: the emulators, and whatever a runme.sh adds (its own servers).
EMULATOR_PIDS=()
EMULATOR_WORKDIR=$(mktemp -d)
export EMULATOR_WORKDIR

stop_emulators() {
  local pid children tries
  children=" $(jobs -p | tr '\n' ' ') "
  for pid in "${EMULATOR_PIDS[@]+"${EMULATOR_PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${EMULATOR_PIDS[@]+"${EMULATOR_PIDS[@]}"}"; do
    # A runme.sh's own server is a child of this shell: wait for it. The emulators are not (their
    # launcher has exited), so they are watched until they are gone.
    if [[ $children == *" $pid "* ]]; then
      wait "$pid" 2>/dev/null || true
      continue
    fi
    for ((tries = 0; tries < 100; tries++)); do
      kill -0 "$pid" 2>/dev/null || continue 2
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$EMULATOR_WORKDIR"
}
trap stop_emulators EXIT

# start_emulator [OPTIONS...]: sets EMULATOR_URL (and EMULATOR_PORT) for the emulator just started.
start_emulator() {
  local line
  line=$(python "$COLLECTION_ROOT/tests/emulator/launch.py" --background \
    --log-file "$EMULATOR_WORKDIR/emulator.log" "$@") || return 1
  EMULATOR_URL=${line% *}
  EMULATOR_PIDS+=("${line##* }")
  EMULATOR_PORT=${EMULATOR_URL##*:}
  export EMULATOR_PORT EMULATOR_URL
}
