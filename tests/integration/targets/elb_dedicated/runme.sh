#!/usr/bin/env bash
# Dedicated load balancers (API v3, elb_type: dedicated) against the emulator's dedicated flavor: the
# elb_member lifecycle with the requests of each task counted, elb_member_info over 2,500 members,
# elb_pool_members with purge with and without the v3 batch endpoints, elb_auth with the elbv3 catalog.
# Extra arguments (e.g. -vvv) are passed to ansible-playbook.
set -euo pipefail

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

start_emulator --demo-world --flavor dedicated
# member_info.yml seeds 2,500 members, past the pool quota of 500: it comes last.
for playbook in member_lifecycle.yml auth.yml member_info.yml; do
  echo "=== $playbook (emulator at $EMULATOR_URL)"
  ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" "$playbook" "$@"
done

for batch in true false; do
  echo "{\"v3_batch\": $batch}" >"$EMULATOR_WORKDIR/v3_batch_$batch.json"
  start_emulator --demo-world --flavor dedicated --config "$EMULATOR_WORKDIR/v3_batch_$batch.json"
  echo "=== pool_members.yml, v3 batch endpoints $batch (emulator at $EMULATOR_URL)"
  ansible-playbook -i localhost, -e emulator_url="$EMULATOR_URL" -e v3_batch="$batch" pool_members.yml "$@"
done
