#!/usr/bin/env bash
# Concurrency of lbaas.elb.elb_member against one emulator with a realistic settle window: parallel
# ansible-playbook processes plus one playbook with forks over fake hosts add distinct members to
# ONE pool (all succeed, exact count), then 20 processes add the SAME member at the same moment
# (exactly one member, exactly one task changed, none failed). This is the smallest configuration that
# still races: make reliability-small runs the same driver with faults, and make reliability the full
# size (20 racers).
set -euo pipefail
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

start_emulator --demo-world --settle-time 0.2
python concurrency.py --url "$EMULATOR_URL" --settle-time 0.2 \
  --processes 3 --members-per-process 5 --hosts 8 --members-per-host 3 --forks 8 \
  --race-processes 10 --race-create-delay 6 -- "$@"
