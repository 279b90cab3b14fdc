# Sourced by the bench scripts that run several processes (chaos.sh, cluster.sh): a temporary
# folder with a logs/ folder, every started process stopped on exit (SIGTERM, then SIGKILL
# after 10 s), PostgreSQL stopped through $PG_STOP, the last lines of every log printed when
# the script fails, and small helpers.
#
#   . "$ROOT/bench/common.sh"
#   bench_workspace chaos        # sets OUT, LOGS; PIDS+=("$!") after starting a process

# bench_workspace NAME: OUT=/tmp/widgetry-NAME.XXXXXX (kept with KEEP=1), LOGS=$OUT/logs,
# and the exit trap.
bench_workspace() {
  OUT=$(mktemp -d "/tmp/widgetry-$1.XXXXXX")
  chmod 755 "$OUT"
  LOGS="$OUT/logs"
  mkdir -p "$LOGS"
  PIDS=()
  PG_STOP=""
  FAILURE=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local rc=$? pid f
  trap - EXIT INT TERM
  if ((${#PIDS[@]})); then
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
      # Bounded: a process that ignores SIGTERM for 10 s gets SIGKILL.
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    done
  fi
  [[ -n $PG_STOP ]] && { eval "$PG_STOP" >/dev/null 2>&1 || true; }
  if ((rc != 0)); then
    echo
    echo "== FAILED (exit status $rc); the last lines of every log:"
    for f in "$LOGS"/*.log; do
      [[ -s $f ]] || continue
      echo "--- $f"
      tail -n 15 "$f"
    done
    [[ -n $FAILURE ]] && echo "== error: $FAILURE"
  fi
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "== kept $OUT"
  else
    rm -rf "$OUT"
  fi
  exit "$rc"
}

die() {
  FAILURE="$*"
  echo "error: $*" >&2
  exit 1
}
forget_pid() { # PID: a process already stopped on purpose
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
now_ms() { date +%s%3N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) / 1000}'; } # START_MS END_MS -> seconds
