#!/usr/bin/env bash
# Build the libFuzzer targets with Clang and run each for a fixed time (docs/reliability.md).
#   bash tools/fuzz.sh            each target for 30 s (what `tools/dev.sh test` runs)
#   bash tools/fuzz.sh 600        each target for 10 minutes
# Seed corpus: the shipped scenarios and the test data; new inputs the fuzzer finds stay in
# build/asan/corpus/<target> (not in the repository), crashes in build/asan/crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$(nproc)" --target fuzz_scenario fuzz_sweep
mkdir -p build/asan/crashes build/asan/corpus/fuzz_scenario build/asan/corpus/fuzz_sweep
run() {
  local target="$1"; shift
  echo "fuzz: $target for ${seconds} s" >&2
  "build/asan/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix=build/asan/crashes/ \
    "build/asan/corpus/$target" "$@"
}
run fuzz_scenario scenarios scenarios/whatif scenarios/validation tests/data/valid tests/data/invalid \
  tests/data/whatif tests/data/levers tests/data/micro
run fuzz_sweep tests/data/sweeps scenarios/sweeps
