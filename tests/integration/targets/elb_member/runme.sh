#!/usr/bin/env bash
# Functional tests of lbaas.elb.elb_member: real ansible-playbook runs against the real emulator over
# HTTP. Each playbook gets a fresh emulator (demo world, short settle time), so that none depends on
# what another left behind. Extra arguments (e.g. -vvv) are passed to ansible-playbook.
set -euo pipefail

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

playbooks=(
  member_lifecycle.yml
  auth_password.yml
  member_identity.yml
  duplicate_adopt.yml
  error_envelopes.yml
  bad_inputs.yml
  pending_delete.yml
)

for playbook in "${playbooks[@]}"; do
  start_emulator --demo-world --settle-time 0.05
  echo "=== $playbook (emulator at $EMULATOR_URL)"
  ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" "$playbook" "$@"
done
