#!/usr/bin/env bash
# The client-only CLI (`--no-default-features`: no server, database, HTTP-server or cloud-storage
# stacks) against the binary of an earlier revision that linked everything: crates compiled,
# cold release build time, binary size, start-up time and `lint` time on the typical widget.
# Both are built from nothing (a fresh target folder each), one after the other, in one run,
# each from a clean checkout (a git worktree) of its revision.
#
#   BEFORE_REV=00cee6f bench/cli-build.sh    # the revision to compare with
#   AFTER_REV=HEAD                           # the revision whose client-only CLI is measured
#   FULL=1 BEFORE_REV=... bench/cli-build.sh # also the full binary (default features) of AFTER_REV
#
# About 20 minutes on 2 cores (a cold release build of the full binary takes most of it).
set -euo pipefail

BEFORE_REV=${BEFORE_REV:?give BEFORE_REV, the revision whose binary to compare with}
AFTER_REV=${AFTER_REV:-HEAD}
FULL=${FULL:-}
RUNS=${RUNS:-100}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d)
cleanup() {
  git -C "$ROOT" worktree remove --force "$OUT/before" >/dev/null 2>&1 || true
  git -C "$ROOT" worktree remove --force "$OUT/after" >/dev/null 2>&1 || true
  rm -rf "$OUT"
}
trap cleanup EXIT

git -C "$ROOT" worktree add --detach -q "$OUT/before" "$BEFORE_REV"
git -C "$ROOT" worktree add --detach -q "$OUT/after" "$AFTER_REV"
echo "== before: $(git -C "$OUT/before" log -1 --format='%h %s' | cut -c1-80)"
echo "== after:  $(git -C "$OUT/after" log -1 --format='%h %s' | cut -c1-80)"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(rustc --version)"

# Distinct packages (name and version) in the normal dependency graph of the binary.
crates() {
  local dir=$1
  shift
  (cd "$dir" && cargo tree -p widgetry -e normal --prefix none "$@" 2>/dev/null) \
    | sed 's/ (\*)//; s/ (proc-macro)//' | awk '{print $1, $2}' | sort -u | wc -l
}

# Builds from nothing into its own target folder; prints the seconds it took.
cold_build() {
  local dir=$1 target=$2
  shift 2
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR=$target cargo build --release -q --locked -p widgetry --bin widgetry "$@")
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }'
}

declare -A SECS COUNT SIZE BIN
names=(before thin)
[[ -n $FULL ]] && names+=(full)
for name in "${names[@]}"; do
  case $name in
    before) dir=$OUT/before; flags=() ;;
    thin) dir=$OUT/after; flags=(--no-default-features) ;;
    full) dir=$OUT/after; flags=() ;;
  esac
  echo "== $name: cold release build (${flags[*]:-default features})"
  COUNT[$name]=$(crates "$dir" "${flags[@]}")
  SECS[$name]=$(cold_build "$dir" "$OUT/target-$name" "${flags[@]}")
  BIN[$name]=$OUT/target-$name/release/widgetry
  SIZE[$name]=$(stat -c %s "${BIN[$name]}")
  echo "   ${COUNT[$name]} crates, ${SECS[$name]} s, $((SIZE[$name] / 1024 / 1024)) MiB"
done

echo "== the benchmark widget"
(cd "$OUT/after" && CARGO_TARGET_DIR=$OUT/target-thin cargo build --release -q -p widgetry-validator --example bench_widgets)
"$OUT/target-thin/release/examples/bench_widgets" "$OUT" >/dev/null
ZIP=$OUT/typical.zip

echo "== start-up (--version) and lint --format json typical.zip, hyperfine -N, $RUNS runs"
cmds=()
for name in "${names[@]}"; do cmds+=("${BIN[$name]} --version"); done
for name in "${names[@]}"; do cmds+=("${BIN[$name]} lint --format json $ZIP"); done
cmds+=("unzip -tq $ZIP")
hyperfine -N -i --warmup 5 --runs "$RUNS" --export-json "$OUT/times.json" "${cmds[@]}" >/dev/null
mean() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print('%.2f ± %.2f' % (r[int(sys.argv[2])]['mean']*1000, r[int(sys.argv[2])]['stddev']*1000))" "$OUT/times.json" "$1"; }

n=${#names[@]}
echo
echo "| binary | crates | cold release build | size | start-up | lint typical.zip |"
echo "| --- | --- | --- | --- | --- | --- |"
for i in "${!names[@]}"; do
  name=${names[$i]}
  echo "| $name | ${COUNT[$name]} | ${SECS[$name]} s | $((SIZE[$name] / 1024 / 1024)) MiB | $(mean "$i") ms | $(mean $((i + n))) ms |"
done
echo "| unzip -tq | | | | | $(mean $((2 * n))) ms |"
