#!/usr/bin/env bash
# Chaos test: one real `widgetry serve` process (the release binary) under a bounded mixed load,
# SIGKILLed at KILLS random moments and restarted each time on the same ports, data folder and
# database; then every acknowledged operation and the invariants are checked.
#
# The load is the load client's `chaos` subcommand (crates/server/examples/load.rs), running
# the whole time and surviving the server's deaths (connection errors are counted and retried
# after a short pause): uploads into INTEGRATIONS integrations (each acknowledged one recorded
# with the SHA-256 of every file it sent), submissions of uploaded versions and their approval
# by a moderator, installs of the public widgets into a second account, file reads through
# each version's `files_base_url` compared byte for byte, one server-sent events client per
# integration that resumes with Last-Event-ID, and a webhook per integration pointing at a
# receiver the client runs on loopback (answers 204, checks the signature, counts).
#
# The script kills: a uniformly random 0.2 to 2 s (MIN_MS, MAX_MS) after the server is ready,
# `kill -9`, restart, wait for GET /healthz/ready (200), KILLS times. Then it stops the load
# (a stop file; the client lets running operations finish), lets the server drain the webhook
# outbox while the receiver still listens (until no delivery is pending, at most DRAIN_SECS:
# a delivery claimed by a killed process waits for its 30 s lease), and checks, against the
# last server process:
#   - through the API and the files origin (`load check`): every acknowledged upload listed
#     with its number and widget.version, every file of it byte for byte; numbers 1..n per
#     integration; every acknowledged submission listed; every acknowledged approval's version
#     published or superseded and its integration public with a published version; every
#     acknowledged install active in the second account, on the published version, with the
#     settings of the last acknowledged install (or of a later one whose answer was lost); every
#     status event seen by the event streams;
#   - in the database: every status event of an integration with a webhook, made after the
#     webhook was set, has exactly one webhook_deliveries row, delivered after the drain (the
#     receiver got every one of them); last_seq = number of versions;
#     approved submissions' versions published or superseded, one published version per public
#     integration, review states consistent between versions and submissions; installations on
#     the published version; every blob a committed row names present with its size;
#   - DATA/tmp/uploads and DATA/blobs/tmp empty.
# It prints a summary (kills, operations acknowledged per kind, operations lost: must be 0,
# invariants, timings) and exits non-zero when anything is lost or an invariant fails.
#
#   bench/chaos.sh                       # SQLite; about 4 minutes plus the build, 2 cores
#   DB=postgres bench/chaos.sh           # a throwaway PostgreSQL 15 (run as root)
#   KILLS=20 bench/chaos.sh              # fewer kills
#   SEED=42 bench/chaos.sh               # the same kill moments again (bash RANDOM seed)
#   KEEP=1 bench/chaos.sh                # keep the temporary folder (logs, records, data)
#   WIDGETRY_BIN=/path/to/widgetry bench/chaos.sh   # another build of the server
#
# Uses CARGO_TARGET_DIR when set (default: target/ of the workspace). Installs nothing: it
# says what is missing. Every process it starts is stopped on exit, by its process id; logs
# are in the temporary folder and their tails are printed when something fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DB=${DB:-sqlite}
KILLS=${KILLS:-100}
MIN_MS=${MIN_MS:-200}          # a kill comes MIN_MS..MAX_MS after the server is ready
MAX_MS=${MAX_MS:-2000}
INTEGRATIONS=${INTEGRATIONS:-3}
READERS=${READERS:-2}
DRAIN_SECS=${DRAIN_SECS:-45}   # the longest wait for the webhook outbox to drain after the load
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PASSWORD='chaos password 123'
[[ -n ${SEED:-} ]] && RANDOM=$SEED

missing=()
for tool in curl python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
case $DB in
  sqlite) command -v sqlite3 >/dev/null || missing+=("sqlite3 (apt-get install -y sqlite3)") ;;
  postgres)
    [[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] || missing+=("PostgreSQL 15 server in $PGBIN (apt-get install -y postgresql-15, or set PGBIN)")
    command -v psql >/dev/null || missing+=("psql (apt-get install -y postgresql-client)")
    command -v runuser >/dev/null || missing+=(runuser)
    ;;
  *) echo "DB must be sqlite or postgres"; exit 2 ;;
esac
if ((${#missing[@]})); then
  echo "missing:"
  printf '  - %s\n' "${missing[@]}"
  exit 2
fi
if [[ $DB == postgres ]]; then
  [[ $(id -u) == 0 ]] || { echo "DB=postgres needs root: initdb and pg_ctl run as the postgres user through runuser"; exit 2; }
  id postgres >/dev/null 2>&1 || { echo "no postgres user (it comes with the postgresql package)"; exit 2; }
fi
((KILLS >= 1 && MIN_MS >= 0 && MAX_MS >= MIN_MS)) || { echo "need KILLS >= 1 and 0 <= MIN_MS <= MAX_MS"; exit 2; }

T_START=$(date +%s%3N)
. "$ROOT/bench/common.sh"
bench_workspace chaos
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; } # PID: running, not a zombie

echo "== building widgetry, the widget generator and the load client (release)"
(cd "$ROOT" && { [[ -n ${WIDGETRY_BIN:-} ]] || cargo build --release -q -p widgetry --bin widgetry; } \
  && cargo build --release -q -p widgetry-validator --example bench_widgets \
  && cargo build --release -q -p widgetry-server --example load) || die "the build failed"
WIDGETRY="${WIDGETRY_BIN:-$TARGET/release/widgetry}"
LOAD="$TARGET/release/examples/load"
"$TARGET/release/examples/bench_widgets" "$OUT/widgets" >/dev/null
TYPICAL="$OUT/widgets/typical.zip"
T_BUILT=$(now_ms)
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $("$WIDGETRY" --version); database: $DB"

# --- PostgreSQL (DB=postgres): a throwaway cluster on loopback -----------------------------
DATA="$OUT/data"
mkdir -p "$DATA"
if [[ $DB == postgres ]]; then
  PGDATA="$OUT/pg"
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA"
  PG_PORT=$(free_port)
  touch "$LOGS/postgres.log" && chown postgres:postgres "$LOGS/postgres.log"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >"$LOGS/initdb.log" 2>&1 \
    || die "initdb failed: $(tail -5 "$LOGS/initdb.log")"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 30 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PGDATA" start >/dev/null || die "PostgreSQL did not start"
  PG_STOP="runuser -u postgres -- $PGBIN/pg_ctl -D $PGDATA -m immediate -w -t 20 stop"
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE widgetry" >/dev/null
  DBURL="postgres://postgres@127.0.0.1:$PG_PORT/widgetry"
else
  DBURL="sqlite://$DATA/widgetry.db"
fi
export WIDGETRY_DATABASE_URL="$DBURL"
sql() { # runs SQL against the database, one row a line, columns separated by |
  if [[ $DB == postgres ]]; then
    psql -qtA -v ON_ERROR_STOP=1 "$DBURL" -c "$1"
  else
    sqlite3 -cmd '.timeout 5000' "$DATA/widgetry.db" "$1"
  fi
}

# --- users, and the server ---------------------------------------------------------------
create_user() { # EMAIL ACCOUNT [--moderator]
  echo "$PASSWORD" | "$WIDGETRY" admin create-user --email "$1" --account "$2" "${@:3}" \
    --password-stdin --data-dir "$DATA" >>"$LOGS/create-user.log" 2>&1 || die "create-user $1 failed: $(tail -5 "$LOGS/create-user.log")"
}
create_user dev@chaos.local vendor
create_user mod@chaos.local platform --moderator
create_user admin@shop.local shop
PORT=$(free_port)
FILES_PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
# start_server: sets SPID; every start appends to one log.
STARTS=0
start_server() {
  STARTS=$((STARTS + 1))
  echo "=== start $STARTS at $(date +%T.%3N)" >>"$LOGS/widgetry.log"
  "$WIDGETRY" serve --bind "127.0.0.1:$PORT" --files-bind "127.0.0.1:$FILES_PORT" --data-dir "$DATA" \
    --webhook-allow-private --webhook-retry-base-ms 1000 >>"$LOGS/widgetry.log" 2>&1 &
  SPID=$!
  PIDS+=("$SPID")
}
# wait_ready: /healthz/ready answers 200, polled every 50 ms for at most 30 s.
wait_ready() {
  local deadline=$(($(date +%s) + 30))
  until curl -fs --max-time 1 -o /dev/null "$URL/healthz/ready" 2>/dev/null; do
    alive "$SPID" || die "widgetry exited while starting (start $STARTS, see $LOGS/widgetry.log)"
    (($(date +%s) < deadline)) || die "widgetry not ready after 30 s (start $STARTS): $(curl -sS --max-time 3 "$URL/healthz/ready" 2>&1)"
    sleep 0.05
  done
}
start_server
wait_ready
token() { "$LOAD" token --url "$URL" --email "$1" --password "$PASSWORD" --scopes "$2" 2>>"$LOGS/token.log" || die "no token for $1: $(tail -3 "$LOGS/token.log")"; }
DEV_TOKEN=$(token dev@chaos.local upload,submit)
MOD_TOKEN=$(token mod@chaos.local moderate)
SHOP_TOKEN=$(token admin@shop.local install)
T_SETUP=$(now_ms)

# --- the load, and the kills -------------------------------------------------------------
echo "== load: $INTEGRATIONS integrations (uploader, publisher, event stream and webhook each), one installer, $READERS file readers; $KILLS SIGKILLs, each ${MIN_MS}-${MAX_MS} ms after the server is ready"
"$LOAD" chaos --url "$URL" --token "$DEV_TOKEN" --moderator-token "$MOD_TOKEN" --shop-token "$SHOP_TOKEN" \
  --zip "$TYPICAL" --out "$OUT/records.json" --stop-file "$OUT/stop" --ready-file "$OUT/ready" \
  --finished-file "$OUT/finished" --drained-file "$OUT/drained" \
  --integrations "$INTEGRATIONS" --readers "$READERS" --drain-secs "$((DRAIN_SECS + 15))" --max-secs 1800 \
  >"$OUT/load.json" 2>"$LOGS/load.log" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
deadline=$(($(date +%s) + 60))
until [[ -s $OUT/ready ]]; do
  alive "$LOAD_PID" || { wait "$LOAD_PID" || true; die "the load client stopped while starting: $(tail -5 "$LOGS/load.log")"; }
  (($(date +%s) < deadline)) || die "the load client not ready after 60 s"
  sleep 0.1
done
T_LOAD=$(now_ms)
RESTARTS="$OUT/restart-ms"
: >"$RESTARTS"
for ((k = 1; k <= KILLS; k++)); do
  delay=$((MIN_MS + RANDOM % (MAX_MS - MIN_MS + 1)))
  sleep "$(awk -v d="$delay" 'BEGIN {printf "%.3f", d / 1000}')"
  alive "$LOAD_PID" || { wait "$LOAD_PID" || true; die "the load client stopped during kill $k: $(tail -5 "$LOGS/load.log")"; }
  kill -9 "$SPID"
  wait "$SPID" 2>/dev/null || true
  forget_pid "$SPID"
  t=$(now_ms)
  start_server
  wait_ready
  echo "$(($(now_ms) - t))" >>"$RESTARTS"
  ((k % 20 == 0)) && echo "   $k kills ($(ms "$T_LOAD" "$(now_ms)") s)"
done
T_KILLS=$(now_ms)

# --- stop the load; it finishes what runs, then the webhook outbox drains ----------------
touch "$OUT/stop"
deadline=$(($(date +%s) + 30))
until [[ -e $OUT/finished ]]; do
  alive "$LOAD_PID" || break
  (($(date +%s) < deadline)) || die "the load client did not finish its operations within 30 s of the stop"
  sleep 0.1
done
T_FINISHED=$(now_ms)
pending() { sql "SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'"; }
deadline=$(($(date +%s) + DRAIN_SECS))
PENDING=$(pending)
while ((PENDING > 0)) && (($(date +%s) < deadline)); do
  sleep 0.5
  PENDING=$(pending)
done
touch "$OUT/drained"
T_DRAINED=$(now_ms)
deadline=$(($(date +%s) + 30))
while alive "$LOAD_PID"; do
  (($(date +%s) < deadline)) || die "the load client did not stop in time"
  sleep 0.2
done
load_rc=0
wait "$LOAD_PID" || load_rc=$?
forget_pid "$LOAD_PID"
T_STOPPED=$(now_ms)
((load_rc == 0)) && [[ -s $OUT/load.json && -s $OUT/records.json ]] \
  || die "the load client failed (exit status $load_rc): $(tail -5 "$LOGS/load.log")"
alive "$SPID" || die "widgetry exited after the last restart (see $LOGS/widgetry.log)"
echo "   load stopped ($(ms "$T_LOAD" "$T_STOPPED") s after it started; webhook outbox drained in $(ms "$T_FINISHED" "$T_DRAINED") s, $PENDING pending)"

# --- checks ------------------------------------------------------------------------------
echo "== checks"
check_rc=0
"$LOAD" check --url "$URL" --token "$DEV_TOKEN" --shop-token "$SHOP_TOKEN" --records "$OUT/records.json" \
  >"$OUT/check.json" 2>"$LOGS/check.log" || check_rc=$?
[[ -s $OUT/check.json ]] || die "load check printed nothing (exit status $check_rc): $(tail -5 "$LOGS/check.log")"
T_CHECKED=$(now_ms)

STATUS_KINDS="'version.uploaded','submission.created','submission.withdrawn','submission.approved','submission.rejected','version.published','version.superseded','integration.published','integration.rolled_back','integration.converted'"
# Each query prints one number: 0 means the invariant holds (unless said otherwise).
SQL_OUT="$OUT/sql.txt"
{
  echo "hook_events=$(sql "SELECT count(*) FROM audit_events e JOIN webhooks w ON w.integration_id = e.integration_id WHERE e.kind IN ($STATUS_KINDS) AND e.at >= w.created_at")"
  echo "hook_missing=$(sql "SELECT count(*) FROM audit_events e JOIN webhooks w ON w.integration_id = e.integration_id WHERE e.kind IN ($STATUS_KINDS) AND e.at >= w.created_at AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)")"
  echo "hook_doubled=$(sql "SELECT count(*) FROM (SELECT event_id FROM webhook_deliveries GROUP BY event_id HAVING count(*) > 1) x")"
  echo "hook_states=$(sql "SELECT state || ' ' || count(*) FROM webhook_deliveries GROUP BY state ORDER BY state" | paste -sd, - | sed 's/,/, /g')"
  echo "hook_undelivered=$(sql "SELECT count(*) FROM webhook_deliveries WHERE state <> 'delivered'")"
  echo "hook_attempts=$(sql "SELECT count(*) FROM webhook_attempts")"
  echo "versions=$(sql "SELECT count(*) FROM versions")"
  echo "seq_bad=$(sql "SELECT count(*) FROM integrations i WHERE i.last_seq <> (SELECT count(*) FROM versions v WHERE v.integration_id = i.id) OR i.last_seq <> (SELECT coalesce(max(v.seq), 0) FROM versions v WHERE v.integration_id = i.id) OR (i.last_seq > 0 AND i.latest_version_id <> (SELECT v.id FROM versions v WHERE v.integration_id = i.id AND v.seq = i.last_seq))")"
  echo "approved=$(sql "SELECT count(*) FROM submissions WHERE state = 'approved'")"
  echo "approved_bad=$(sql "SELECT count(*) FROM submissions s JOIN versions v ON v.id = s.version_id WHERE s.state = 'approved' AND v.state NOT IN ('published', 'superseded')")"
  echo "public_bad=$(sql "SELECT count(*) FROM integrations i WHERE EXISTS (SELECT 1 FROM submissions s WHERE s.integration_id = i.id AND s.state = 'approved') AND (i.visibility <> 'public' OR i.published_version_id IS NULL OR (SELECT v.state FROM versions v WHERE v.id = i.published_version_id) <> 'published' OR (SELECT count(*) FROM versions v WHERE v.integration_id = i.id AND v.state = 'published') <> 1)")"
  echo "review_bad=$(sql "SELECT (SELECT count(*) FROM versions v WHERE v.state = 'in_review' AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.version_id = v.id AND s.state = 'in_review')) + (SELECT count(*) FROM submissions s JOIN versions v ON v.id = s.version_id WHERE s.state = 'in_review' AND v.state <> 'in_review')")"
  echo "installs=$(sql "SELECT count(*) FROM installations n JOIN integrations i ON i.id = n.integration_id WHERE n.active = 1 AND n.account_id <> i.account_id")"
  echo "installs_bad=$(sql "SELECT count(*) FROM installations n JOIN integrations i ON i.id = n.integration_id WHERE n.active = 1 AND n.account_id <> i.account_id AND (n.version_id IS NULL OR i.published_version_id IS NULL OR n.version_id <> i.published_version_id)")"
} >"$SQL_OUT" 2>"$LOGS/sql.log" || die "an SQL check failed: $(tail -5 "$LOGS/sql.log")"
# Every blob a committed row names: DATA/blobs/<2>/<2>/<sha256>, with the recorded size.
sql "SELECT archive_sha256 || '|' || archive_size FROM versions UNION SELECT sha256 || '|' || size FROM version_files" >"$OUT/blobs.txt" \
  2>>"$LOGS/sql.log" || die "listing the blobs failed: $(tail -5 "$LOGS/sql.log")"
python3 - "$DATA/blobs" "$OUT/blobs.txt" >>"$SQL_OUT" <<'PY'
import os, sys
root, rows = sys.argv[1], open(sys.argv[2]).read().split()
bad = 0
for row in rows:
    sha, size = row.split("|")
    p = os.path.join(root, sha[0:2], sha[2:4], sha)
    if not os.path.isfile(p) or os.path.getsize(p) != int(size):
        bad += 1
print(f"blobs={len(rows)}")
print(f"blobs_bad={bad}")
PY
echo "tmp_left=$(find "$DATA/tmp/uploads" "$DATA/blobs/tmp" -mindepth 1 2>/dev/null | wc -l)" >>"$SQL_OUT"
[[ -d $DATA/tmp/uploads && -d $DATA/blobs/tmp ]] || echo "tmp_left=missing folder" >>"$SQL_OUT"
T_SQL=$(now_ms)

# --- summary -----------------------------------------------------------------------------
LOG_LINES=$(grep -cE ' (ERROR|WARN) ' "$LOGS/widgetry.log" || true)
PANICS=$(grep -c 'panicked' "$LOGS/widgetry.log" || true)
python3 - "$OUT/load.json" "$OUT/check.json" "$SQL_OUT" "$RESTARTS" "$KILLS" "$MIN_MS" "$MAX_MS" "$DB" \
  "$T_START" "$T_BUILT" "$T_SETUP" "$T_LOAD" "$T_KILLS" "$T_STOPPED" "$T_CHECKED" "$T_SQL" "$check_rc" "$T_FINISHED" "$T_DRAINED" \
  >"$OUT/figures.txt" <<'PY'
import json, statistics, sys
load = json.load(open(sys.argv[1]))
chk = json.load(open(sys.argv[2]))
sq = dict(l.split("=", 1) for l in open(sys.argv[3]).read().splitlines() if "=" in l)
restarts = sorted(int(x) for x in open(sys.argv[4]).read().split())
kills, lo, hi, db = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
t = [int(x) for x in sys.argv[9:17]]
check_rc = int(sys.argv[17])
t_finished, t_drained = int(sys.argv[18]), int(sys.argv[19])
secs = lambda a, b: f"{(b - a) / 1000:.1f} s"
n = load["counts"]
c = lambda k: n.get(k, 0)
ack = load["acknowledged"]
def pct(p):
    return restarts[min(len(restarts) - 1, int(p / 100 * len(restarts)))] if restarts else 0
print(f"kills       {len(restarts)} of {kills} SIGKILLs, each {lo}-{hi} ms after the server was ready; restart to ready: "
      f"median {statistics.median(restarts) if restarts else 0:.0f} ms, p90 {pct(90)} ms, max {restarts[-1] if restarts else 0} ms; database {db}")
print(f"acknowledged uploads {ack['uploads']}, submissions {ack['submissions']}, approvals {ack['approvals']}, installs {ack['installs']}")
print(f"interrupted answers lost to the kills (connection errors, retried): uploads {c('upload.connection_error')}, submissions {c('submission.connection_error')}, "
      f"approvals {c('approval.connection_error')}, installs {c('install.connection_error')}, reads {c('read.connection_error')}; "
      f"found committed on retry: uploads {c('upload.lost_answer_committed')}, submissions {c('submission.lost_answer_committed')}, approvals {c('approval.lost_answer_committed')}")
refused = {k: v["count"] for k, v in load["outcomes"].items() if "connection error" not in k}
print(f"refused     uploads {c('upload.refused')}, submissions {c('submission.refused')}, approvals {c('approval.refused')}, installs {c('install.refused')}"
      + ("; " + ", ".join(f"{k} x{v}" for k, v in refused.items()) if refused else ""))
print(f"reads       identical {c('read.identical')}, different {c('read.different')}, failed {c('read.failed')}")
w = load["webhooks"]
print(f"events      event streams: {load['sse']['events']} events ({', '.join(f'{k} {v}' for k, v in load['sse']['kinds'].items())}), "
      f"{c('sse.connects')} connections, {c('sse.breaks')} breaks, {c('sse.replayed')} replayed, {c('sse.out_of_order')} out of order")
print(f"webhooks    receiver: {w['requests']} requests, {w['deliveries']} deliveries ({w['duplicates']} received again), {w['events']} events, "
      f"{w['bad_signatures']} bad signatures; {chk['webhooks']['received']} of {chk['webhooks']['status_events']} status events received; "
      f"rows: {sq['hook_states']} ({sq['hook_attempts']} attempts)")
lost = chk["lost"]
print(f"lost        {lost} (must be 0): uploads missing {chk['uploads']['missing']}, with another widget.version {chk['uploads']['widget_version_differs']}, "
      f"files missing or different {chk['files']['lost']}, submissions {chk['submissions']['missing']}, approvals not published {chk['approvals']['not_published']}, "
      f"installs not active {chk['installs']['not_active']}")
results = []
def inv(ok, text):
    results.append(ok)
    print(f"invariant   {'PASS' if ok else 'FAIL'}  {text}")
u, f, nb = chk["uploads"], chk["files"], chk["numbering"]
inv(u["missing"] == 0 and u["widget_version_differs"] == 0 and f["lost"] == 0 and f["failed"] == 0,
    f"acknowledged uploads listed with number and widget.version ({u['acknowledged']}); their files byte for byte on the files origin "
    f"({f['identical']} of {f['checked']} identical, {f['lost']} missing or different, {f['failed']} failed)")
inv(nb["gap_free"] and sq["seq_bad"] == "0",
    f"numbering 1..n: API {nb['versions']} versions in {nb['integrations']} integrations, {nb['integrations_with_gaps']} with gaps; "
    f"SQL: {sq['seq_bad']} integrations whose last_seq / latest version disagree with {sq['versions']} versions")
inv(chk["submissions"]["missing"] == 0, f"acknowledged submissions listed ({chk['submissions']['acknowledged']}, {chk['submissions']['missing']} missing)")
a = chk["approvals"]
inv(a["not_published"] == 0 and a["integrations_not_public"] == 0 and sq["approved_bad"] == "0" and sq["public_bad"] == "0" and sq["review_bad"] == "0",
    f"acknowledged approvals published or superseded ({a['acknowledged']}, {a['not_published']} not), integrations public ({a['integrations_not_public']} not); "
    f"SQL: {sq['approved_bad']} of {sq['approved']} approved submissions off, {sq['public_bad']} integrations without one published version, "
    f"{sq['review_bad']} review states inconsistent")
i = chk["installs"]
inv(i["not_active"] == 0 and i["unexpected_settings"] == 0 and i["not_on_published_version"] == 0 and sq["installs_bad"] == "0",
    f"acknowledged installs ({i['acknowledged']} into {i['widgets']} widgets): {i['not_active']} not active, {i['unexpected_settings']} with other settings, "
    f"{i['not_on_published_version']} not on the published version; SQL: {sq['installs_bad']} of {sq['installs']} installations off the published version")
inv(sq["hook_missing"] == "0" and sq["hook_doubled"] == "0",
    f"webhook outbox: {sq['hook_events']} status events after the webhooks were set, {sq['hook_missing']} without a delivery row, {sq['hook_doubled']} with several")
hk = chk["webhooks"]
inv(sq["hook_undelivered"] == "0" and hk["received"] == hk["status_events"],
    f"webhooks drained: {hk['received']} of {hk['status_events']} status events received, {sq['hook_undelivered']} deliveries not delivered "
    f"({secs(t_finished, t_drained)} after the load finished)")
inv(chk["sse"]["missed"] == 0, f"event streams saw every status event ({chk['sse']['status_events']}, {chk['sse']['missed']} missed)")
inv(sq["blobs_bad"] == "0", f"blobs named by committed rows present with their size ({sq['blobs']}, {sq['blobs_bad']} missing or short)")
inv(sq["tmp_left"] == "0", f"DATA/tmp/uploads and DATA/blobs/tmp empty after the last restart ({sq['tmp_left']} entries)")
if load["worker_errors"]:
    print("errors      load workers: " + "; ".join(load["worker_errors"]))
if chk["first_failures"]:
    print("failures    " + " | ".join(chk["first_failures"][:5]))
print(f"timings     build {secs(t[0], t[1])}, setup {secs(t[1], t[2])}, load with kills {secs(t[3], t[4])}, stop {secs(t[4], t_finished)}, "
      f"webhook drain {secs(t_finished, t_drained)}, check {secs(t[5], t[6])}, SQL {secs(t[6], t[7])}, total {secs(t[0], t[7])}")
ok = all(results) and lost == 0 and check_rc == 0 and not load["worker_errors"] and ack["uploads"] > 0 and ack["approvals"] > 0 and ack["installs"] > 0
print("RESULT      " + ("PASS" if ok else "FAIL"))
PY
echo
echo "== summary"
grep -v '^RESULT' "$OUT/figures.txt"
echo "log         widgetry: $STARTS starts, $LOG_LINES ERROR/WARN lines, $PANICS panics"
grep -E ' (ERROR|WARN) ' "$LOGS/widgetry.log" | sed -E 's/^[^ ]+ +//; s/ [a-z_]+=.*$//' | cut -c1-200 \
  | sort | uniq -c | sort -rn | head -5 | while read -r count line; do echo "              x$count $line"; done
if [[ $(tail -1 "$OUT/figures.txt") != "RESULT      PASS" ]] || ((PANICS > 0)); then
  echo "RESULT      FAIL"
  echo "check: $(head -c 3000 "$OUT/check.json")"
  exit 1
fi
echo "RESULT      PASS"
