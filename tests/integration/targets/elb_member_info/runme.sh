#!/usr/bin/env bash
# Functional tests of lbaas.elb.elb_member_info: real ansible-playbook runs against the real emulator
# over HTTP, once with the shared-ELB flavor and once with the Octavia flavor (which always sends
# members_links). Each run gets a fresh emulator. Extra arguments (e.g. -vvv) go to ansible-playbook.
set -euo pipefail

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

for flavor in elb octavia; do
  start_emulator --demo-world --settle-time 0.05 --flavor "$flavor"
  echo "=== listing.yml, flavor $flavor (emulator at $EMULATOR_URL)"
  ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" listing.yml "$@"
done
