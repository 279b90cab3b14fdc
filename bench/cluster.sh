#!/usr/bin/env bash
# Cluster benchmark: two `widgetry serve` processes as one service, on loopback only, while
# half of it fails. It starts
#
#   - a three-node Garage cluster (replication factor 3, one zone per node), one bucket and
#     one key allowed to read and write it;
#   - a throwaway PostgreSQL 15;
#   - widgetry A and widgetry B (the release binary) on that database and that bucket, each
#     with its own data folder and the same URL-signing key (B reads A's), A talking S3 to
#     Garage node 1 and B to Garage node 2;
#
# then runs a bounded mixed load through A and B for SECONDS_LOAD seconds (the load client
# `crates/server/examples/load.rs`, subcommand `cluster`: uploaders, file readers comparing
# bytes, catalogue readers, one event stream per process). Halfway through it SIGKILLs
# widgetry A and Garage node 3. When the load ends it restarts A on the same ports and data
# folder and checks through A and through B (`load verify`) that every acknowledged upload
# is there with its version, that each integration's version numbers are 1..n with no gap,
# and that every file of every acknowledged version is served byte for byte. It prints a
# summary, and exits non-zero when an acknowledged upload is lost or a check fails.
#
#   bench/cluster.sh                     # about a minute plus the build; run as root
#   SECONDS_LOAD=90 bench/cluster.sh     # a longer load
#   KEEP=1 bench/cluster.sh              # keep the temporary folder (logs, accepted.json)
#   WIDGETRY_BIN=/path/to/widgetry bench/cluster.sh   # another build of the server
#
# Needs garage (2.x; GARAGE=/path/to/garage, default: on PATH or ~/.cargo/bin/garage),
# PostgreSQL 15 (initdb, pg_ctl, psql), curl and python3; says what is missing. Uses
# CARGO_TARGET_DIR when set (default: target/ of the workspace). Every process it starts is
# stopped on exit, by its process id; logs are in the temporary folder, and their tails are
# printed when something fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SECONDS_LOAD=${SECONDS_LOAD:-40}
UPLOADERS=${UPLOADERS:-4}
READERS=${READERS:-2}
CATALOG_READERS=${CATALOG_READERS:-1}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
GARAGE=${GARAGE:-$(command -v garage || echo "$HOME/.cargo/bin/garage")}
PASSWORD='cluster password 123'
EMAIL=dev@cluster.local
BUCKET=widgetry-cluster

missing=()
[[ -x $GARAGE ]] || missing+=("garage (cargo install garage --version 2.5.0 --locked, or set GARAGE=/path/to/garage)")
[[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] || missing+=("PostgreSQL 15 server in $PGBIN (apt-get install -y postgresql-15, or set PGBIN)")
command -v psql >/dev/null || missing+=("psql (apt-get install -y postgresql-client)")
for tool in curl python3 runuser; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "missing:"
  printf '  - %s\n' "${missing[@]}"
  exit 2
fi
[[ $(id -u) == 0 ]] || { echo "run as root: initdb and pg_ctl run as the postgres user through runuser"; exit 2; }
id postgres >/dev/null 2>&1 || { echo "no postgres user (it comes with the postgresql package)"; exit 2; }
(( SECONDS_LOAD >= 4 )) || { echo "SECONDS_LOAD must be at least 4"; exit 2; }

. "$ROOT/bench/common.sh"
bench_workspace cluster
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN {printf "%.1f", (b - a) / 1000}'; }
# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds; fails after
# SECONDS.
wait_for() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || die "$what: not after ${limit} s"
    sleep 0.2
  done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

SUMMARY="$OUT/summary"
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }

T_START=$(now_ms)
echo "== building widgetry, the widget generator and the load client (release)"
(cd "$ROOT" && { [[ -n ${WIDGETRY_BIN:-} ]] || cargo build --release -q -p widgetry --bin widgetry; } \
  && cargo build --release -q -p widgetry-validator --example bench_widgets \
  && cargo build --release -q -p widgetry-server --example load)
WIDGETRY="${WIDGETRY_BIN:-$TARGET/release/widgetry}"
LOAD="$TARGET/release/examples/load"
"$TARGET/release/examples/bench_widgets" "$OUT/widgets" >/dev/null
TYPICAL="$OUT/widgets/typical.zip"
T_BUILT=$(now_ms)
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $("$WIDGETRY" --version); $("$GARAGE" --version 2>&1 | head -1 | cut -d' ' -f1-2); $("$PGBIN/postgres" --version)"

# --- Garage: three nodes, one zone each, replication factor 3 ---------------------------
echo "== garage: three nodes on loopback"
RPC_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
ADMIN_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
declare -a S3_PORT RPC_PORT GPID NODE_ID
gar() { # NODE ARGS...: the garage CLI with node NODE's configuration
  local i=$1
  shift
  "$GARAGE" -c "$OUT/garage$i/garage.toml" "$@"
}
for i in 1 2 3; do
  d="$OUT/garage$i"
  mkdir -p "$d/meta" "$d/data"
  S3_PORT[i]=$(free_port)
  RPC_PORT[i]=$(free_port)
  cat >"$d/garage.toml" <<EOF
metadata_dir = "$d/meta"
data_dir = "$d/data"
db_engine = "sqlite"
replication_factor = 3
rpc_bind_addr = "127.0.0.1:${RPC_PORT[i]}"
rpc_public_addr = "127.0.0.1:${RPC_PORT[i]}"
rpc_secret = "$RPC_SECRET"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:${S3_PORT[i]}"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:$(free_port)"
admin_token = "$ADMIN_TOKEN"
EOF
  chmod 600 "$d/garage.toml"
  # Started directly (not through `gar`, a function: `&` would fork a shell whose pid is not
  # garage's, and killing it would leave garage running).
  RUST_LOG=${GARAGE_LOG:-garage=info} "$GARAGE" -c "$d/garage.toml" server >"$LOGS/garage$i.log" 2>&1 &
  GPID[i]=$!
  PIDS+=("${GPID[i]}")
done
for i in 1 2 3; do
  wait_for 20 "garage node $i listening" port_open "${S3_PORT[i]}"
  wait_for 20 "garage node $i answering" gar "$i" status
  NODE_ID[i]=$(gar "$i" node id 2>/dev/null)
  [[ ${NODE_ID[i]} =~ ^[0-9a-f]{64}@127\.0\.0\.1:[0-9]+$ ]] || die "garage node $i: unexpected node id '${NODE_ID[i]}'"
done
for i in 2 3; do
  wait_for 20 "garage node 1 connecting to node $i" gar 1 node connect "${NODE_ID[i]}"
done
connected() { [[ $(gar 1 status 2>/dev/null | grep -c '127\.0\.0\.1:') -ge 3 ]]; }
wait_for 20 "garage: node 1 sees three nodes" connected
for i in 1 2 3; do
  gar 1 layout assign -z "zone$i" -c 1G "${NODE_ID[i]%@*}" >/dev/null
done
gar 1 layout apply --version 1 >"$LOGS/garage-layout.log" 2>&1 || die "garage layout apply: $(cat "$LOGS/garage-layout.log")"
healthy() { gar "$1" health 2>/dev/null | grep -q 'Cluster health: *HEALTHY'; }
for i in 1 2 3; do wait_for 60 "garage: healthy as node $i sees it" healthy "$i"; done
layout_v1() { gar "$1" layout show 2>/dev/null | grep -q 'Current cluster layout version: 1'; }
for i in 1 2 3; do wait_for 30 "garage: node $i on layout version 1" layout_v1 "$i"; done
gar 1 bucket create "$BUCKET" >"$LOGS/garage-bucket.log" 2>&1 || die "garage bucket create: $(cat "$LOGS/garage-bucket.log")"
gar 1 key create widgetry >"$OUT/garage-key.txt" 2>&1 || die "garage key create: $(cat "$OUT/garage-key.txt")"
KEY_ID=$(awk -F': *' '/^Key ID:/ {print $2}' "$OUT/garage-key.txt")
KEY_SECRET=$(awk -F': *' '/^Secret key:/ {print $2}' "$OUT/garage-key.txt")
[[ $KEY_ID == GK* && ${#KEY_SECRET} == 64 ]] || die "garage key create: could not read the key from: $(cat "$OUT/garage-key.txt")"
gar 1 bucket allow --read --write "$BUCKET" --key widgetry >>"$LOGS/garage-bucket.log" 2>&1 || die "garage bucket allow: $(tail -5 "$LOGS/garage-bucket.log")"
key_on() { gar "$1" bucket info "$BUCKET" 2>/dev/null | grep -q "RW *$KEY_ID"; }
for i in 1 2 3; do wait_for 20 "garage: node $i knows the bucket and the key" key_on "$i"; done
T_GARAGE=$(now_ms)
echo "   nodes up, layout applied, bucket $BUCKET, key $KEY_ID ($(secs_since "$T_BUILT") s)"

# --- PostgreSQL 15 on loopback ----------------------------------------------------------
echo "== postgresql 15 on loopback"
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
T_PG=$(now_ms)

# --- widgetry A and B -------------------------------------------------------------------
DATA_A="$OUT/widgetry-a" DATA_B="$OUT/widgetry-b"
mkdir -p "$DATA_A" "$DATA_B"
PORT_A=$(free_port) FILES_A=$(free_port) PORT_B=$(free_port) FILES_B=$(free_port)
URL_A="http://127.0.0.1:$PORT_A" URL_B="http://127.0.0.1:$PORT_B"
s3_env() { # NODE: the S3 settings for Garage node NODE
  echo "AWS_ACCESS_KEY_ID=$KEY_ID" "AWS_SECRET_ACCESS_KEY=$KEY_SECRET" \
    "AWS_ENDPOINT_URL=http://127.0.0.1:${S3_PORT[$1]}" AWS_REGION=garage AWS_ALLOW_HTTP=true
}
# start_widgetry NAME PORT FILES_PORT DATA GARAGE_NODE [serve args...]: sets WPID.
start_widgetry() {
  local name=$1 port=$2 files=$3 data=$4 node=$5
  shift 5
  # shellcheck disable=SC2046  # s3_env prints separate assignments
  env $(s3_env "$node") RUST_LOG=${WIDGETRY_LOG:-info} "$WIDGETRY" serve \
    --bind "127.0.0.1:$port" --files-bind "127.0.0.1:$files" --data-dir "$data" \
    --database-url "$DBURL" --blob-store "s3://$BUCKET/widgetry" --webhook-allow-private "$@" \
    >>"$LOGS/widgetry-$name.log" 2>&1 &
  WPID=$!
  PIDS+=("$WPID")
}
ready() { # URL: /healthz/ready answers 200 with status ready
  local body
  body=$(curl -fsS --max-time 3 "$1/healthz/ready" 2>/dev/null) || return 1
  [[ $(json "d.get('status')" <<<"$body") == ready ]]
}
wait_ready() { # NAME URL PID
  local deadline=$(($(date +%s) + 60))
  until ready "$2"; do
    kill -0 "$3" 2>/dev/null || die "widgetry $1 exited while starting (see $LOGS/widgetry-$1.log)"
    (($(date +%s) < deadline)) || die "widgetry $1 not ready after 60 s: $(curl -sS --max-time 3 "$2/healthz/ready" 2>&1)"
    sleep 0.2
  done
}

echo "== widgetry A ($URL_A, S3 via garage node 1) and B ($URL_B, S3 via garage node 2)"
# shellcheck disable=SC2046
echo "$PASSWORD" | env $(s3_env 1) "$WIDGETRY" admin create-user --email "$EMAIL" --account cluster \
  --password-stdin --database-url "$DBURL" --data-dir "$DATA_A" --blob-store "s3://$BUCKET/widgetry" \
  >"$LOGS/create-user.log" 2>&1 || die "create-user failed: $(tail -5 "$LOGS/create-user.log")"
start_widgetry a "$PORT_A" "$FILES_A" "$DATA_A" 1
PID_A=$WPID
wait_ready a "$URL_A" "$PID_A"
[[ -s $DATA_A/url-signing.key ]] || die "widgetry A wrote no $DATA_A/url-signing.key"
start_widgetry b "$PORT_B" "$FILES_B" "$DATA_B" 2 --url-signing-key-file "$DATA_A/url-signing.key" --secrets-key-file "$DATA_A/secrets.key"
PID_B=$WPID
wait_ready b "$URL_B" "$PID_B"
T_SERVERS=$(now_ms)
echo "   both ready ($(secs_since "$T_PG") s); blob store: $(curl -fsS "$URL_B/healthz/ready" | json "d.get('blob_store')")"
TOKEN=$("$LOAD" token --url "$URL_A" --email "$EMAIL" --password "$PASSWORD")

# --- the load, with A and garage node 3 killed halfway -----------------------------------
HALF=$((SECONDS_LOAD / 2))
echo "== load: ${SECONDS_LOAD} s through A and B ($UPLOADERS uploaders, $READERS file readers, $CATALOG_READERS catalogue reader, one event stream per process); at ${HALF} s: SIGKILL widgetry A and garage node 3"
"$LOAD" cluster --urls "$URL_A,$URL_B" --token "$TOKEN" --zip "$TYPICAL" --seconds "$SECONDS_LOAD" \
  --uploaders "$UPLOADERS" --readers "$READERS" --catalog-readers "$CATALOG_READERS" \
  --out "$OUT/accepted.json" >"$OUT/load.json" 2>"$LOGS/load.log" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
T_LOAD=$(now_ms)
# The load client creates its integrations and opens its event streams first (well under a
# second); the kill comes HALF seconds after the start.
sleep "$HALF"
kill -0 "$LOAD_PID" 2>/dev/null || { wait "$LOAD_PID" || true; die "the load client stopped early: $(tail -5 "$LOGS/load.log")"; }
T_KILL=$(now_ms)
kill -9 "$PID_A"
kill -9 "${GPID[3]}"
wait "$PID_A" 2>/dev/null || true
wait "${GPID[3]}" 2>/dev/null || true
forget_pid "$PID_A"
forget_pid "${GPID[3]}"
echo "   $(secs_since "$T_LOAD") s: killed widgetry A (pid $PID_A) and garage node 3 (pid ${GPID[3]})"
# When garage notices: node 1's `garage status` lists node 3 under FAILED NODES (polled every
# 2 s, for at most the rest of the load plus 60 s).
(
  limit=$(($(date +%s) + SECONDS_LOAD - HALF + 60))
  while (($(date +%s) < limit)); do
    if gar 1 status 2>/dev/null | grep -q 'FAILED NODES'; then now_ms >"$OUT/garage-noticed"; exit 0; fi
    sleep 2
  done
) &
NOTICE_PID=$!
PIDS+=("$NOTICE_PID")
# Bounded: the client stops at its deadline (plus 3 s for the event streams and at most one
# request's 20 s limit).
deadline=$(($(date +%s) + SECONDS_LOAD + 60))
while kill -0 "$LOAD_PID" 2>/dev/null; do
  (($(date +%s) < deadline)) || die "the load client did not stop in time"
  sleep 0.5
done
load_rc=0
wait "$LOAD_PID" || load_rc=$?
forget_pid "$LOAD_PID"
T_LOAD_END=$(now_ms)
((load_rc == 0)) || die "the load client failed (exit status $load_rc): $(tail -5 "$LOGS/load.log")"
echo "   load done ($(secs_since "$T_LOAD") s)"
gar 1 status >"$LOGS/garage-status-after.log" 2>&1 || true
B_ALIVE=yes
kill -0 "$PID_B" 2>/dev/null || B_ALIVE=no

# --- A again, then the checks through A and B ---------------------------------------------
echo "== restarting widgetry A on the same ports and data folder"
T_RESTART=$(now_ms)
start_widgetry a "$PORT_A" "$FILES_A" "$DATA_A" 1
PID_A=$WPID
wait_ready a "$URL_A" "$PID_A"
T_READY=$(now_ms)
echo "   ready again in $(secs_since "$T_RESTART") s"
echo "== verify through A and through B"
verify_rc=0
"$LOAD" verify --urls "$URL_A,$URL_B" --token "$TOKEN" --accepted "$OUT/accepted.json" \
  >"$OUT/verify.json" 2>"$LOGS/verify.log" || verify_rc=$?
T_VERIFIED=$(now_ms)
[[ -s $OUT/verify.json ]] || die "load verify printed nothing (exit status $verify_rc): $(tail -5 "$LOGS/verify.log")"

# --- summary ------------------------------------------------------------------------------
if [[ -s $OUT/garage-noticed ]]; then
  GARAGE_NOTICED="node 1 listed node 3 under FAILED NODES $(ms "$T_KILL" "$(cat "$OUT/garage-noticed")") s after the kill"
else
  GARAGE_NOTICED="node 1 still listed node 3 as healthy $(secs_since "$T_KILL") s after the kill"
fi
python3 - "$OUT/load.json" "$OUT/verify.json" "$OUT/accepted.json" "$T_KILL" >"$OUT/figures.txt" <<'PY'
import json, sys
load = json.load(open(sys.argv[1]))
ver = json.load(open(sys.argv[2]))
acc = json.load(open(sys.argv[3]))
kill_ms = int(sys.argv[4])
u, r, c, s = load["uploads"], load["reads"], load["catalog"], load["sse"]["by_node"]
def by(d): return ", ".join(f"{k} {v}" for k, v in d.items())
after = sum(1 for x in acc["uploads"] if x["at_ms"] > kill_ms)
lost = sum(n["acknowledged_missing"] for n in ver["nodes"].values())
print(f"uploads   acknowledged {u['acknowledged']} ({by(u['acknowledged_by_node'])}; {after} after the kill), "
      f"refused {u['refused']} ({by(u['refused_by_node'])}), connection errors {u['connection_errors']} ({by(u['connection_errors_by_node'])})")
refusals = {k: v["count"] for k, v in load["other_outcomes"].items() if k.startswith("upload ")}
if refusals:
    print("          refusals and errors: " + ", ".join(f"{k} x{v}" for k, v in refusals.items()))
if u["uploader_errors"]:
    print("          uploaders stopped: " + "; ".join(u["uploader_errors"]))
print(f"lost      {lost} acknowledged uploads missing (must be 0); "
      + "; ".join(f"through {k}: {n['acknowledged_missing']} missing, {n['widget_version_differs']} with another widget_version, "
                  f"{n['unacknowledged_versions']} committed without an answer" for k, n in ver["nodes"].items()))
print("files     " + "; ".join(f"through {k}: {n['files_checked']} checked, {n['files_ok']} identical, {n['files_mismatched']} different, "
                           f"{n['files_failed']} failed ({n['retries']} retried) in {n['s']:.1f} s" for k, n in ver["nodes"].items()))
print("numbering " + "; ".join(f"through {k}: {n['versions_listed']} versions in {n['integrations']} integrations, "
                           + ("gap-free (1..n)" if n["gap_free"] else f"GAPS in {n['integrations_with_gaps']} integrations")
                           for k, n in ver["nodes"].items()))
print(f"reads     ok {r['ok']} ({by(r['ok_by_node'])}), mismatched {r['mismatched']}, failed {r['failed']} ({by(r['failed_by_node'])})")
print(f"catalogue ok {c['ok']} ({by(c['ok_by_node'])}), failed {c['failed']} ({by(c['failed_by_node'])})")
print("sse       " + "; ".join(
    f"{k}: {v['events']} events ({by(v['kinds']) or 'none'}), {v['connects']} connections, "
    f"{v['acknowledged_uploads_of_watched'] - v['acknowledged_not_seen']} of {v['acknowledged_uploads_of_watched']} acknowledged uploads of the watched integration seen"
    for k, v in s.items()))
others = {k: v for k, v in load["other_outcomes"].items() if not k.startswith("upload ")}
if others:
    print("errors    " + "; ".join(f"{k} x{v['count']} ({v['first'][:120]})" for k, v in others.items()))
ok = ver["ok"] and lost == 0 and r["mismatched"] == 0 and u["acknowledged"] > 0 and after > 0
print("RESULT    " + ("PASS" if ok else "FAIL"))
PY
note "== summary"
note "setup     garage 3 nodes (replication 3, zones 1-3), PostgreSQL 15, widgetry A -> garage 1, B -> garage 2; one bucket, one key"
note "garage    $GARAGE_NOTICED"
note "load      ${SECONDS_LOAD} s, $UPLOADERS uploaders, $READERS file readers, $CATALOG_READERS catalogue reader, one event stream per process; widgetry A and garage node 3 SIGKILLed at $(awk -v a="$T_LOAD" -v b="$T_KILL" 'BEGIN {printf "%.1f", (b - a) / 1000}') s; B alive at the end: $B_ALIVE"
grep -v '^RESULT' "$OUT/figures.txt" | tee -a "$SUMMARY"
for name in a b; do
  n=$(grep -cE ' (ERROR|WARN) ' "$LOGS/widgetry-$name.log" || true)
  note "log $name     widgetry $(tr a-z A-Z <<<"$name"): $n ERROR/WARN lines"
  grep -E ' (ERROR|WARN) ' "$LOGS/widgetry-$name.log" | sed -E 's/^[^ ]+ +//; s/ [a-z_]+=.*$//' | cut -c1-240 \
    | sort | uniq -c | sort -rn | head -3 | while read -r count line; do note "            x$count $line"; done
done
note "timings   build $(ms "$T_START" "$T_BUILT") s, garage $(ms "$T_BUILT" "$T_GARAGE") s, postgres $(ms "$T_GARAGE" "$T_PG") s, A+B ready $(ms "$T_PG" "$T_SERVERS") s, load $(ms "$T_LOAD" "$T_LOAD_END") s, A ready again $(ms "$T_RESTART" "$T_READY") s, verify $(ms "$T_READY" "$T_VERIFIED") s, total $(ms "$T_START" "$(now_ms)") s"
if [[ $(tail -1 "$OUT/figures.txt") != "RESULT    PASS" ]] || ((verify_rc != 0)) || [[ $B_ALIVE != yes ]]; then
  note "RESULT    FAIL"
  echo "verify: $(cat "$OUT/verify.json")"
  exit 1
fi
note "RESULT    PASS"
