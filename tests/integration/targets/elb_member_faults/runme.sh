#!/usr/bin/env bash
# Reliability of lbaas.elb.elb_member against scripted faults in the emulator: retries of idempotent
# requests (retries.yml), creates that are never lost or duplicated (create.yml), busy load
# balancers (busy.yml), expiring tokens and time budgets (auth_timeout.yml).
set -euo pipefail
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

start_emulator --demo-world --seed 7
for playbook in retries.yml create.yml busy.yml auth_timeout.yml; do
  echo "=== $playbook"
  ansible-playbook "$playbook" -e "emulator_url=$EMULATOR_URL" "$@"
done
