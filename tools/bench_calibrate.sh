#!/usr/bin/env bash
# Time one calibration of the baseline county's four headline indicators with four free
# parameters (scenarios/calibration/baseline_headline.yaml: 3 waves x 24 points x 3 replications
# and up to 20 best-fit evaluations, each replication a full year after the warm-up).
#   bash tools/bench_calibrate.sh [--quick] [BINARY] [THREADS=2]
# Prints the wall and CPU seconds, the load average before the run and the county-years the
# calibration simulated; docs/performance.md records them. Not a test: the numbers depend on the
# machine and, on a shared machine, on what else runs.
# --quick is a smoke run of the same command (seconds, not minutes): the same file with one wave
# of 4 points x 2 replications, no best fit, and 20 days after a 7-day warm-up. It shows the
# command and the script work; its time says nothing about the real one.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
bin="${1:-build/release/src/cmasim}"
threads="${2:-2}"
[ -x "$bin" ] || { echo "no binary at $bin (build first: cmake --build --preset release)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file=scenarios/calibration/baseline_headline.yaml
if [ "$quick" = 1 ]; then
  # The same parameters and targets; a last `set:` and `method:` replace nothing else.
  grep -v '^method:' "$file" > "$work/quick.yaml"
  printf 'set: {horizon_days: 20, warmup_days: 7}\nmethod: {waves: 1, points_per_wave: 4, replications: 2, fit_evaluations: 0, pool: 256, seed: 1}\n' \
    >> "$work/quick.yaml"
  file="$work/quick.yaml"
fi
load=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$work/cpu" "$bin" calibrate scenarios/baseline.yaml \
  "$file" --out "$work/out" --threads "$threads" -q
end=$(date +%s.%N)
read -r user sys < "$work/cpu"
years=$(python3 -c "import json; print(json.load(open('$work/out/calibration.json'))['county_years_simulated'])")
printf 'calibrate baseline_headline%s: threads %s, load %s before: wall %.1f s, cpu %.1f s, %s county-years\n' \
  "$([ "$quick" = 1 ] && echo ' (--quick smoke run)')" "$threads" "$load" "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$years"
cat "$work/out/summary.txt"
