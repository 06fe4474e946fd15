#!/usr/bin/env bash
# Functional tests of lbaas.elb.elb_pool_members: real ansible-playbook runs against the real emulator
# over HTTP. rollout.yml runs once per batch dialect (ELB's and Octavia's), fallback.yml against an
# emulator without the batch endpoint, partial_failure.yml meets the member quota part-way, bad_inputs.yml checks that bad lists are refused before any
# request. Each run gets a fresh emulator. Extra arguments (e.g. -vvv) are passed to ansible-playbook.
set -euo pipefail

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

for dialect in elb octavia; do
  start_emulator --demo-world --settle-time 0.05 --batch-dialect "$dialect"
  echo "=== rollout.yml, batch dialect $dialect (emulator at $EMULATOR_URL)"
  ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" -e batch_dialect="$dialect" rollout.yml "$@"
done

start_emulator --demo-world --settle-time 0.05 --batch-dialect none
echo "=== fallback.yml, no batch endpoint (emulator at $EMULATOR_URL)"
ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" fallback.yml "$@"

start_emulator --demo-world --settle-time 0.05
echo "=== partial_failure.yml, default member quota (emulator at $EMULATOR_URL)"
ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" partial_failure.yml "$@"

start_emulator --demo-world --settle-time 0.05
echo "=== bad_inputs.yml (emulator at $EMULATOR_URL)"
ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" bad_inputs.yml "$@"
