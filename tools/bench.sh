#!/usr/bin/env bash
# Benchmarks (never part of the test suite). Prints whole-run figures for the baseline county
# (one replication-year, one thread: wall time, kernel events per second, peak memory) and the
# event-calendar micro-benchmark. Record the output in docs/performance.md with date and commit.
#   bash tools/bench.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
bash tools/dev.sh build >/dev/null
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time >/dev/null
fi
echo "== baseline county, 1 replication-year, 1 thread (commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
for i in $(seq "$runs"); do
  /usr/bin/time -f "wall %e s, peak RSS %M KB" \
    build/release/src/cmasim --log-level info run scenarios/baseline.yaml -r 1 -t 1 -q \
      --out /tmp/cmasim-bench >/dev/null 2>/tmp/cmasim-bench.err
  grep -E "simulated|wall" /tmp/cmasim-bench.err | sed 's/^\[info\] //' | paste -sd ' ' -
done
echo "== baseline county, 10 replications, 1 vs 2 threads"
for t in 1 2; do
  /usr/bin/time -f "threads $t: wall %e s" build/release/src/cmasim run scenarios/baseline.yaml \
    -r 10 -t "$t" -q --out /tmp/cmasim-bench >/dev/null 2>/tmp/cmasim-bench.err
  tail -1 /tmp/cmasim-bench.err
done
echo "== event calendar (Google Benchmark, hold model)"
build/release/bench/bench_calendar --benchmark_min_time=0.2
