#!/usr/bin/env bash
# Server benchmarks (issues 3 and 9), against the real `widgetry serve` release binary with a
# temporary data folder on 127.0.0.1. Six measurements, in one run:
#
#   1. uploads of the typical widget at 1, 8 and 32 concurrent clients: throughput, p50/p99
#   2. one widget file (script.js) on the files origin, requests per second, side by side with
#      nginx serving the same bytes from disk (wrk -t2 -c64 -d10s, alternating rounds): a
#      public file (goal >= 90 % of nginx) and the owner's signed URL (goal >= 80 %)
#   3. GET /api/v4/widgets?limit=250 with 10,000 public integrations (first and last page)
#   4. resident memory: idle, and during 32 concurrent 20 MB uploads; goal < 256 MB
#   5. `s3`: the S3 blob store (s3s-fs on loopback) against the local folder, side by side:
#      upload latency at 1 and 8 clients, a 100 KB file cold (first read, from the store) and
#      warm (from the cache)
#   6. `stall`: 60 clients request a 20 MB file and never read it; goal: the server stays
#      under 256 MB resident
#
#   bench/server.sh                      # everything, SQLite (about 5 minutes plus the build)
#   DB=postgres bench/server.sh          # the same on a throwaway PostgreSQL (run as root)
#   ONLY="upload files" bench/server.sh  # a subset of: upload files list memory s3 stall
#   ROUNDS=3 WRK_SECONDS=10 bench/server.sh
#   PERF=1 ONLY=files bench/server.sh   # adds a perf profile of the server serving the file
#   WIDGETRY_BIN=/path/to/old/widgetry ONLY=list bench/server.sh   # measure another build
#
# Uses CARGO_TARGET_DIR when set (default: target/ of the workspace). Installs nothing: it
# says what to apt-get install when a tool is missing. Every process it starts is stopped on
# exit, by its process id.
#
# Seeding shortcut (measurement 3, and the public file in 2): public visibility arrives with
# moderation (issue 4), so the script creates real integrations and versions through the
# HTTP API and then, in SQL, marks one version `published` and its integration `public`
# (`visibility`, `published_version_id`), and clones one real integration and its version
# 10,000 times (new `code` and `client_uuid`, same manifest and summary) in another account.
# The clones have no file index rows (the list does not read them).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DB=${DB:-sqlite}
ONLY=${ONLY:-upload files list memory s3 stall}
ROUNDS=${ROUNDS:-2}
WRK_SECONDS=${WRK_SECONDS:-10}
SEED=${SEED:-10000}
UPLOADS_1=${UPLOADS_1:-60}    # timed uploads per client at 1 client
UPLOADS_8=${UPLOADS_8:-20}    # ... at 8 clients (160 uploads)
UPLOADS_32=${UPLOADS_32:-8}   # ... at 32 clients (256 uploads)
BIG=${BIG:-20000000}          # bytes of each upload in the memory test
COLD=${COLD:-20}              # distinct 100 KB files read cold in the s3 comparison
STALLERS=${STALLERS:-60}      # clients that never read in the stall test
PASSWORD='bench password 123'

missing=()
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ $DB == sqlite ]] && { command -v sqlite3 >/dev/null || missing+=(sqlite3); }
if ((${#missing[@]})); then
  echo "missing tools: ${missing[*]}"
  echo "install them with: apt-get update && apt-get install -y nginx-light wrk curl python3 sqlite3"
  exit 2
fi
command -v nginx >/dev/null || true
NGINX=$(command -v nginx)

OUT=$(mktemp -d /tmp/widgetry-bench.XXXXXX)
chmod 755 "$OUT"
PIDS=()
PG_STOP=""
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [[ -n $PG_STOP ]] && eval "$PG_STOP" >/dev/null 2>&1 || true
  rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "== building widgetry, the widget generator and the load client (release)"
(cd "$ROOT" && { [[ -n ${WIDGETRY_BIN:-} ]] || cargo build --release -q -p widgetry --bin widgetry; } \
  && cargo build --release -q -p widgetry-validator --example bench_widgets \
  && cargo build --release -q -p widgetry-server --example load)
WIDGETRY="${WIDGETRY_BIN:-$TARGET/release/widgetry}"
LOAD="$TARGET/release/examples/load"
"$TARGET/release/examples/bench_widgets" "$OUT/widgets" >/dev/null
TYPICAL="$OUT/widgets/typical.zip"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "== load before: $(uptime | sed 's/.*load average/load average/')"
echo "== $("$WIDGETRY" --version), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1), database: $DB"

# --- PostgreSQL (DB=postgres): a throwaway cluster on loopback -------------------------
PG_PORT=""
start_postgres() {
  local pgbin=/usr/lib/postgresql/15/bin
  [[ -x $pgbin/initdb ]] || { echo "PostgreSQL 15 is not installed (apt-get install -y postgresql)"; exit 2; }
  command -v psql >/dev/null || { echo "psql is missing (apt-get install -y postgresql-client)"; exit 2; }
  [[ $(id -u) == 0 ]] || { echo "DB=postgres needs root (initdb runs as the postgres user)"; exit 2; }
  PGDATA="$OUT/pg"
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA"
  PG_PORT=$(free_port)
  runuser -u postgres -- "$pgbin/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PGDATA" start >/dev/null
  PG_STOP="runuser -u postgres -- $pgbin/pg_ctl -D $PGDATA -m immediate -w stop"
}
new_database() { # prints a database URL for a fresh database
  local name="bench_$1"
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $name" >/dev/null
  echo "postgres://postgres@127.0.0.1:$PG_PORT/$name"
}
[[ $DB == postgres ]] && start_postgres

# --- one server instance ----------------------------------------------------------------
# start_server NAME [serve args...]: a fresh data dir (and database), an admin user
# dev@bench.local in account `bench`, the server on a free port and its files origin on
# another; sets URL, FILES_URL, SPID, DATA, DBURL, TOKEN.
start_server() {
  local name=$1
  shift
  DATA="$OUT/$name"
  mkdir -p "$DATA"
  if [[ $DB == postgres ]]; then DBURL=$(new_database "$name"); else DBURL="sqlite://$DATA/widgetry.db"; fi
  export WIDGETRY_DATABASE_URL="$DBURL"
  echo "$PASSWORD" | "$WIDGETRY" admin create-user --email dev@bench.local --account bench \
    --password-stdin --data-dir "$DATA" >/dev/null
  echo "$PASSWORD" | "$WIDGETRY" admin create-user --email viewer@bench.local --account viewer \
    --password-stdin --data-dir "$DATA" >/dev/null
  local port files_port
  port=$(free_port)
  files_port=$(free_port)
  URL="http://127.0.0.1:$port"
  FILES_URL="http://127.0.0.1:$files_port"
  "$WIDGETRY" serve --bind "127.0.0.1:$port" --files-bind "127.0.0.1:$files_port" --data-dir "$DATA" "$@" 2>"$DATA/server.log" &
  SPID=$!
  PIDS+=("$SPID")
  for _ in $(seq 1 300); do
    curl -fs "$URL/healthz/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fs "$URL/healthz/ready" >/dev/null || { echo "the server did not start"; cat "$DATA/server.log"; exit 2; }
  TOKEN=$("$LOAD" token --url "$URL" --email dev@bench.local --password "$PASSWORD")
}
stop_server() {
  kill "$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
}
sql() { # runs SQL against the current instance's database
  if [[ $DB == postgres ]]; then
    psql -qtA -v ON_ERROR_STOP=1 "$DBURL" -c "$1"
  else
    sqlite3 -cmd '.timeout 5000' "$DATA/widgetry.db" "$1"
  fi
}
rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
api() { curl -fsS -H "Authorization: Bearer $TOKEN" "$URL$1"; }
# integration_id NAME: the id of the caller's integration named NAME (the load client names
# them `Bench <tag> <client>`).
integration_id() { api /api/v1/integrations | python3 -c "import json,sys; print(next(i['id'] for i in json.load(sys.stdin)['integrations'] if i['name'].get('en') == sys.argv[1]))" "$1"; }
# files_bases ID [N]: the files base URLs the owner gets for the N newest versions of an
# integration (all by default).
files_bases() {
  local versions
  versions=$(api "/api/v1/integrations/$1/versions")
  python3 -c "import json,sys; n=int(sys.argv[1]); vs=json.loads(sys.argv[2])['versions']; print('\n'.join(v['files_base_url'] for v in (vs[:n] if n else vs)))" "${2:-0}" "$versions"
}

SUMMARY="$OUT/summary"
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

# wrk_rps NAME URL [wrk args...]: one wrk run, prints requests/s; keeps the output.
wrk_run() {
  local name=$1 url=$2
  shift 2
  wrk "$@" --latency "$url" >"$OUT/wrk-$name.txt" 2>&1
  if grep -q 'Non-2xx' "$OUT/wrk-$name.txt"; then
    echo "wrk $name: non-2xx answers" >&2
    cat "$OUT/wrk-$name.txt" >&2
    exit 2
  fi
  awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$name.txt"
}
wrk_latency() { # NAME PERCENTILE -> the latency line of wrk --latency
  awk -v p="$2%" '$1 == p {print $2}' "$OUT/wrk-$1.txt"
}
median() { python3 -c 'import statistics,sys; print("%.0f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

# ---------------------------------------------------------------------------------------
start_server main
echo "== server $URL (pid $SPID), data $DATA"

if wants upload; then
  echo
  echo "== 1. uploads of the typical widget ($(stat -c %s "$TYPICAL") bytes), one integration per client"
  for c in 1 8 32; do
    var="UPLOADS_$c"
    "$LOAD" upload --url "$URL" --token "$TOKEN" --zip "$TYPICAL" --clients "$c" \
      --per-client "${!var}" --tag "c$c" >"$OUT/upload-$c.json"
    json "'clients %(clients)3d: %(uploads)4d uploads (%(accepted)d accepted) in %(wall_s).2f s = %(uploads_per_s)6.1f uploads/s, %(mb_per_s).1f MB/s; latency p50 %(p50_ms).1f ms, p90 %(p90_ms).1f ms, p99 %(p99_ms).1f ms, max %(max_ms).1f ms' % d" \
      <"$OUT/upload-$c.json" | sed 's/^/upload /' | tee -a "$SUMMARY"
    if [[ $(json "d['accepted'] == d['uploads']" <"$OUT/upload-$c.json") != True ]]; then
      echo "some uploads were refused: $(json "d['first_error']" <"$OUT/upload-$c.json")"
      exit 2
    fi
  done
fi

# A private version (owner only) and a public one (SQL shortcut, see the header).
"$LOAD" upload --url "$URL" --token "$TOKEN" --zip "$TYPICAL" --clients 2 --per-client 1 \
  --tag files >"$OUT/upload-files.json"
read -r PUB_IID PUB_VID PUB_CODE PUB_VER < <(sql "SELECT i.id, v.id, i.code, v.widget_version FROM integrations i JOIN versions v ON v.id = i.latest_version_id WHERE i.name_json LIKE '%Bench files 0%'" | tr '|' ' ')
sql "UPDATE versions SET state = 'published' WHERE id = $PUB_VID; UPDATE integrations SET visibility = 'public', published_version_id = $PUB_VID WHERE id = $PUB_IID;" >/dev/null

# start_nginx ROOT: nginx serving ROOT on a free port with the headers the files origin sends;
# sets NGINX_URL and NPID.
start_nginx() {
  NGINX_PORT=$(free_port)
  cat >"$OUT/nginx.conf" <<EOF
worker_processes auto;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
  types { text/javascript js; }
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $OUT/nginx-tmp;
  proxy_temp_path $OUT/nginx-tmp;
  fastcgi_temp_path $OUT/nginx-tmp;
  uwsgi_temp_path $OUT/nginx-tmp;
  scgi_temp_path $OUT/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $1;
    add_header Cache-Control "public, max-age=31536000, immutable";
    add_header X-Content-Type-Options nosniff;
    add_header Access-Control-Allow-Origin *;
    add_header Cross-Origin-Resource-Policy cross-origin;
  }
}
EOF
  mkdir -p "$OUT/nginx-tmp"
  "$NGINX" -c "$OUT/nginx.conf" -e "$OUT/nginx-error.log" &
  NPID=$!
  PIDS+=("$NPID")
  NGINX_URL="http://127.0.0.1:$NGINX_PORT"
}

if wants files; then
  echo
  PUB_PATH="/$PUB_CODE/$PUB_VER/script.js"
  PUB_URL="$FILES_URL$PUB_PATH"
  PRIV_IID=$(integration_id "Bench files 1")
  PRIV_URL="$(files_bases "$PRIV_IID" 1)/script.js"
  [[ $PRIV_URL == *"/~"* ]] || { echo "the private version's URL is not signed: $PRIV_URL"; exit 2; }
  mkdir -p "$OUT/www/$PUB_CODE/$PUB_VER"
  curl -fsS -D "$OUT/pub.headers" -o "$OUT/www$PUB_PATH" "$PUB_URL"
  grep -qi '^cache-control: public' "$OUT/pub.headers" || { echo "the public file is not public:"; cat "$OUT/pub.headers"; exit 2; }
  curl -fsS -o /dev/null "$PRIV_URL"
  FILE_BYTES=$(stat -c %s "$OUT/www$PUB_PATH")
  start_nginx "$OUT/www"
  for _ in $(seq 1 50); do curl -fs -o /dev/null "$NGINX_URL$PUB_PATH" && break; sleep 0.1; done
  curl -fsS "$NGINX_URL$PUB_PATH" | cmp - "$OUT/www$PUB_PATH"
  echo "== 2. one widget file on the files origin: script.js, $FILE_BYTES bytes; wrk -t2 -c64 -d${WRK_SECONDS}s, $ROUNDS alternating rounds"
  echo "   load: $(uptime | sed 's/.*load average/load average/')"
  n_all=() w_pub=() w_priv=()
  for r in $(seq 1 "$ROUNDS"); do
    n=$(wrk_run "nginx-$r" "$NGINX_URL$PUB_PATH" -t2 -c64 -d"${WRK_SECONDS}s")
    p=$(wrk_run "public-$r" "$PUB_URL" -t2 -c64 -d"${WRK_SECONDS}s")
    o=$(wrk_run "signed-$r" "$PRIV_URL" -t2 -c64 -d"${WRK_SECONDS}s")
    printf '   round %d: nginx %9.0f req/s   widgetry public %9.0f req/s (p99 %s)   widgetry signed %9.0f req/s (p99 %s)\n' \
      "$r" "$n" "$p" "$(wrk_latency "public-$r" 99)" "$o" "$(wrk_latency "signed-$r" 99)"
    n_all+=("$n") w_pub+=("$p") w_priv+=("$o")
  done
  N=$(median "${n_all[@]}") P=$(median "${w_pub[@]}") O=$(median "${w_priv[@]}")
  pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", 100*a/b}'; }
  note "files  nginx $N req/s; files origin: public file $P req/s ($(pct "$P" "$N") % of nginx), owner's signed URL $O req/s ($(pct "$O" "$N") %); medians of $ROUNDS rounds"
  if awk -v a="$P" -v b="$N" 'BEGIN { exit !(a >= 0.9 * b) }'; then
    note "files  goal met: public file >= 90 % of nginx"
  else
    note "files  goal missed: public file below 90 % of nginx"
  fi
  if awk -v a="$O" -v b="$N" 'BEGIN { exit !(a >= 0.8 * b) }'; then
    note "files  goal met: signed file >= 80 % of nginx"
  else
    note "files  goal missed: signed file below 80 % of nginx"
  fi
  kill "$NPID" 2>/dev/null || true
  wait "$NPID" 2>/dev/null || true
  if [[ ${PERF:-0} == 1 ]]; then
    command -v perf >/dev/null || { echo "perf is missing (apt-get install -y linux-perf)"; exit 2; }
    echo "   perf: the server's profile while wrk fetches the public file"
    wrk -t2 -c64 -d"$((WRK_SECONDS + 2))s" "$PUB_URL" >/dev/null 2>&1 &
    WPID=$!
    PIDS+=("$WPID")
    sleep 1
    perf record -q -F 1999 -g -p "$SPID" -o "$OUT/perf.data" -- sleep "$WRK_SECONDS" >/dev/null 2>&1 || true
    wait "$WPID" 2>/dev/null || true
    perf report -i "$OUT/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | head -40 | tee "$OUT/perf-self.txt" | sed 's/^/   /'
    echo "   by shared object:"
    perf report -i "$OUT/perf.data" --no-children --sort dso --stdio 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | head -8 | sed 's/^/   /'
  fi
fi

if wants list; then
  echo
  echo "== 3. GET /api/v4/widgets?limit=250 with $SEED public integrations (seeded in SQL, see the header)"
  read -r TPL_IID TPL_VID < <(sql "SELECT i.id, v.id FROM integrations i JOIN versions v ON v.id = i.latest_version_id WHERE i.name_json LIKE '%Bench files 0%'" | tr '|' ' ')
  t0=$(date +%s%N)
  sql "
BEGIN;
INSERT INTO accounts (subdomain, name, created_at) VALUES ('seeded', 'Seeded', 0);
INSERT INTO integrations (client_uuid, account_id, name_json, description_json, redirect_uri, code,
    secret_hash, scheme, visibility, last_seq, created_at, updated_at)
  WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $SEED)
  SELECT 'seed-' || k, (SELECT id FROM accounts WHERE subdomain = 'seeded'), t.name_json,
    t.description_json, t.redirect_uri, 'seeded_' || k, t.secret_hash, t.scheme, 'public', 1,
    t.created_at, t.updated_at
  FROM n, integrations t WHERE t.id = $TPL_IID;
INSERT INTO versions (integration_id, seq, widget_version, archive_sha256, archive_size,
    manifest_json, summary_json, report_json, state, uploaded_by, created_at)
  SELECT i.id, 1, v.widget_version, v.archive_sha256, v.archive_size, v.manifest_json,
    v.summary_json, v.report_json, 'published', v.uploaded_by, v.created_at
  FROM integrations i, versions v WHERE i.client_uuid LIKE 'seed-%' AND v.id = $TPL_VID;
UPDATE integrations SET
  published_version_id = (SELECT id FROM versions WHERE versions.integration_id = integrations.id),
  latest_version_id = (SELECT id FROM versions WHERE versions.integration_id = integrations.id)
  WHERE client_uuid LIKE 'seed-%';
COMMIT;" >/dev/null
  [[ $DB == postgres ]] && sql "ANALYZE" >/dev/null
  echo "   seeded in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  VIEWER=$("$LOAD" token --url "$URL" --email viewer@bench.local --password "$PASSWORD")
  LAST=$(( (SEED + 1 + 249) / 250 ))   # the seeded ones plus the public file's integration
  for page in 1 "$LAST"; do
    curl -fsS -H "Authorization: Bearer $VIEWER" "$URL/api/v4/widgets?page=$page&limit=250" >"$OUT/page-$page.json"
  done
  echo "   page 1: $(json "len(d['_embedded']['widgets'])" <"$OUT/page-1.json") widgets, $(stat -c %s "$OUT/page-1.json") bytes; page $LAST: $(json "len(d['_embedded']['widgets'])" <"$OUT/page-$LAST.json") widgets"
  [[ $(json "len(d['_embedded']['widgets'])" <"$OUT/page-1.json") == 250 ]] || { echo "page 1 is not full"; exit 2; }
  echo "   load: $(uptime | sed 's/.*load average/load average/')"
  for page in 1 "$LAST"; do
    u="$URL/api/v4/widgets?page=$page&limit=250"
    one=$(wrk_run "list1-$page" "$u" -t1 -c1 -d"${WRK_SECONDS}s" -H "Authorization: Bearer $VIEWER")
    many=$(wrk_run "list16-$page" "$u" -t2 -c16 -d"${WRK_SECONDS}s" -H "Authorization: Bearer $VIEWER")
    note "list   page $page (limit 250): 1 client $one req/s (p50 $(wrk_latency "list1-$page" 50), p99 $(wrk_latency "list1-$page" 99)); 16 clients $many req/s (p50 $(wrk_latency "list16-$page" 50), p99 $(wrk_latency "list16-$page" 99))"
  done
fi
stop_server

if wants memory; then
  echo
  echo "== 4. resident memory: a fresh server, idle, then 32 concurrent uploads of $BIG bytes"
  start_server memory
  sleep 2
  IDLE=$(rss_kb "$SPID" VmRSS)
  ( while kill -0 "$SPID" 2>/dev/null; do rss_kb "$SPID" VmRSS; sleep 0.05; done ) >"$OUT/rss.txt" 2>/dev/null &
  SAMPLER=$!
  PIDS+=("$SAMPLER")
  "$LOAD" upload --url "$URL" --token "$TOKEN" --zip "$TYPICAL" --clients 32 --per-client 1 \
    --pad-to "$BIG" --tag big >"$OUT/upload-big.json"
  HWM=$(rss_kb "$SPID" VmHWM)
  AFTER=$(rss_kb "$SPID" VmRSS)
  kill "$SAMPLER" 2>/dev/null || true
  wait "$SAMPLER" 2>/dev/null || true
  MAXS=$(sort -n "$OUT/rss.txt" | tail -1)
  json "'   %(uploads)d uploads of %(archive_bytes)d bytes, %(accepted)d accepted, statuses %(statuses)s, in %(wall_s).1f s (p50 %(p50_ms).0f ms, max %(max_ms).0f ms)' % d" <"$OUT/upload-big.json"
  first=$(json "d['first_error'] or ''" <"$OUT/upload-big.json")
  [[ -n $first ]] && echo "   first refusal: $first"
  note "memory idle VmRSS $((IDLE / 1024)) MB; during 32 x $BIG B uploads: max sampled VmRSS $((MAXS / 1024)) MB, VmHWM $((HWM / 1024)) MB; after $((AFTER / 1024)) MB"
  if (( HWM < 256 * 1024 )); then note "memory goal met: peak < 256 MB"; else note "memory goal missed: peak >= 256 MB"; fi
  stop_server
fi

# curl_ms URL: milliseconds of one GET (whole body), failing on an error status.
curl_ms() { curl -fsS -o /dev/null -w '%{time_total}' "$1" | awk '{printf "%.2f", $1 * 1000}'; }
med() { python3 -c 'import statistics,sys; print("%.2f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }

if wants s3; then
  echo
  command -v s3s-fs >/dev/null || { echo "s3s-fs is missing (cargo install s3s-fs --version 0.14.1 --features binary --locked)"; exit 2; }
  S3_PORT=$(free_port)
  mkdir -p "$OUT/s3/bench"
  s3s-fs --host 127.0.0.1 --port "$S3_PORT" --access-key bench --secret-key bench-secret-key "$OUT/s3" >"$OUT/s3.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.1; done
  echo "== 5. the S3 blob store ($(s3s-fs --version) on loopback, the same disk) against the local folder, side by side"
  echo "   load: $(uptime | sed 's/.*load average/load average/')"
  # `s3-serial` writes an upload's blobs one after another (--blob-put-concurrency 1), the
  # others eight at a time (the default).
  declare -A S3U S3P S3T
  for store in local s3 s3-serial; do
    case $store in
      local) start_server "store-$store" ;;
      s3) AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" \
        AWS_ALLOW_HTTP=true start_server "store-$store" --blob-store s3://bench/widgetry ;;
      s3-serial) AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" \
        AWS_ALLOW_HTTP=true start_server "store-$store" --blob-store s3://bench/serial --blob-put-concurrency 1 ;;
    esac
    S3U[$store]=$URL S3P[$store]=$SPID S3T[$store]=$TOKEN
  done
  for c in 1 8; do
    per=$(( c == 1 ? 40 : 10 ))
    for store in local s3 s3-serial; do
      "$LOAD" upload --url "${S3U[$store]}" --token "${S3T[$store]}" --zip "$TYPICAL" --clients "$c" \
        --per-client "$per" --tag "$store-c$c" >"$OUT/upload-$store-$c.json"
      [[ $(json "d['accepted'] == d['uploads']" <"$OUT/upload-$store-$c.json") == True ]] || { echo "refused: $(json "d['first_error']" <"$OUT/upload-$store-$c.json")"; exit 2; }
      json "'%(uploads)4d uploads at %(clients)d clients: %(uploads_per_s)6.1f uploads/s; latency p50 %(p50_ms).1f ms, p90 %(p90_ms).1f ms, p99 %(p99_ms).1f ms' % d" \
        <"$OUT/upload-$store-$c.json" | sed "s/^/s3     $(printf '%-9s' "$store") /" | tee -a "$SUMMARY"
    done
  done
  SPID=${S3P[s3-serial]}
  stop_server
  for store in local s3; do
    URL=${S3U[$store]} TOKEN=${S3T[$store]} SPID=${S3P[$store]}
    "$LOAD" upload --url "$URL" --token "$TOKEN" --zip "$TYPICAL" --clients 1 --per-client "$COLD" \
      --tag "cold-$store" >/dev/null
    files_bases "$(integration_id "Bench cold-$store 0")" "$COLD" | sed 's|$|/script.js|' >"$OUT/cold-$store.txt"
    cold=()
    while read -r u; do cold+=("$(curl_ms "$u")"); done <"$OUT/cold-$store.txt"
    read -r warm_url <"$OUT/cold-$store.txt"
    warm=()
    for _ in $(seq 1 "$COLD"); do warm+=("$(curl_ms "$warm_url")"); done
    rps=$(wrk_run "warm-$store" "$warm_url" -t2 -c64 -d"${WRK_SECONDS}s")
    note "s3     $(printf '%-9s' "$store") 100 KB script.js: cold (first read of $COLD distinct files, one at a time) median $(med "${cold[@]}") ms; warm median $(med "${warm[@]}") ms (curl, one at a time), $rps req/s (wrk -c64, p99 $(wrk_latency "warm-$store" 99))"
    stop_server
  done
fi

if wants stall; then
  echo
  echo "== 6. $STALLERS clients request a $BIG-byte file and never read it"
  start_server stall
  "$LOAD" upload --url "$URL" --token "$TOKEN" --zip "$TYPICAL" --clients 1 --per-client 1 \
    --pad-to "$BIG" --tag stall >"$OUT/upload-stall.json"
  BIG_URL="$(files_bases "$(integration_id "Bench stall 0")" 1)/vendor/payload.bin"
  size=$(curl -fsS -o /dev/null -w '%{size_download}' "$BIG_URL")
  echo "   the file: $size bytes at $BIG_URL"
  sleep 1
  BEFORE=$(rss_kb "$SPID" VmRSS)
  python3 - "$BIG_URL" "$STALLERS" >"$OUT/stall.txt" <<'PY' &
import socket, sys, time, urllib.parse
url, n = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2])
socks = []
for _ in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((url.hostname, url.port))
    s.sendall(f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n\r\n".encode())
    socks.append(s)
print(f"{len(socks)} requests sent, none read", flush=True)
time.sleep(15)
PY
  STALL=$!
  PIDS+=("$STALL")
  peak=0
  for _ in $(seq 1 60); do
    r=$(rss_kb "$SPID" VmRSS)
    (( r > peak )) && peak=$r
    sleep 0.25
  done
  HWM=$(rss_kb "$SPID" VmHWM)
  # The server still answers meanwhile.
  alive=$(curl_ms "$URL/healthz/live")
  wait "$STALL" 2>/dev/null || true
  note "stall  $STALLERS unread requests for a $size-byte file: VmRSS before $((BEFORE / 1024)) MB, max sampled $((peak / 1024)) MB (VmHWM $((HWM / 1024)) MB, the upload included); /healthz/live meanwhile in $alive ms"
  if (( peak < 256 * 1024 )); then note "stall  goal met: under 256 MB"; else note "stall  goal missed: 256 MB or more"; fi
  stop_server
fi

echo
echo "== load after: $(uptime | sed 's/.*load average/load average/')"
echo "== summary ($DB)"
cat "$SUMMARY"
