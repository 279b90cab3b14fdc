#!/usr/bin/env bash
# Hardening benchmarks (issue 10): two builds of `widgetry serve` side by side in one run, each
# on a fresh SQLite data folder on 127.0.0.1 with `ulimit -n 768` (FD_LIMIT):
#
#   1. sign-in flood: 200 connections send sign-ins with wrong passwords for random e-mail
#      addresses from random client addresses (`X-Forwarded-For`, which the new build trusts
#      from 127.0.0.1 with --trusted-proxy, as behind a load balancer: 200 attackers, each
#      under its own rate limit) for FLOOD_SECONDS; meanwhile an authenticated
#      `GET /api/v1/me` every 20 ms (latency p50/p99/max, failures) and the server's resident
#      memory sampled every 100 ms. Goal (new build): /me p99 under 100 ms, under 256 MB.
#   2. idle sockets: 1,000 connections opened and left silent (more than the servers'
#      descriptor limit), then 20 requests (`GET /healthz`) one after another, each given
#      5 s. Goal: new requests still served.
#
#   BEFORE_BIN=/tmp/widgetry-issue9 bench/hardening.sh
#   ROUNDS=2 FLOOD_SECONDS=20 bench/hardening.sh
#   BUILDS=after bench/hardening.sh
#
# BEFORE_BIN is the older build (e.g. `git worktree add /tmp/before <commit> && cargo build
# --release` there); the newer one is this checkout's release build. Needs wrk, curl and
# python3. Every process it starts is stopped on exit, by its process id.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BEFORE_BIN=${BEFORE_BIN:-/tmp/widgetry-issue9}
ROUNDS=${ROUNDS:-1}
FLOOD_SECONDS=${FLOOD_SECONDS:-20}
IDLE=${IDLE:-1000}
FD_LIMIT=${FD_LIMIT:-768}     # the servers' `ulimit -n`: below IDLE, so idle sockets can exhaust it
BUILDS=${BUILDS:-before after} # `BUILDS=after` measures the new build alone (while tuning)
PASSWORD='bench password 123'

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk curl python3)"; exit 2; }
done
[[ -x $BEFORE_BIN ]] || { echo "BEFORE_BIN=$BEFORE_BIN is not an executable widgetry build"; exit 2; }
echo "== building the new widgetry (release)"
(cd "$ROOT" && cargo build --release -q -p widgetry --bin widgetry)
AFTER_BIN="$TARGET/release/widgetry"

OUT=$(mktemp -d /tmp/widgetry-hardening.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "== before: $BEFORE_BIN ($("$BEFORE_BIN" --version)), after: $AFTER_BIN ($("$AFTER_BIN" --version))"

# start NAME BIN: a fresh data folder, a user and a token, the server under `ulimit -n FD_LIMIT`;
# sets URL, SPID, TOKEN.
start() {
  local name=$1 bin=$2 data="$OUT/$1" port files extra=()
  mkdir -p "$data"
  echo "$PASSWORD" | "$bin" admin create-user --email dev@bench.local --account bench \
    --password-stdin --data-dir "$data" >/dev/null
  port=$(free_port)
  files=$(free_port)
  URL="http://127.0.0.1:$port"
  # The new build is told that 127.0.0.1 is its proxy, so X-Forwarded-For names the client.
  if "$bin" serve --help | grep -q -- '--trusted-proxy'; then extra=(--trusted-proxy 127.0.0.1); fi
  (ulimit -n "$FD_LIMIT"; exec "$bin" serve --bind "127.0.0.1:$port" --files-bind "127.0.0.1:$files" \
    --data-dir "$data" "${extra[@]}") 2>"$data/server.log" &
  SPID=$!
  PIDS+=("$SPID")
  for _ in $(seq 1 300); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "$URL/healthz" >/dev/null || { echo "$name did not start"; tail "$data/server.log"; exit 2; }
  local login cookie csrf
  login=$(curl -fsS -D "$data/login.headers" -H 'content-type: application/json' \
    -d "{\"email\":\"dev@bench.local\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/session")
  cookie=$(awk 'tolower($1) == "set-cookie:" {print $2}' "$data/login.headers" | head -1 | tr -d ';\r')
  csrf=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["csrf_token"])' "$login")
  TOKEN=$(curl -fsS -H "cookie: $cookie" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench","scopes":["upload"]}' "$URL/api/v1/tokens" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}
stop() {
  kill "$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
}

cat >"$OUT/signin.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  local body = '{"email":"nobody' .. math.random(1, 1000000000) .. '@flood.test","password":"wrong password"}'
  return wrk.format("POST", "/api/v1/session",
    {["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip}, body)
end
LUA

cat >"$OUT/probe.py" <<'PY'
# GET /api/v1/me every 20 ms for N seconds; prints p50/p99/max and failures as JSON.
import json, sys, time, urllib.request
url, token, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
lat, fail, end = [], 0, time.time() + seconds
while time.time() < end:
    t = time.time()
    try:
        r = urllib.request.urlopen(urllib.request.Request(url + "/api/v1/me", headers={"Authorization": "Bearer " + token}), timeout=10)
        r.read()
        lat.append((time.time() - t) * 1000)
    except Exception:
        fail += 1
    time.sleep(max(0, 0.02 - (time.time() - t)))
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else None
print(json.dumps({"n": len(lat), "failed": fail, "p50": q(0.5), "p99": q(0.99), "max": lat[-1] if lat else None}))
PY

cat >"$OUT/idle.py" <<'PY'
# Opens N silent connections, then 20 GETs one after another (5 s each); prints JSON.
import json, socket, sys, time, urllib.request
host, port, n, url = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
socks, refused = [], 0
for _ in range(n):
    try:
        s = socket.create_connection((host, port), timeout=2)
        socks.append(s)
    except OSError:
        refused += 1
time.sleep(1)
served, lat = 0, []
for _ in range(20):
    t = time.time()
    try:
        urllib.request.urlopen(url + "/healthz", timeout=5).read()
        served += 1
        lat.append((time.time() - t) * 1000)
    except Exception:
        pass
lat.sort()
print(json.dumps({"idle_open": len(socks), "idle_refused": refused, "served": served, "of": 20,
                  "p50_ms": lat[len(lat) // 2] if lat else None, "max_ms": lat[-1] if lat else None}))
PY

SUMMARY="$OUT/summary"
: >"$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }

for round in $(seq 1 "$ROUNDS"); do
  for which in $BUILDS; do
    bin=$BEFORE_BIN
    [[ $which == after ]] && bin=$AFTER_BIN
    echo
    echo "== round $round, $which: sign-in flood (200 connections, ${FLOOD_SECONDS}s)"
    start "$which-$round" "$bin"
    sleep 1
    idle_rss=$(rss_kb "$SPID" VmRSS)
    ( while kill -0 "$SPID" 2>/dev/null; do rss_kb "$SPID" VmRSS; sleep 0.1; done ) >"$OUT/rss-$which-$round.txt" &
    SAMPLER=$!
    PIDS+=("$SAMPLER")
    wrk -t2 -c200 -d"${FLOOD_SECONDS}s" -s "$OUT/signin.lua" "$URL" >"$OUT/wrk-$which-$round.txt" 2>&1 &
    WRK=$!
    PIDS+=("$WRK")
    sleep 2
    probe=$(python3 "$OUT/probe.py" "$URL" "$TOKEN" "$((FLOOD_SECONDS - 4))")
    wait "$WRK" 2>/dev/null || true
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
    peak=$(sort -n "$OUT/rss-$which-$round.txt" | tail -1)
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$which-$round.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-$which-$round.txt")
    note "flood  $which round $round: sign-ins answered ${rps:-?}/s (non-2xx ${non2xx:-0}); /me $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d answered, %d failed" % (d["p50"] or -1, d["p99"] or -1, d["max"] or -1, d["n"], d["failed"]))' "$probe"); resident $((idle_rss / 1024)) MB idle, peak $((peak / 1024)) MB"
    if ! kill -0 "$SPID" 2>/dev/null; then note "flood  $which round $round: the server died"; fi
    stop
    echo "== round $round, $which: $IDLE idle sockets"
    start "$which-idle-$round" "$bin"
    port=${URL##*:}
    idle=$(python3 "$OUT/idle.py" 127.0.0.1 "$port" "$IDLE" "$URL")
    note "idle   $which round $round: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%d idle sockets open (%d refused); new requests served %d of %d (p50 %s ms, max %s ms)" % (d["idle_open"], d["idle_refused"], d["served"], d["of"], "%.1f" % d["p50_ms"] if d["p50_ms"] else "-", "%.1f" % d["max_ms"] if d["max_ms"] else "-"))' "$idle")"
    stop
  done
done
echo
echo "== summary"
cat "$SUMMARY"
