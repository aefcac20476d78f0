#!/usr/bin/env bash
# Prints, one per line, the --set overrides that make a synthetic county K times as large:
#
#   bash tools/scale_county.sh CMASIM SCENARIO K
#
# K x the population (synthetic_county.population) and K x every capacity the scenario states in
# absolute numbers: the `doctors` and `beds` of its named facilities (the synthetic village
# clinics and township centers already scale, per 1,000 residents). Scaling the population alone
# would leave the named hospitals with the same doctors for K x the demand: the baseline at x4
# then runs its county hospitals at 100% with 78-minute waits and 100x the reneging, a different
# system. Used by tools/bench.sh (T3) and tools/profile.sh (--cache).
#
# Reads the scenario as `cmasim resolve` prints it (extends: applied). Exits 1, saying why, for a
# scenario without synthetic_county.population or with a doctors/beds value that is not a plain
# number (a shift schedule, say): such a county needs its own scaling rules.
set -euo pipefail
export LC_ALL=C

if [ $# -ne 3 ] || ! [[ "$3" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash tools/scale_county.sh CMASIM SCENARIO K   (K a positive integer)" >&2
  exit 2
fi
cmasim="$1" scenario="$2" k="$3"

resolved="$("$cmasim" resolve "$scenario" 2>&1)" || {
  echo "scale_county: cmasim resolve $scenario failed:" >&2
  echo "$resolved" >&2
  exit 1
}
awk -v k="$k" -v scenario="$scenario" '
  function fail(msg) { print "scale_county: " scenario ": " msg > "/dev/stderr"; bad = 1; exit 1 }
  /^[^ #-]/ { section = $1; sub(/:$/, "", section) }
  section == "synthetic_county" && /^  population:/ {
    if ($2 !~ /^[0-9]+$/) fail("synthetic_county.population is \"" $2 "\", not a plain number")
    population = $2
  }
  section == "facilities" && /^  - id: / { id = $3 }
  section == "facilities" && /^    (doctors|beds):/ {
    key = $1; sub(/:$/, "", key)
    if ($2 !~ /^[0-9]+$/) fail("facility " id " has " key " = \"" $2 "\": only plain numbers can be scaled")
    lines = lines sprintf("--set facilities[%s].%s=%d\n", id, key, $2 * k)
  }
  END {
    if (bad) exit 1
    if (population == "") fail("no synthetic_county.population: only a synthetic county can be scaled")
    printf "--set synthetic_county.population=%d\n%s", population * k, lines
  }' <<<"$resolved"
