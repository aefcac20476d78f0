#!/usr/bin/env bash
# The same numbers on every CPU (issue 19 item 2, docs/model.md "The same numbers on every CPU").
# glibc picks FMA/AVX2 or plain SSE2 versions of exp, log, cos, ... at run time, and they differ
# in the last bit for about 1 call in 10^3-10^4. With those code paths switched off
# (GLIBC_TUNABLES), as on an older CPU:
#   1. control: glibc's own results change (else the switch did nothing and the test proves nothing);
#   2. the project's functions (sim/detmath.h) give the same bits;
#   3. every shipped scenario's exact fingerprint equals tests/baselines/ (made with them on).
#   bash tools/cross_cpu_check.sh [CMASIM] [MATH_FINGERPRINT]     exit 77: no FMA/AVX2 to switch off
set -euo pipefail
cd "$(dirname "$0")/.."
CMASIM="${1:-build/release/src/cmasim}"
FP="${2:-build/release/tests/math_fingerprint}"
OFF='glibc.cpu.hwcaps=-AVX2,-FMA'
if ! grep -qw fma /proc/cpuinfo; then
  echo "this CPU has no FMA: there is no second code path to compare with"; exit 77
fi
libm_on=$("$FP" libm); libm_off=$(GLIBC_TUNABLES=$OFF "$FP" libm)
if [ "$libm_on" = "$libm_off" ]; then
  echo "control failed: glibc gave the same bits with $OFF; the switch did not take effect"; exit 1
fi
echo "control: glibc's exp/log/cos/log1p change with $OFF ($libm_on -> $libm_off)"
own_on=$("$FP" own); own_off=$(GLIBC_TUNABLES=$OFF "$FP" own)
if [ "$own_on" != "$own_off" ]; then
  echo "FAIL: sim/detmath.h changed with $OFF ($own_on -> $own_off)"; exit 1
fi
echo "sim/detmath.h: the same bits ($own_on)"
reports=$(mktemp -d); trap 'rm -rf "$reports"' EXIT
GLIBC_TUNABLES=$OFF CMASIM="$CMASIM" CHECK_REPORT_DIR="$reports" bash tools/check_scenarios.sh --exact
