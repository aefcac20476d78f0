#!/usr/bin/env bash
# Where a replication's instructions and cache misses go: the measurements behind the "Why T2
# misses" and "Why T3 misses" sections of docs/performance.md. A benchmark, not a test.
#
#   bash tools/profile.sh           instruction budget per event, baseline county (callgrind,
#                                   about 1 minute)
#   bash tools/profile.sh --cache   also last-level cache misses per event, the county at x1 and
#                                   x16 (cachegrind with a 32 MB last-level cache; about 10 minutes)
#
# Instructions: `cmasim run scenarios/baseline.yaml --set horizon_days=20 -r 1 -t 1` (30-day
# warm-up + 20 days), counted inside cmasim::model::simulate_replication only (loading and
# writing outputs excluded), split by where the code comes from: Philox blocks (Random123's
# philox.h, inlined wherever a number is drawn), libm (log, cos, exp), the event calendar
# (calendar.h, the headers it composes and simulator.h: push, pop, refill) and the rest (the model, with the std:: code
# it inlines). Instruction counts do not depend on the load of the machine.
#
# Cache (--cache): the baseline county at x1 and at x16 (tools/scale_county.sh), 30-day warm-up
# + 1 day, under cachegrind with a last-level cache of 32 MB, 16-way, 64-byte lines (the L3 of
# the machine the figures were taken on; --ll BYTES to change). Misses per event, reads and
# writes, with the functions that miss most at x16. Cachegrind models two levels and no
# prefetcher: the counts show where the working set leaves the cache, not exact latencies.
#
# Builds build/profile: the Release configuration with -g (debug information generates no
# different code; it lets callgrind attribute inlined code to its header). Needs valgrind,
# installed from Debian if missing.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

cache=0
ll=33554432
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache=1; shift ;;
    --ll) if [ $# -lt 2 ] || ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then echo "profile: --ll needs a size in bytes" >&2; exit 2; fi
          ll="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile: unknown argument '$1' (usage: bash tools/profile.sh [--cache] [--ll BYTES])" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {  # fail MESSAGE [LOGFILE]
  echo "profile: FAILED: $1" >&2
  if [ $# -ge 2 ] && [ -f "$2" ]; then echo "---- output:" >&2; cat "$2" >&2; echo "----" >&2; fi
  exit 1
}

if ! command -v valgrind >/dev/null; then
  echo "profile: installing valgrind" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq valgrind >/dev/null
fi
bash tools/dev.sh build >"$work/build.log" 2>&1 || fail "bash tools/dev.sh build (dependencies)" "$work/build.log"
{
  cmake -S . -B build/profile -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-g \
    -DCMASIM_BUILD_TESTS=OFF -DCMASIM_BUILD_BENCH=OFF &&
    cmake --build build/profile --target cmasim
} >"$work/build.log" 2>&1 || fail "building build/profile" "$work/build.log"
cmasim=build/profile/src/cmasim

commit=unknown
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git rev-parse --short HEAD)
  [ -z "$(git --no-optional-locks status --porcelain --untracked-files=no)" ] || commit="$commit-dirty"
fi
echo "cmasim profile (tools/profile.sh), $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(valgrind --version)"

# events_of LOG: the event count from cmasim's "simulated N events" log line.
events_of() {
  sed -nE 's/^\[info\] simulated ([0-9]+) events in .*/\1/p' "$1" | grep -E '^[0-9]+$' ||
    fail "no 'simulated N events' line in the log" "$1"
}

# --- instruction budget ---------------------------------------------------------------------
run_args=(run scenarios/baseline.yaml --set horizon_days=20 -r 1 -t 1 -q)
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
  '--toggle-collect=cmasim::model::simulate_replication*' \
  "$cmasim" --log-level info "${run_args[@]}" -o "$work/out" >"$work/cg.log" 2>&1 ||
  fail "valgrind --tool=callgrind $cmasim ${run_args[*]}" "$work/cg.log"
events=$(events_of "$work/cg.log")
callgrind_annotate --auto=no --threshold=100 "$work/cg.out" >"$work/cg.txt" 2>&1 ||
  fail "callgrind_annotate" "$work/cg.txt"

python3 - "$work/cg.txt" "$events" "${run_args[*]}" <<'PY'
"""Instruction budget per event from callgrind_annotate's self costs, by origin."""
import re
import sys

path, events, command = sys.argv[1], int(sys.argv[2]), sys.argv[3]
parts = {"Philox blocks (Random123 philox.h)": 0, "libm (log, cos, exp, ...)": 0,
         "event calendar (calendar.h, simulator.h)": 0, "model and the std:: code it inlines": 0}
total = None
line_re = re.compile(r"^\s*([0-9,]+)\s+\([^)]*\)\s+(\S.*)$")
with open(path) as f:
    for line in f:
        m = line_re.match(line)
        if not m:
            continue
        n, where = int(m.group(1).replace(",", "")), m.group(2)
        if "PROGRAM TOTALS" in where:
            total = n
        elif "Random123/philox.h" in where:
            parts["Philox blocks (Random123 philox.h)"] += n
        elif "libm.so" in where:
            parts["libm (log, cos, exp, ...)"] += n
        elif re.search(r"cmasim/sim/(calendar|calendar_key|near_heap|bucket_ring|window_tuner|"
                       r"family_aligned_allocator|simulator)\.h", where):
            parts["event calendar (calendar.h, simulator.h)"] += n
if total is None:
    sys.exit("profile: no PROGRAM TOTALS line in callgrind_annotate's output")
# The rest (including functions below callgrind_annotate's listing threshold) is the model's.
parts["model and the std:: code it inlines"] = total - sum(parts.values())
print(f"\n== Instruction budget: cmasim {command}")
print(f"   inside simulate_replication: {total / 1e6:,.1f} M instructions, {events:,} events, "
      f"{total / events:,.0f} per event")
print(f"   {'part':<42} {'M instr':>9} {'per event':>10} {'share':>6}")
for name, n in parts.items():
    print(f"   {name:<42} {n / 1e6:>9.1f} {n / events:>10.0f} {n / total:>6.1%}")
PY

[ "$cache" -eq 1 ] || exit 0

# --- cache misses at x1 and x16 -------------------------------------------------------------
scale16=$(bash tools/scale_county.sh "$cmasim" scenarios/baseline.yaml 16 2>"$work/scale.err") ||
  fail "bash tools/scale_county.sh" "$work/scale.err"
echo
echo "== Last-level cache misses (cachegrind, LL $ll bytes 16-way 64-byte lines; 30-day warm-up + 1 day)"
for size in x1 x16; do
  extra=()
  # shellcheck disable=SC2206  # one --set and its value per word
  [ "$size" = x16 ] && extra=($scale16)
  valgrind --tool=cachegrind --cachegrind-out-file="$work/$size.out" --LL="$ll,16,64" \
    "$cmasim" --log-level info run scenarios/baseline.yaml --set horizon_days=1 -r 1 -t 1 -q \
    -o "$work/out_$size" "${extra[@]}" >"$work/$size.log" 2>&1 ||
    fail "valgrind --tool=cachegrind ($size)" "$work/$size.log"
  ev=$(events_of "$work/$size.log")
  read -r rd wr < <(sed -nE 's/.*LLd misses: *([0-9,]+) *\( *([0-9,]+) rd *\+ *([0-9,]+) wr.*/\2 \3/p' "$work/$size.log" | tr -d ,)
  [[ "$rd" =~ ^[0-9]+$ && "$wr" =~ ^[0-9]+$ ]] || fail "could not read cachegrind's LLd misses ($size)" "$work/$size.log"
  awk -v s="$size" -v e="$ev" -v r="$rd" -v w="$wr" 'BEGIN {
    printf "   %-4s %11d events   LL read misses %10d (%.3f per event)   LL write misses %10d (%.3f per event)\n", s, e, r, r / e, w, w / e }'
done
echo "   x16, functions with the most last-level read misses (share of all):"
cg_annotate --auto=no --sort=DLmr "$work/x16.out" 2>&1 |
  python3 -c '
import os, re, sys
rows, total = [], None
root = os.getcwd() + "/"
for line in sys.stdin:
    fields = re.sub(r"\(\s*[0-9.]+%\)", " ", line).split()
    if len(fields) < 10 or not all(re.fullmatch(r"[0-9,]+", x) for x in fields[:9]):
        continue
    dlmr, where = int(fields[5].replace(",", "")), " ".join(fields[9:]).replace(root, "")
    if where == "PROGRAM TOTALS":
        total = dlmr
    else:
        rows.append((dlmr, where))
if not total:
    sys.exit("profile: could not read cg_annotate output")
for n, where in sorted(rows, reverse=True)[:6]:
    print(f"     {n / total:6.1%}  {where[:110]}")
'
