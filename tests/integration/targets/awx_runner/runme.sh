#!/usr/bin/env bash
# The collection run the way AWX runs it: a project sync installs lbaas.elb from git (a bare clone of
# this repository) with ansible-galaxy, each job gets a private data directory laid out as AWX lays
# it out, real ansible-runner runs it, and the verdict comes from runner's own artifacts:
#   job 1  the built-in OpenStack credential (clouds.yaml + OS_CLIENT_CONFIG_FILE), run twice;
#   job 2  the AK/SK credential type of docs/awx/, run twice;
#   slice  the job sliced in two over 20 backends, both slices at once.
# Fails on a job that is not successful, a first run that changes nothing or a second run that
# changes something, any secret under artifacts/, or a pool that does not end with exactly 20 members.
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

# Credentials reach the jobs only through their private data directories.
while IFS='=' read -r name _; do unset "$name"; done < <(env | grep -E '^(OS_[A-Z_]+|ELB_ENDPOINT)=' || true)
python -c 'import ansible_runner' 2>/dev/null || {
  echo "ansible-runner is not installed for $(command -v python) (it is pinned in requirements-dev.txt)" >&2
  exit 1
}

here=$PWD
work="$EMULATOR_WORKDIR/awx"
mkdir -p "$work/logs"
checker() { python "$here/awx_job.py" "$@"; }

# git_repository: the git checkout of the collection under test, with the commit to install.
# ansible-test runs from a staged copy (tools/stage-collection.sh) that has a git repository of its
# own without commits, inside the checkout (.build/stage/...): the checkout is then the enclosing
# repository. Run from a checkout itself, the collection root is the repository.
git_repository() {
  local candidate
  for candidate in "$COLLECTION_ROOT" "$COLLECTION_ROOT/.."; do
    candidate=$(git -C "$candidate" rev-parse --show-toplevel 2>/dev/null) || continue
    git -C "$candidate" rev-parse --verify --quiet HEAD >/dev/null || continue
    if git -C "$candidate" show HEAD:galaxy.yml 2>/dev/null | grep -qx 'name: elb'; then
      echo "$candidate"
      return 0
    fi
  done
  echo "no git repository with a commit of lbaas.elb at or around $COLLECTION_ROOT" >&2
  return 1
}

# run_job PDD: ansible-runner as AWX starts it; its own output is kept, the verdict is the checker's.
run_job() {
  local pdd=$1 ident
  ident=$(basename "$pdd")
  python -m ansible_runner run "$pdd" -p pool_members.yml --ident "$ident" >"$work/logs/$ident.log" 2>&1 || true
}

start=$SECONDS
# ------------------------------------------------------------------ project sync
repo=$(git_repository)
git clone --quiet --bare --depth 1 "file://$repo" "$work/lbaas.elb.git"
revision=$(git -C "$work/lbaas.elb.git" rev-parse HEAD)

# The project is a git repository of its own, as in AWX; its collections/requirements.yml names the
# collection by the bare clone's URL, pinned to a commit.
mkdir -p "$work/project-src"
cp -R project/. "$work/project-src/"
mkdir -p "$work/project-src/collections"
cat >"$work/project-src/collections/requirements.yml" <<EOF
---
collections:
  - name: git+file://$work/lbaas.elb.git
    type: git
    version: $revision
EOF
git -C "$work/project-src" init --quiet
git -C "$work/project-src" add --all
git -C "$work/project-src" -c user.name=awx -c user.email=awx@example.invalid commit --quiet -m "pool members job"
project_revision=$(git -C "$work/project-src" rev-parse HEAD)

# What an AWX project update does: check the project out, then install its collections.
git clone --quiet "file://$work/project-src" "$work/sync/project"
ansible-galaxy collection install -r "$work/sync/project/collections/requirements.yml" \
  -p "$work/sync/requirements_collections" >"$work/logs/sync.log" 2>&1 || {
  cat "$work/logs/sync.log"
  exit 1
}
installed="$work/sync/requirements_collections/ansible_collections/lbaas/elb"
python - "$installed/MANIFEST.json" <<'EOF'
import json, sys
info = json.load(open(sys.argv[1]))["collection_info"]
assert (info["namespace"], info["name"]) == ("lbaas", "elb"), info
EOF
echo "=== project sync: lbaas.elb $revision installed from git+file:// ($((SECONDS - start))s)"

checker docs "$COLLECTION_ROOT" --project "$work/sync/project"

# layout ID CREDENTIAL HOSTS FIRST_ADDRESS [CMDLINE]: a new private data directory for job ID.
layout() {
  checker layout "$work/jobs/$1" --project "$work/sync/project" --collections "$work/sync/requirements_collections" \
    --credential "$2" --docs "$COLLECTION_ROOT/docs/awx" --emulator "$EMULATOR_URL" --hosts "$3" \
    --first-address "$4" --job-id "$1" --revision "$project_revision" --cmdline="${5:-}"
}
# check ID CHANGED HOSTS [--verbose]: the job's verdict from its artifacts.
check() {
  local pdd="$work/jobs/$1"
  shift
  checker check "$pdd" --changed "$1" --hosts "$2" \
    --module-root "$pdd/requirements_collections/ansible_collections/lbaas/elb" "${@:3}" || {
    echo "--- ansible-runner's output:" >&2
    cat "$work/logs/$(basename "$pdd").log" >&2
    return 1
  }
}

# ------------------------------------------------------------------ job 1 and job 2, each run twice
# A relaunch is a new job with a new private data directory; the first run at -vvv (AWX's verbosity
# 3, Debug), so that Ansible names the module files it runs; the second at verbosity 0 (Normal).
job_id=100
for credential in openstack aksk; do
  start_emulator --demo-world --settle-time 0.05
  for run in first second; do
    job_id=$((job_id + 1))
    t=$SECONDS
    if [ "$run" = first ]; then
      layout "$job_id" "$credential" 2 10.62.0.11 -vvv
      run_job "$work/jobs/$job_id"
      echo "=== job $job_id: $credential credential, $run run ($((SECONDS - t))s)"
      check "$job_id" yes 2 --verbose
    else
      layout "$job_id" "$credential" 2 10.62.0.11
      run_job "$work/jobs/$job_id"
      echo "=== job $job_id: $credential credential, $run run ($((SECONDS - t))s)"
      check "$job_id" no 2
    fi
  done
  checker pool "$EMULATOR_URL" --members 2 --first-address 10.62.0.11
done

# ------------------------------------------------------------------ a job sliced in two
# AWX runs the slices of a sliced job at the same time, each on its part of the inventory.
start_emulator --demo-world --settle-time 0.05
t=$SECONDS
layout 201 openstack 20 10.64.0.1 "--limit backends[0:9] -vvv"
layout 202 openstack 20 10.64.0.1 "--limit backends[10:19] -vvv"
run_job "$work/jobs/201" &
slice_one=$!
run_job "$work/jobs/202" &
slice_two=$!
wait "$slice_one" "$slice_two"
echo "=== jobs 201 and 202: one job sliced in two over 20 backends, run side by side ($((SECONDS - t))s)"
check 201 yes 10 --verbose
check 202 yes 10 --verbose
checker slices "$work/jobs/201" "$work/jobs/202" --hosts 20
checker pool "$EMULATOR_URL" --members 20 --first-address 10.64.0.1

# ------------------------------------------------------------------ the checks can fail
# A password planted in a copy of job 101's artifacts is found; the second run of job 101 (job 102,
# which changed nothing) is refused as a first run; the sliced job's pool is not taken for 19 members.
cp -R "$work/jobs/101" "$work/jobs/canary"
printf 'leaked: %s\n' demo-password >>"$(echo "$work/jobs/canary/artifacts/"*)/stdout"
# refused MESSAGE CHECKER-ARGS...: the checker must fail, and for that reason.
refused() {
  local message=$1 output
  shift
  if output=$(checker "$@" 2>&1); then
    echo "the checker accepted what it must refuse ($message): $*" >&2
    exit 1
  fi
  grep -qF "$message" <<<"$output" || { echo "the checker failed for another reason than '$message': $output" >&2; exit 1; }
}
refused "secrets in the artifacts" check "$work/jobs/canary" --changed yes --hosts 2 --module-root /
refused "must report changed=True" check "$work/jobs/102" --changed yes --hosts 2 --module-root /
refused "the pool should hold exactly" pool "$EMULATOR_URL" --members 19 --first-address 10.64.0.1
echo "    the checker refuses a password in the artifacts, a first run that changed nothing, a wrong member count"
echo "=== awx_runner passed in $((SECONDS - start))s"
