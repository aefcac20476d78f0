#!/usr/bin/env bash
# Time one calibration of the baseline county's four headline indicators with four free
# parameters (scenarios/calibration/baseline_headline.yaml: 3 waves x 24 points x 3 replications
# and up to 20 best-fit evaluations, each replication a full year after the warm-up).
#   bash tools/bench_calibrate.sh [BINARY] [THREADS=2]
# Prints the wall and CPU seconds, the load average before the run and the county-years the
# calibration simulated; docs/performance.md records them. Not a test: the numbers depend on the
# machine and, on a shared machine, on what else runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/src/cmasim}"
threads="${2:-2}"
[ -x "$bin" ] || { echo "no binary at $bin (build first: cmake --build --preset release)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$work/cpu" "$bin" calibrate scenarios/baseline.yaml \
  scenarios/calibration/baseline_headline.yaml --out "$work/out" --threads "$threads" -q
end=$(date +%s.%N)
read -r user sys < "$work/cpu"
years=$(python3 -c "import json; print(json.load(open('$work/out/calibration.json'))['county_years_simulated'])")
printf 'calibrate baseline_headline: threads %s, load %s before: wall %.1f s, cpu %.1f s, %s county-years\n' \
  "$threads" "$load" "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$years"
cat "$work/out/summary.txt"
