#!/usr/bin/env bash
# Security of lbaas.elb.elb_member against the emulator: TLS verification (tls.yml), secrets with
# every auth method and failure (secrets.yml, env_secrets.yml), user input that could steer a URL
# (paths.yml), hostile API answers (hostile.yml), and a server that misbehaves on purpose
# (hostile_server.py, echo.yml): credentials echoed in every escaping, slow, misleading and oversized
# answers. Every ansible-playbook run is at -vvv; its whole output, and the task results each play
# saves, are then searched for every secret value: zero hits.
set -euo pipefail
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

# The default trust store must be the one the module uses by default; credentials only from here.
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
while IFS='=' read -r name _; do unset "$name"; done < <(env | grep -E '^(OS_[A-Z_]+|ELB_ENDPOINT)=' || true)

certs="$EMULATOR_WORKDIR/certs"
logs="$EMULATOR_WORKDIR/logs"
results="$EMULATOR_WORKDIR/results"
mkdir -p "$certs" "$logs" "$results"
python gen_certs.py "$certs"

# Distinctive values: every secret contains "SENTINEL-", which nothing else in the output does (the
# access keys, which are not secret, have no dash after SENTINEL).
export SEC_USERNAME=sec-user
export SEC_PASSWORD='Pw-SENTINEL-7f3a9c'
export SEC_WRONG_PASSWORD='Pw-WRONG-SENTINEL-51d0e2'
# A wrong password that JSON escapes (quote, backslash, non-ASCII): an echo of the request body
# contains it only in escaped form, which a scrubber looking for the raw value misses.
export SEC_ODD_PASSWORD='Pw-ODD-SENTINEL-"q\é/&%+ x'
export SEC_ACCESS_KEY=AKSENTINELACCESS0001
export SEC_SECRET_KEY='Sk-SENTINEL-3e8b1f9a40c2'
export SEC_WRONG_SECRET_KEY='Sk-WRONG-SENTINEL-88c4d1'
export SEC_TEMP_ACCESS_KEY=AKSENTINELTEMPKEY002
export SEC_TEMP_SECRET_KEY='Sk-TEMP-SENTINEL-0d9e7a'
export SEC_SECURITY_TOKEN='St-SENTINEL-6a2c0b77'
export SEC_FAKE_TOKEN='Tok-SENTINEL-c0ffee12'
# For echo.yml: characters that Go, PHP and HTML each escape their own way (all printable Latin-1,
# so the token can go into a header); and values that hostile_server.py places across the excerpt's
# cut, starting with SENTINEL- so that the part left of the cut is found too.
export SEC_ECHO_TOKEN='Tok-ECHO-SENTINEL-a&b<c>d/é"f'
export SEC_ECHO_PASSWORD='Pw-ECHO-SENTINEL-a&b<c>d/é"f'
export SEC_STRADDLE_TOKEN='SENTINEL-straddle-tok-4c1d9e0b7a2f'
export SEC_STRADDLE_PASSWORD='SENTINEL-straddle-pw-8e2a5c7d1b9f'

start_emulator --demo-world --settle-time 0 --tls-cert "$certs/server.pem" --tls-key "$certs/server.key"
tls_url=$EMULATOR_URL
start_emulator --demo-world --settle-time 0
plain_url=$EMULATOR_URL

python hostile_server.py "$EMULATOR_WORKDIR/hostile.port" &
EMULATOR_PIDS+=("$!")
for _ in $(seq 1 100); do
  [ -s "$EMULATOR_WORKDIR/hostile.port" ] && break
  sleep 0.1
done
hostile_url="http://127.0.0.1:$(cat "$EMULATOR_WORKDIR/hostile.port")"

python secrets_setup.py "$tls_url" "$certs/ca.pem" >/dev/null
python secrets_setup.py "$plain_url" >"$EMULATOR_WORKDIR/tokens.env"
set -a
# shellcheck source=/dev/null
source "$EMULATOR_WORKDIR/tokens.env"
set +a

# run NAME PLAYBOOK [ARGS...]: one ansible-playbook at -vvv, all output kept in $logs/NAME.log.
run() {
  local name=$1
  shift
  echo "=== $name"
  if ! ansible-playbook "$@" -vvv >"$logs/$name.log" 2>&1; then
    cat "$logs/$name.log"
    echo "ansible-playbook $name failed" >&2
    return 1
  fi
  grep -E '^PLAY RECAP|^localhost +:' "$logs/$name.log" || true
}

common=(-e "results_dir=$results")
run tls tls.yml -e "emulator_url=$tls_url" -e "cert_dir=$certs" "${common[@]}" "$@"
run secrets secrets.yml -e "emulator_url=$plain_url" "${common[@]}" "$@"
OS_AUTH_URL="$plain_url/v3" OS_USERNAME="$SEC_USERNAME" OS_PASSWORD="$SEC_ODD_PASSWORD" \
  OS_USER_DOMAIN_NAME=demo-domain OS_PROJECT_NAME=eu-de OS_PROJECT_ID=0f8a3c6e2b7d4f1a9c5e8b3d6a2f7c4e \
  OS_AUTH_TOKEN="$SEC_FAKE_TOKEN" OS_ACCESS_KEY="$SEC_ACCESS_KEY" OS_SECRET_KEY="$SEC_WRONG_SECRET_KEY" \
  run env_secrets env_secrets.yml -e "emulator_url=$plain_url" "${common[@]}" "$@"
run paths paths.yml -e "emulator_url=$plain_url" "${common[@]}" "$@"
run hostile hostile.yml -e "emulator_url=$plain_url" "${common[@]}" "$@"
run echo echo.yml -e "emulator_url=$plain_url" -e "hostile_url=$hostile_url" "${common[@]}" "$@"

# ---------------------------------------------------------------- the secrets check
secrets=("$SEC_PASSWORD" "$SEC_WRONG_PASSWORD" "Pw-ODD-SENTINEL" "$SEC_SECRET_KEY" "$SEC_WRONG_SECRET_KEY"
  "$SEC_TEMP_SECRET_KEY" "$SEC_SECURITY_TOKEN" "$SEC_FAKE_TOKEN" "$SEC_VALID_TOKEN" "$SEC_EXPIRED_TOKEN"
  "$SEC_ECHO_TOKEN" "$SEC_ECHO_PASSWORD" "$SEC_STRADDLE_TOKEN" "$SEC_STRADDLE_PASSWORD"
  "Tok-ISSUED-SENTINEL" "Tok-CRLF-SENTINEL" "Tok-UNI-SENTINEL" "SENTINEL-")

# hits FILE...: each place where a secret value appears: file, line, and up to 80 characters before it.
hits() {
  local secret
  for secret in "${secrets[@]}"; do
    SECRET=$secret awk '{
      at = index($0, ENVIRON["SECRET"])
      if (at) { from = at > 80 ? at - 80 : 1; print FILENAME ":" FNR ": ..." substr($0, from, at - from + length(ENVIRON["SECRET"])) }
    }' "$@"
  done
}

# The check must be able to fail: a file holding one secret is found.
mkdir -p "$EMULATOR_WORKDIR/canary"
printf 'x%sx\n' "$SEC_VALID_TOKEN" >"$EMULATOR_WORKDIR/canary/one"
[ -n "$(hits "$EMULATOR_WORKDIR/canary/one")" ] || { echo "the secrets check cannot find a secret" >&2; exit 1; }

# The output really is -vvv (module arguments shown) and the saved results are all there.
grep -q VALUE_SPECIFIED_IN_NO_LOG_PARAMETER "$logs/secrets.log" || { echo "no masked module arguments in the -vvv output" >&2; exit 1; }
for play in tls secrets env_secrets paths hostile echo; do
  [ -s "$results/$play.json" ] || { echo "no saved results of $play.yml" >&2; exit 1; }
done

leaks=$(hits "$logs"/*.log "$results"/*.json)
if [ -n "$leaks" ]; then
  echo "secret values found in the output or results:" >&2
  echo "$leaks" >&2
  exit 1
fi
tracebacks=$(grep -rn -B2 -A8 'Traceback' "$logs" "$results" || true)
if [ -n "$tracebacks" ]; then
  echo "Python tracebacks in the output:" >&2
  echo "$tracebacks" >&2
  exit 1
fi
echo "no secret value (${#secrets[@]} searched) and no traceback in $(cat "$logs"/*.log | wc -l) lines of -vvv output and $(find "$results" -type f | wc -l) result files"
