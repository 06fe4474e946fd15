#!/usr/bin/env bash
# Octavia's member extras (monitor_address, monitor_port, backup, tags) through elb_member and
# elb_pool_members: against the emulator's octavia flavor they are set, left alone, changed and
# compared (tags as a set); against the shared (elb) flavor they are refused before any write.
# Extra arguments (e.g. -vvv) are passed to ansible-playbook.
set -euo pipefail

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

start_emulator --demo-world --settle-time 0.05 --flavor octavia
echo "=== extras.yml, octavia flavor (emulator at $EMULATOR_URL)"
ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" extras.yml "$@"

start_emulator --demo-world --settle-time 0.05
echo "=== refused.yml, shared ELB flavor (emulator at $EMULATOR_URL)"
ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" refused.yml "$@"
