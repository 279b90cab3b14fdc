#!/usr/bin/env bash
# Fuzzes the validator: builds and runs each cargo-fuzz target for a share of SECONDS,
# starting from the seeds in fuzz/seeds/ (plus whatever corpus earlier runs left in
# fuzz/corpus/). Prints the figures libFuzzer reports and any crash under fuzz/artifacts/;
# exits non-zero when a target crashed.
#
#   fuzz/run.sh 600            # ten minutes, split between the targets
#   JOBS=2 fuzz/run.sh 600     # two libFuzzer workers per target
#   TARGETS=validate_files fuzz/run.sh 300
set -euo pipefail

SECONDS_TOTAL=${1:-60}
JOBS=${JOBS:-1}
cd "$(dirname "$0")"
read -r -a TARGETS <<<"${TARGETS:-validate validate_files}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# cargo-fuzz needs nightly flags (-Zsanitizer); this lets a stable toolchain accept them.
export RUSTC_BOOTSTRAP=1
unset CARGO_TARGET_DIR

per_target=$(( SECONDS_TOTAL / ${#TARGETS[@]} ))
(( per_target >= 1 )) || per_target=1
status=0
summary=()

for t in "${TARGETS[@]}"; do
  echo "== building $t"
  blog=$(mktemp)
  cargo fuzz build "$t" >"$blog" 2>&1 || { tail -60 "$blog"; exit 2; }
  rm -f "$blog"
  mkdir -p "corpus/$t" "artifacts/$t"
  cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  # Inputs that once crashed or hung stay in the corpus, so every run re-checks them.
  cp -n regressions/"$t"/* "corpus/$t/" 2>/dev/null || true
  before=$(ls "artifacts/$t" | wc -l)
  log=$(mktemp)
  echo "== fuzzing $t for ${per_target}s"
  set +e
  parallel=()
  if [[ "$JOBS" -gt 1 ]]; then parallel=(-jobs="$JOBS" -workers="$JOBS"); fi
  cargo fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$per_target" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    "${parallel[@]}" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  # With -jobs, the workers log to fuzz-N.log in the current folder.
  if [[ "$JOBS" -gt 1 ]]; then cat fuzz-*.log >>"$log" 2>/dev/null || true; rm -f fuzz-*.log; fi
  if ! grep -q 'stat::number_of_executed_units' "$log"; then tail -20 "$log"; fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  cov=$(grep -oE '(#[0-9]+|DONE).*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo "cov: ? ft: ?")
  corpus=$(ls "corpus/$t" | wc -l)
  after=$(ls "artifacts/$t" | wc -l)
  crashes=$(( after - before ))
  summary+=("$t: ${execs} executions (${speed}/s), ${cov}, corpus ${corpus} files, new crashes ${crashes}, exit ${rc}")
  if (( rc != 0 )) || (( crashes > 0 )); then
    status=1
    echo "!! $t failed (exit $rc); last lines of the log:"
    tail -40 "$log"
    ls -la "artifacts/$t"
  fi
  rm -f "$log"
done

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
if (( status != 0 )); then
  echo "crashes are under fuzz/artifacts/; reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-..."
fi
exit $status
