#!/usr/bin/env bash
# The widget preview (issue 13): how long from "run preview" (opening the preview page) until
# the widget has rendered in its first area, and until each area's lifecycle is over, for the
# typical benchmark widget (`bench_widgets`: a 100 KB script.js, two libraries, eight twig
# templates; locations lcard, ccard, comcard, llist, settings, digital_pipeline).
#
#   bench/preview.sh                 # 10 rounds per area
#   ROUNDS=30 bench/preview.sh
#
# Then times `widgetry preview typical.zip` (every area, from the command line) with hyperfine.
#
# Starts the release `widgetry serve` on 127.0.0.1 with a temporary data folder (SQLite),
# uploads the widget through the API, then drives headless Chromium with playwright-core
# (`npm ci --prefix crates/server/tests/browser`, Chromium at /usr/bin/chromium or
# WIDGETRY_CHROMIUM): bench/preview.mjs. Every process it starts is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
ROUNDS=${ROUNDS:-10}
PASSWORD="bench password 1234"
. "$ROOT/bench/common.sh"

command -v node >/dev/null || die "node is missing (apt-get install -y nodejs npm)"
[[ -x ${WIDGETRY_CHROMIUM:-/usr/bin/chromium} ]] || die "Chromium is missing (apt-get install -y chromium)"
[[ -d $ROOT/crates/server/tests/browser/node_modules/playwright-core ]] ||
  die "playwright-core is missing (npm ci --prefix crates/server/tests/browser)"

bench_workspace preview

echo "== building widgetry, the widget generator and the load client (release)"
(cd "$ROOT" && cargo build --release -q -p widgetry --bin widgetry \
  && cargo build --release -q -p widgetry-validator --example bench_widgets \
  && cargo build --release -q -p widgetry-server --example load)
WIDGETRY="$TARGET/release/widgetry"
"$TARGET/release/examples/bench_widgets" "$OUT/widgets" >/dev/null
TYPICAL="$OUT/widgets/typical.zip"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $("$WIDGETRY" --version); $(${WIDGETRY_CHROMIUM:-/usr/bin/chromium} --version 2>/dev/null | head -1)"
echo "== load before: $(uptime | sed 's/.*load average/load average/')"

DATA="$OUT/data"
mkdir -p "$DATA"
echo "$PASSWORD" | "$WIDGETRY" admin create-user --email dev@bench.local --account bench \
  --password-stdin --data-dir "$DATA" >/dev/null
PORT=$(free_port)
FILES_PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$WIDGETRY" serve --bind "127.0.0.1:$PORT" --files-bind "127.0.0.1:$FILES_PORT" --data-dir "$DATA" 2>"$LOGS/server.log" &
PIDS+=("$!")
for _ in $(seq 1 300); do
  curl -fs "$URL/healthz/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$URL/healthz/ready" >/dev/null || die "the server did not start"
TOKEN=$("$TARGET/release/examples/load" token --url "$URL" --email dev@bench.local --password "$PASSWORD")

ID=$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name": {"en": "Notes Sync"}, "redirect_uri": "https://notes-sync.app/oauth"}' \
  "$URL/api/v1/integrations" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
read -r CODE VERSION < <(curl -fsS -H "Authorization: Bearer $TOKEN" -F "widget=@$TYPICAL;filename=widget.zip" \
  "$URL/api/v1/integrations/$ID/versions" |
  python3 -c 'import json,sys; v=json.load(sys.stdin)["version"]; print(v["code"], v["widget_version"])')
echo "== typical widget: $(stat -c %s "$TYPICAL") bytes, uploaded as $CODE $VERSION; $ROUNDS rounds per area"

WIDGETRY_BASE_URL="$URL" WIDGETRY_EMAIL=dev@bench.local WIDGETRY_PASSWORD="$PASSWORD" \
  WIDGETRY_CODE="$CODE" WIDGETRY_VERSION="$VERSION" ROUNDS="$ROUNDS" \
  node "$ROOT/bench/preview.mjs"

echo
if command -v hyperfine >/dev/null; then
  echo "== widgetry preview typical.zip: every area the manifest opens, from the command line (release CLI)"
  hyperfine -N -i --warmup 1 --runs 5 "$WIDGETRY preview $TYPICAL --format json" 2>&1 | grep -E "Time|Range"
  "$WIDGETRY" preview "$TYPICAL" --format json |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("findings:", r["errors"], "errors,", r["warnings"], "warnings;", ", ".join(sorted({d["code"] for d in r["diagnostics"]})))' || true
else
  echo "== hyperfine is missing (apt-get install -y hyperfine): the command-line timing is skipped"
fi
