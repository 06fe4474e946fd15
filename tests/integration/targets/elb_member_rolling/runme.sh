#!/usr/bin/env bash
# The rolling update of examples/rolling_update.yml, run as it is over the four backends of
# examples/backends.ini against the emulator, whose demo pool has a health monitor. Each scenario gets a
# fresh emulator: prepare_pool.py puts the four backends in the pool (ONLINE) and sets the scenario's
# health rules, the example runs with the demo user's OS_* credentials, and check_rollout.yml reads the order of
# the emulator's request log and the members left behind:
#   - all healthy: four hosts rolled, each back ONLINE before the next one is taken out;
#   - the third host stays OFFLINE: the play fails there, the fourth host is never touched;
#   - the second host flaps: it passes at a read that finds it ONLINE.
# Then health_waits.yml tests wait_for_status task by task (NO_MONITOR, state: absent, check mode,
# OFFLINE, the time and number of polls of a wait). Extra arguments (e.g. -vvv) go to every ansible-playbook.
set -euo pipefail

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

EXAMPLES=$COLLECTION_ROOT/examples
# Long enough that the first read after a create, which follows the load balancer's settle window
# (0.05 s), finds the member still OFFLINE even on a busy machine.
HEALTH_DELAY=0.6
# The stopped rollout waits this long for its third host.
HEALTH_TIMEOUT=3

fresh_emulator() {
  start_emulator --demo-world --settle-time 0.05 --health-delay "$HEALTH_DELAY"
  echo "=== $1 (emulator at $EMULATOR_URL)"
}

# rollout NAME HOST_RULES_JSON EXPECTED_EXIT_STATUS [EXTRA ARGUMENTS OF THE EXAMPLE...]
# Runs prepare_pool.py, the example (its output in $EMULATOR_WORKDIR/NAME.log) and check_rollout.yml; the
# example must exit with EXPECTED_EXIT_STATUS. check_rollout.yml's own arguments come from CHECK_ARGS.
rollout() {
  local name=$1 rules=$2 expected=$3 status
  shift 3
  fresh_emulator "$name"
  local state=$EMULATOR_WORKDIR/$name.json
  python prepare_pool.py "$EMULATOR_URL" "$EXAMPLES/backends.ini" "$state" "$rules"
  set +e
  # The example as a user runs it: credentials from the environment the emulator's launcher would set.
  OS_AUTH_URL=$EMULATOR_URL/v3 OS_USERNAME=demo OS_PASSWORD=demo-password OS_USER_DOMAIN_NAME=demo-domain \
    OS_PROJECT_NAME=eu-de ansible-playbook -i "$EXAMPLES/backends.ini" "$EXAMPLES/rolling_update.yml" "$@" \
    "${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"}" | tee "$EMULATOR_WORKDIR/$name.log"
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne "$expected" ]; then
    echo "FAILED: $name: the rolling update exited with $status, expected $expected" >&2
    return 1
  fi
  ansible-playbook -i "$EXAMPLES/backends.ini" check_rollout.yml -e "emulator_url=$EMULATOR_URL" \
    -e "state_file=$state" -e "{\"host_rules\": $rules}" -e "health_delay=$HEALTH_DELAY" \
    "${CHECK_ARGS[@]+"${CHECK_ARGS[@]}"}" "${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"}"
}

# expect_output NAME TEXT: the output of rollout NAME contains TEXT (a fixed string).
expect_output() {
  if ! grep -qF -- "$2" "$EMULATOR_WORKDIR/$1.log"; then
    echo "FAILED: $1: the rolling update's output does not contain: $2" >&2
    return 1
  fi
}

EXTRA_ARGS=("$@")

CHECK_ARGS=()
rollout all_healthy '{}' 0

# ansible-playbook exits 2 when a host failed; the failure names the last status and the time waited.
CHECK_ARGS=(-e stopped_at=web-3 -e "health_timeout=$HEALTH_TIMEOUT")
rollout third_offline '{"web-3": {"mode": "offline"}}' 2 -e "health_timeout=$HEALTH_TIMEOUT"
expect_output third_offline "fatal: [web-3 -> localhost]: FAILED!"
expect_output third_offline "(timeout ${HEALTH_TIMEOUT}s) waiting for member 192.168.44.23:80 to be ONLINE. Last answer: operating_status OFFLINE"

CHECK_ARGS=()
rollout second_flaps '{"web-2": {"mode": "flap", "period": 0.7}}' 0

fresh_emulator health_waits.yml
ansible-playbook -i localhost, -e "emulator_url=$EMULATOR_URL" -e "health_delay=$HEALTH_DELAY" \
  health_waits.yml "${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"}"
