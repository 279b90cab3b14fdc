#!/usr/bin/env bash
# Times `widgetry lint --format json <zip>` against `unzip -tq <zip>` on the deterministic
# benchmark widgets (typical: ~30 files, ~250 KB; large: ~5 MB), side by side in one run.
# Goal: lint costs at most GOAL (1.5) times `unzip -tq` on the typical widget.
#
#   bench/lint-vs-unzip.sh            # 30 runs each (hyperfine if installed, else a bash loop)
#   RUNS=100 bench/lint-vs-unzip.sh
#   BEFORE_BIN=/tmp/widgetry-old bench/lint-vs-unzip.sh   # an older build in the same run
#   CLIENT_ONLY=1 bench/lint-vs-unzip.sh     # the client-only CLI integrators install
#                                            # (--no-default-features) instead of the full binary
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
WIDGETRY="$TARGET/release/widgetry"
"$TARGET/release/examples/bench_widgets" "$OUT"

echo
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"

# The commands must work before they are timed. lint exits 1 when the widget has errors,
# which is a verdict, not a failure; only exit codes above 1 are.
for zip in "$OUT"/typical.zip "$OUT"/large.zip; do
  unzip -tq "$zip" >/dev/null
  set +e; "$WIDGETRY" lint --format json "$zip" >"$OUT/report.json"; rc=$?; set -e
  if (( rc > 1 )); then echo "widgetry lint failed on $zip (exit $rc)"; cat "$OUT/report.json"; exit 2; fi
  echo "$(basename "$zip"): lint exit $rc, $(grep -o '"code"' "$OUT/report.json" | wc -l) findings"
done

# Mean wall time of a command in milliseconds, over RUNS runs after 3 warm-ups.
mean_ms() {
  local i start end total=0
  for i in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
  for ((i = 0; i < RUNS; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    total=$((total + end - start))
  done
  awk -v t="$total" -v n="$RUNS" 'BEGIN { printf "%.2f", t / n / 1e6 }'
}

for name in typical large; do
  zip="$OUT/$name.zip"
  echo
  echo "== $name.zip ($(stat -c %s "$zip") bytes)"
  if command -v hyperfine >/dev/null; then
    cmds=("$WIDGETRY lint --format json $zip" "unzip -tq $zip")
    [[ -n $BEFORE_BIN ]] && cmds+=("$BEFORE_BIN lint --format json $zip")
    hyperfine -N --warmup 3 --runs "$RUNS" -i \
      --export-json "$OUT/$name.json" "${cmds[@]}" | sed 's/^/  /'
    mean() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print('%.2f' % (r[int(sys.argv[2])]['mean']*1000))" "$OUT/$name.json" "$1"; }
    lint=$(mean 0)
    unz=$(mean 1)
    before=$([[ -n $BEFORE_BIN ]] && mean 2 || true)
  else
    lint=$(mean_ms "$WIDGETRY" lint --format json "$zip")
    unz=$(mean_ms unzip -tq "$zip")
    before=$([[ -n $BEFORE_BIN ]] && mean_ms "$BEFORE_BIN" lint --format json "$zip" || true)
  fi
  ratio=$(awk -v a="$lint" -v b="$unz" 'BEGIN { printf "%.2f", a / b }')
  line=$(printf '%-8s lint %8s ms   unzip -tq %8s ms   ratio %sx' "$name" "$lint" "$unz" "$ratio")
  if [[ -n $before ]]; then
    line+=$(printf '   (before: lint %s ms, ratio %sx)' "$before" "$(awk -v a="$before" -v b="$unz" 'BEGIN { printf "%.2f", a / b }')")
  fi
  echo "$line" | tee -a "$OUT/summary"
done

echo
echo "== summary ($RUNS runs each)"
cat "$OUT/summary"
typical_ratio=$(awk '/^typical/ {for (i = 1; i <= NF; i++) if ($i == "ratio") {print $(i + 1); exit}}' "$OUT/summary" | tr -d x)
if awk -v r="$typical_ratio" -v g="$GOAL" 'BEGIN { exit !(r <= g) }'; then
  echo "goal met: lint is ${typical_ratio}x unzip -tq on the typical widget (goal <= ${GOAL}x)"
else
  echo "goal missed: lint is ${typical_ratio}x unzip -tq on the typical widget (goal <= ${GOAL}x)"
fi
