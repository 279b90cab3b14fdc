#!/usr/bin/env bash
# Times `widgetry lint --format json <zip>` against `unzip -tq <zip>` on the deterministic
# benchmark widgets (typical: ~30 files, ~250 KB; large: ~5 MB), side by side in one run.
# Goal: lint costs at most GOAL (1.5) times `unzip -tq` on the typical widget.
#
#   bench/lint-vs-unzip.sh            # 30 rounds (each runs every command once)
#   RUNS=200 bench/lint-vs-unzip.sh
#   BEFORE_BIN=/tmp/widgetry-old bench/lint-vs-unzip.sh   # an older build in the same run
#   CLIENT_ONLY=1 bench/lint-vs-unzip.sh     # the client-only CLI integrators install
#                                            # (--no-default-features) instead of the full binary
#   INSTRUCTIONS=1 bench/lint-vs-unzip.sh    # also count instructions with valgrind: exact and
#                                            # the same on every run, where time drifts with the host
#
# Uses CARGO_TARGET_DIR when set (default: target/ of the workspace).
set -euo pipefail

RUNS=${RUNS:-30}
GOAL=${GOAL:-1.5}
BEFORE_BIN=${BEFORE_BIN:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

command -v unzip >/dev/null || { echo "unzip is not installed (apt-get install -y unzip)"; exit 2; }

FEATURES=()
[[ -n ${CLIENT_ONLY:-} ]] && FEATURES=(--no-default-features)
echo "== building widgetry ${FEATURES[*]:-(default features)} and the widget generator (release)"
(cd "$ROOT" && cargo build --release -q -p widgetry --bin widgetry "${FEATURES[@]}" \
  && cargo build --release -q -p widgetry-validator --example bench_widgets)
"$TARGET/release/examples/bench_widgets" "$OUT"

# Every command timed runs from a fresh copy in the temporary folder, as `cargo install`
# leaves a binary: how an executable's pages came into the page cache changes how many page
# faults running it takes. The linker's output run straight from target/ took 662 faults,
# a copy of the same bytes 622 (and about 5 % less time); read back from disk after the
# cache is dropped, either takes 660. So the older build and unzip are copied too, and all
# three start from the same state.
cp "$TARGET/release/widgetry" "$OUT/widgetry"
WIDGETRY="$OUT/widgetry"
cp "$(command -v unzip)" "$OUT/unzip"
UNZIP="$OUT/unzip"
if [[ -n $BEFORE_BIN ]]; then
  cp "$BEFORE_BIN" "$OUT/widgetry-before"
  BEFORE_BIN="$OUT/widgetry-before"
fi

echo
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"

# The commands must work before they are timed. lint exits 1 when the widget has errors,
# which is a verdict, not a failure; only exit codes above 1 are.
for zip in "$OUT"/typical.zip "$OUT"/large.zip; do
  "$UNZIP" -tq "$zip" >/dev/null
  set +e; "$WIDGETRY" lint --format json "$zip" >"$OUT/report.json"; rc=$?; set -e
  if (( rc > 1 )); then echo "widgetry lint failed on $zip (exit $rc)"; cat "$OUT/report.json"; exit 2; fi
  echo "$(basename "$zip"): lint exit $rc, $(grep -o '"code"' "$OUT/report.json" | wc -l) findings"
done

# On a shared virtual machine the speed of a memory-heavy process drifts by tens of percent
# from one second to the next while `unzip` barely moves, so timing all runs of one command
# and then all runs of the other compares different moments. Here every round runs each
# command once, in a shuffled order, and the ratio reported is the median of the rounds'
# ratios. The time of a run is the CPU time the kernel accounts to the process (user +
# system, as hyperfine's `User` and `System`: start-up, page faults and exit included, the
# timer's own overhead not); its wall time is shown beside it.
timed() { # NAME CMD... (first CMD is lint, second unzip, third the before binary)
  python3 - "$RUNS" "$@" <<'PY'
import os, random, shlex, statistics, sys, time
runs, name, cmds = int(sys.argv[1]), sys.argv[2], [shlex.split(c) for c in sys.argv[3:]]
null = os.open(os.devnull, os.O_WRONLY)
def run(c):
    t = time.perf_counter_ns()
    pid = os.posix_spawnp(c[0], c, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    _, _, usage = os.wait4(pid, 0)
    return (usage.ru_utime + usage.ru_stime) * 1e3, (time.perf_counter_ns() - t) / 1e6
for c in cmds:
    for _ in range(3):
        run(c)
cpu = [[] for _ in cmds]
wall = [[] for _ in cmds]
for _ in range(runs):
    order = list(range(len(cmds)))
    random.shuffle(order)
    for i in order:
        c, w = run(cmds[i])
        cpu[i].append(c)
        wall[i].append(w)
med = statistics.median
q = lambda ts, p: sorted(ts)[int(len(ts) * p)]
for label, ts, ws in zip(["lint", "unzip -tq", "before"], cpu, wall):
    print("  %-9s CPU median %7.2f ms (p25 %.2f, p75 %.2f)   wall median %7.2f ms" % (
        label, med(ts), q(ts, 0.25), q(ts, 0.75), med(ws)))
ratio = lambda a: med(x / y for x, y in zip(a, cpu[1]))
line = "%-8s lint %8.2f ms   unzip -tq %8.2f ms   ratio %.2fx" % (name, med(cpu[0]), med(cpu[1]), ratio(cpu[0]))
if len(cpu) > 2:
    line += "   (before: lint %.2f ms, ratio %.2fx)" % (med(cpu[2]), ratio(cpu[2]))
print(line)
PY
}

for name in typical large; do
  zip="$OUT/$name.zip"
  echo
  echo "== $name.zip ($(stat -c %s "$zip") bytes): $RUNS rounds"
  cmds=("$WIDGETRY lint --format json $zip" "$UNZIP -tq $zip")
  [[ -n $BEFORE_BIN ]] && cmds+=("$BEFORE_BIN lint --format json $zip")
  timed "$name" "${cmds[@]}" | tee "$OUT/$name.out"
  tail -n 1 "$OUT/$name.out" >>"$OUT/summary"
done

# Instructions do not depend on the moment: the same binary gives the same count on a quick
# or a slow host, so this is the figure to compare commits by (time is the goal's measure).
if [[ -n ${INSTRUCTIONS:-} ]]; then
  command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install -y valgrind)"; exit 2; }
  count() { # CMD... -> instructions of one run
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out" "$@" >/dev/null 2>&1 || true
    awk '/^summary:/ {print $2}' "$OUT/cg.out"
  }
  echo
  echo "== instructions (valgrind --tool=callgrind, one run each)"
  for name in typical large; do
    zip="$OUT/$name.zip"
    lint=$(count "$WIDGETRY" lint --format json "$zip")
    unzip=$(count "$UNZIP" -tq "$zip")
    line=$(awk -v n="$name" -v l="$lint" -v u="$unzip" 'BEGIN { printf "%-8s lint %12d   unzip -tq %12d   ratio %.2fx", n, l, u, l / u }')
    if [[ -n $BEFORE_BIN ]]; then
      before=$(count "$BEFORE_BIN" lint --format json "$zip")
      line+=$(awk -v b="$before" -v u="$unzip" 'BEGIN { printf "   (before: lint %d, ratio %.2fx)", b, b / u }')
    fi
    echo "$line"
  done
fi

echo
echo "== summary ($RUNS rounds, each command once per round in a shuffled order; median CPU time)"
cat "$OUT/summary"
typical_ratio=$(awk '/^typical/ {for (i = 1; i <= NF; i++) if ($i == "ratio") {print $(i + 1); exit}}' "$OUT/summary" | tr -d x)
if awk -v r="$typical_ratio" -v g="$GOAL" 'BEGIN { exit !(r <= g) }'; then
  echo "goal met: lint is ${typical_ratio}x unzip -tq on the typical widget (goal <= ${GOAL}x)"
else
  echo "goal missed: lint is ${typical_ratio}x unzip -tq on the typical widget (goal <= ${GOAL}x)"
fi
