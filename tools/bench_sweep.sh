#!/usr/bin/env bash
# Sweep throughput (tasks per second) with 1 and 2 worker threads, on the baseline county.
#   bash tools/bench_sweep.sh [BINARY] [REPEATS]
# Each repeat runs the same 12-task sweep (3 points x 4 replications, 60 simulated days after the
# warm-up) into a fresh directory, once per thread count, and times the whole command (planning,
# compiling the counties, journaling with fsync, writing the files). Prints every run and the
# medians; docs/performance.md records them. Not a test: the numbers depend on the machine, and
# on a shared machine on what else runs (the load average before each run is printed: 2 threads
# can only be twice as fast when two cores are idle).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/src/cmasim}"
repeats="${2:-5}"
[ -x "$bin" ] || { echo "no binary at $bin (build first: cmake --build --preset release)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/bench.yaml" <<YAML
name: sweep throughput benchmark
base: $PWD/scenarios/baseline.yaml
set: {horizon_days: 60}
replications: 4
indicators: [in_county_rate, grassroots_rate]
parameters:
  - {path: insurance.outpatient_ratio.township, values: [0.5, 0.7, 0.9]}
YAML
tasks=12

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A rates
for r in $(seq 1 "$repeats"); do
  for t in 1 2; do
    rm -rf "$work/out"
    load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s.%N)
    "$bin" sweep "$work/bench.yaml" --out "$work/out" --threads "$t" -q 2>"$work/times" &
    pid=$!
    # CPU seconds of the sweep process (user + system), from /proc before it is reaped.
    cpu=0
    while kill -0 "$pid" 2>/dev/null; do
      if [ -r "/proc/$pid/stat" ]; then
        cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat" 2>/dev/null || echo "$cpu")
      fi
      sleep 0.05
    done
    wait "$pid"
    end=$(date +%s.%N)
    rate=$(awk -v n="$tasks" -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", n / (b - a)}')
    rates[$t]+="$rate "
    echo "repeat $r, threads $t: $rate tasks/s  ($(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}') s wall, ~${cpu} s CPU, load average before ${load})"
  done
done
m1=$(echo "${rates[1]}" | tr ' ' '\n' | grep . | median)
m2=$(echo "${rates[2]}" | tr ' ' '\n' | grep . | median)
echo "median: 1 thread $m1 tasks/s, 2 threads $m2 tasks/s, speed-up $(awk -v a="$m1" -v b="$m2" 'BEGIN {printf "%.2f", b / a}')x on $(nproc) cores"
