#!/usr/bin/env bash
# Concurrency of lbaas.elb.elb_member against one emulator with a realistic settle window: parallel
# ansible-playbook processes plus one playbook with forks over fake hosts add distinct members to
# ONE pool (all succeed, exact count), then 20 processes add the SAME member at the same moment
# (exactly one member, exactly one task changed, none failed). This is the small configuration;
# benchmarks/reliability.py runs the full size with faults.
set -euo pipefail
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

start_emulator --demo-world --settle-time 0.2
python concurrency.py --url "$EMULATOR_URL" --settle-time 0.2 \
  --processes 4 --members-per-process 10 --hosts 10 --members-per-host 10 --forks 10 \
  --race-processes 20 --race-create-delay 6 -- "$@"
