#!/usr/bin/env bash
# Every way users authenticate (lbaas.elb.elb_auth and the connection options of every module), against
# the real emulator over HTTP: each auth path (auth_paths.yml), the documented AWX credential type
# (awx_injectors.yml), one authentication per play (one_auth_per_play.yml) and rejected credentials
# (auth_errors.yml, whose -vvv output is then searched for every secret value: zero hits).
# Extra arguments (e.g. -v) are passed to ansible-playbook.
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

# Credentials come only from the playbooks: nothing from the calling shell.
while IFS='=' read -r name _; do unset "$name"; done < <(env | grep -E '^(OS_[A-Z_]+|ELB_ENDPOINT)=' || true)

work="$EMULATOR_WORKDIR/work"
logs="$EMULATOR_WORKDIR/logs"
mkdir -p "$work" "$logs"
# Distinctive wrong secrets, so that a leak cannot hide among other text.
wrong_password='Pw-WRONG-SENTINEL-4b9e1c'
wrong_secret_key='Sk-WRONG-SENTINEL-7d20af'
demo_password=demo-password
demo_secret_key=demo-secret-key-0000000000000001

start_emulator --demo-world --settle-time 0.05

# run NAME PLAYBOOK [ARGS...]: one ansible-playbook, its output kept in $logs/NAME.log and shown on failure.
run() {
  local name=$1
  shift
  echo "=== $name (emulator at $EMULATOR_URL)"
  local start=$SECONDS
  if ! ansible-playbook -i localhost, -e "emulator_url=$EMULATOR_URL" -e "work_dir=$work" \
    -e "collection_root=$COLLECTION_ROOT" "$@" >"$logs/$name.log" 2>&1; then
    cat "$logs/$name.log"
    echo "ansible-playbook $name failed" >&2
    return 1
  fi
  grep -E '^localhost +:' "$logs/$name.log" || true
  echo "    $((SECONDS - start))s"
}

run auth_paths auth_paths.yml "$@"
[ ! -e clouds.yaml ] || { echo "auth_paths.yml left its clouds.yaml behind" >&2; exit 1; }
run awx_injectors awx_injectors.yml "$@"
run one_auth_per_play one_auth_per_play.yml "$@"
python - "$EMULATOR_URL" <<'EOF'
import json, sys, urllib.request
counts = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/counts"))
used = {route: n for route, n in counts["routes"].items() if n}
print("    one auth per play: %d requests: %s" % (counts["total"], used))
EOF
run auth_errors auth_errors.yml -vvv -e "wrong_password=$wrong_password" -e "wrong_secret_key=$wrong_secret_key" "$@"

# ---------------------------------------------------------------- the secrets check
expired_token=$(cat "$work/expired_token")
secrets=("$wrong_password" "$wrong_secret_key" "$expired_token" "$demo_password" "$demo_secret_key" "SENTINEL")

# hits FILE...: the files and lines that contain any secret value.
hits() {
  local secret
  for secret in "${secrets[@]}"; do
    grep -nF -e "$secret" "$@" | cut -c1-300 || true
  done
}

# The check must be able to fail: a file holding one secret is found.
printf 'x%sx\n' "$expired_token" >"$work/canary"
[ -n "$(hits "$work/canary")" ] || { echo "the secrets check cannot find a secret" >&2; exit 1; }
# The output really is -vvv (module arguments shown, secrets masked) and has the three failures.
grep -q VALUE_SPECIFIED_IN_NO_LOG_PARAMETER "$logs/auth_errors.log" || { echo "no masked module arguments in the -vvv output" >&2; exit 1; }
[ "$(grep -c 'HTTP 401' "$logs/auth_errors.log")" -ge 4 ] || { echo "the rejected credentials are not in the output" >&2; exit 1; }

leaks=$(hits "$logs/auth_errors.log")
if [ -n "$leaks" ]; then
  echo "secret values found in the output:" >&2
  echo "$leaks" >&2
  exit 1
fi
echo "no secret value (${#secrets[@]} searched) in $(wc -l <"$logs/auth_errors.log") lines of -vvv output"
