#!/usr/bin/env bash
# Performance benchmarks: every target of the performance work, measured by benchmark commands
# (never by tests), ending with one table: target | measured | limit | verdict.
#
#   bash tools/bench.sh [--runs N] [--quick]
#
#   --runs N   repeats per figure (default 5); medians are reported. The costly scaling sizes
#              use fewer: x1 population N runs, x4 ceil(N/2), x16 one run.
#   --quick    smoke test: one run of everything, x16 and the x4 context run skipped.
#
# Builds the Release preset first (tools/dev.sh build), then measures, one thread throughout:
#
#   T1 tandem    The tandem validation network (scenarios/validation/tandem.yaml) for about
#                1,000,000 arrivals (horizon 694.44 days x 1,440 arrivals/day, no warm-up),
#                alternating, run by run, with the hand-written reference loop
#                bench/tandem_reference in its two modes:
#                  --streams engine (judged): the engine's random streams (per-customer
#                  counter-based streams, one Philox block per service or routing draw: the
#                  common-random-numbers discipline), event order and arithmetic, over the same
#                  horizon. It does the same random-number work and reproduces the engine's
#                  numbers: every run checks, value for value as printed, the engine's event count,
#                  peak patients, episodes, mean time in system, and per station visits, mean
#                  wait, mean sojourn, mean queue length and utilisation (the table says whether
#                  they all agree). The ratio engine / this reference is the target (<= 1.5x).
#                  --streams sequential (context): three sequential streams, one Philox block
#                  per four draws, 1,000,000 arrivals. It shows what dropping per-entity
#                  streams, and with them common random numbers across policies, would buy;
#                  its ratio is reported, not judged.
#                Engine: its own "simulated N events in X s" log line (steady_clock around the
#                replication; loading and writing outputs excluded). References: their
#                sim_seconds (steady_clock around the loop). Ratios: medians of the per-run ratios.
#                Loading: `cmasim validate` of the tandem file, whole-process wall time.
#   T2 baseline  scenarios/baseline.yaml, one replication-year, under GNU time: simulation
#                seconds from the log line, whole-process wall (%e), events per second, peak
#                resident memory (%M).
#   T3 scaling   The baseline county at x1, x4 and x16 its size: the population
#                (--set synthetic_county.population) and every doctors/beds figure of a named
#                facility scaled together (see scale_args below), plus one x4 run of the population
#                alone as context (then the county hospitals are saturated).
#                Cost per visit = simulation seconds / visits (the `visits` row of the output's
#                replications.csv); its ratio to x1 must stay within +-20%. Peak memory is shown
#                with the peak number of patients in the system (log line) and per peak patient,
#                and once more for x1 over two years (visits double, simultaneous patients do
#                not: memory should not grow).
#   T4 calendar  build/release/bench/bench_calendar (Google Benchmark, hold model): per size,
#                best reference items/s (a name containing "Reference") / engine calendar items/s
#                (the name starting with "hold/EventCalendar").
#   T5 loading   `cmasim validate scenarios/baseline.yaml`, whole-process wall time.
#
# Units: seconds are wall-clock seconds; MB are 10^6 bytes (GNU time reports KiB); times of short
# whole processes come from bash's $EPOCHREALTIME (microseconds). Timing medians over runs; peak
# memory is the largest over runs. The exit status is 0 when every command ran, whether or not
# the targets are met (the table says); any failed command stops the script with its log.
#
# On a shared machine the figures depend on what else runs: the header prints the load average,
# and each section the load average before it. Record results with the header (date, commit).
set -euo pipefail
export LC_ALL=C  # decimal points in $EPOCHREALTIME and printf
cd "$(dirname "$0")/.."

runs=5
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || { echo "bench: --runs needs a number" >&2; exit 2; }
            runs="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$1' (usage: bash tools/bench.sh [--runs N] [--quick])" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --runs wants a positive integer, got '$runs'" >&2; exit 2; }
if [ "$quick" -eq 1 ]; then runs=1; fi
runs_x4=$(( (runs + 1) / 2 ))

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
records="$work/records.csv"   # target,label,run,metric,value: everything measured, for the report
echo "target,label,run,metric,value" >"$records"

fail() {  # fail MESSAGE [LOGFILE]
  echo "bench: FAILED: $1" >&2
  if [ $# -ge 2 ] && [ -f "$2" ]; then echo "---- output:" >&2; cat "$2" >&2; echo "----" >&2; fi
  exit 1
}
record() { echo "$1,$2,$3,$4,$5" >>"$records"; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
section() { echo; echo "== $1   (load average $(load_average))"; }
is_number() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

# --- build (Release preset) and tools --------------------------------------------------------
bash tools/dev.sh build >"$work/build.log" 2>&1 || fail "bash tools/dev.sh build" "$work/build.log"
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time >/dev/null
fi
cmasim=build/release/src/cmasim
reference=build/release/bench/tandem_reference
calendar_bench=build/release/bench/bench_calendar
for exe in "$cmasim" "$reference" "$calendar_bench"; do
  [ -x "$exe" ] || fail "$exe was not built (is Google Benchmark installed? CMASIM_BUILD_BENCH on?)"
done
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' build/release/CMakeCache.txt)
[ "$build_type" = "Release" ] || fail "build/release is configured as '$build_type', not Release"

# --- header -----------------------------------------------------------------------------------
commit=unknown
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git rev-parse --short HEAD)
  # Tracked files only (as the sweep manifest's `git describe --dirty`); no index refresh.
  if [ -n "$(git --no-optional-locks status --porcelain --untracked-files=no)" ]; then
    commit="$commit-dirty"
  fi
fi
echo "cmasim benchmarks (tools/bench.sh)"
echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "commit:   $commit"
echo "machine:  $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores," \
     "$(awk '/^MemTotal:/ {printf "%.1f GB", $2 * 1024 / 1e9}' /proc/meminfo) memory"
echo "compiler: $(g++ --version | head -1); build/release (CMAKE_BUILD_TYPE=$build_type)"
echo "load:     $(load_average) (1, 5, 15 min) before starting"
if [ "$quick" -eq 1 ]; then
  echo "runs:     1 of each (--quick: x16 and x4_population_only skipped)"
else
  echo "runs:     $runs (scaling: x1 $runs, x4 $runs_x4, x16 1)"
fi

# --- helpers ----------------------------------------------------------------------------------
# run_engine OUTDIR ARGS...: one `cmasim run` (1 replication, 1 thread) under GNU time.
# Sets sim_s, events, peak (patients at once), residents (from the log), wall_s, cpu_s, rss_kb.
# cpu_s (user + system seconds of the whole process) is only a noise gauge: on an idle machine it
# is close to wall_s; much less means the process waited for a core.
run_engine() {
  local out="$1"; shift
  rm -rf "$out"
  if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$cmasim" --log-level info run "$@" -r 1 -t 1 -q \
       -o "$out" >"$work/stdout" 2>"$work/log"; then
    cat "$work/time" >>"$work/log"
    fail "cmasim run $*" "$work/log"
  fi
  local user_s sys_s
  read -r wall_s rss_kb user_s sys_s <"$work/time"
  cpu_s=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN {printf "%.2f", u + s}')
  # [info] simulated 2361004 events in 0.206 s (11.48 M events/s); at most 82 patients in the system at once
  local line
  line=$(grep -E '^\[info\] simulated [0-9]+ events in [0-9.]+ s' "$work/log") ||
    fail "no 'simulated N events in X s' line in the log of cmasim run $*" "$work/log"
  events=$(sed -E 's/.* simulated ([0-9]+) events in .*/\1/' <<<"$line")
  sim_s=$(sed -E 's/.* events in ([0-9.]+) s.*/\1/' <<<"$line")
  peak=$(sed -E 's/.*at most ([0-9]+) patients.*/\1/' <<<"$line")
  residents=$(sed -nE 's/.*\(([0-9]+) residents\).*/\1/p' "$work/log" | head -1)
  for v in "$wall_s" "$cpu_s" "$rss_kb" "$events" "$sim_s" "$peak" "$residents"; do
    is_number "$v" || fail "could not parse the log or GNU time output of cmasim run $* (got '$v')" "$work/log"
  done
}

# visits OUTDIR: the replication's number of visits, from replications.csv (the `visits` row, or
# visits_per_capita x residents when there is none).
visits_of() {
  local csv="$1/replications.csv" v
  [ -f "$csv" ] || fail "no $csv"
  v=$(awk -F, '$1 == "0" && $2 == "visits" {print $3}' "$csv")
  if [ -z "$v" ]; then
    v=$(awk -F, -v n="$residents" '$1 == "0" && $2 == "visits_per_capita" {printf "%.0f", $3 * n}' "$csv")
  fi
  is_number "$v" || fail "no visits or visits_per_capita row in $csv"
  echo "$v"
}

# county_figures OUTDIR LABEL RUN: records (and sets util_county, wait_county) the county
# hospitals' utilisation and mean consultation wait, minutes: T3 shows them per size, so the
# reader sees the sizes simulate the same kind of county.
county_figures() {
  util_county=$(awk -F, '$1 == "0" && $2 == "utilisation_county" {printf "%.3f", $3}' "$1/replications.csv")
  wait_county=$(awk -F, '$1 == "0" && $2 == "wait_minutes_mean_county" {printf "%.1f", $3}' "$1/replications.csv")
  if ! is_number "$util_county" || ! is_number "$wait_county"; then
    fail "no utilisation_county or wait_minutes_mean_county in $1/replications.csv"
  fi
  record t3 "$2" "$3" util_county "$util_county"
  record t3 "$2" "$3" wait_county "$wait_county"
}

# wall_ms CMD...: whole-process wall time of one command, milliseconds (output in $work/cmd.out).
wall_ms() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >"$work/cmd.out" 2>&1 || fail "$*" "$work/cmd.out"
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) * 1000}'
}

# --- T1: tandem network vs the hand-written reference ------------------------------------------
section "T1 tandem network, ~1,000,000 arrivals: engine vs hand-written reference (alternating)"
tandem=scenarios/validation/tandem.yaml
t1_days=694.44  # the engine's horizon_days and the engine-mode reference's --horizon-days
# run_reference LABEL ARGS...: one tandem_reference run into $work/LABEL.out; sets ref_s,
# ref_events, ref_tis and records them under t1,LABEL.
run_reference() {
  local label="$1"; shift
  "$reference" "$@" >"$work/$label.out" 2>&1 || fail "$reference $*" "$work/$label.out"
  ref_s=$(sed -nE 's/.* sim_seconds=([0-9.]+).*/\1/p' "$work/$label.out")
  ref_events=$(sed -nE 's/.* events=([0-9]+).*/\1/p' "$work/$label.out")
  ref_tis=$(sed -nE 's/.* mean_time_in_system_min=([0-9.]+).*/\1/p' "$work/$label.out")
  for v in "$ref_s" "$ref_events" "$ref_tis"; do
    is_number "$v" || fail "could not parse the output of $reference $* (got '$v')" "$work/$label.out"
  done
  record t1 "$label" "$r" sim_s "$ref_s"
  record t1 "$label" "$r" events "$ref_events"
  record t1 "$label" "$r" time_in_system_min "$ref_tis"
}
# t1_agreement ENGINE_OUTDIR REFERENCE_OUTPUT: compares the engine's figures (its log's event
# count and peak, replications.csv, facilities.csv) with the engine-mode reference's key=value
# pairs as text, i.e. to every printed digit (both print doubles shortest round-trip). Sets
# agree_n (values compared) and agree_bad (values that differ, or that the reference lacks);
# lists the differences in $work/t1_mismatch.
t1_agreement() {
  local out="$1" ref_out="$2" name e v
  agree_n=0 agree_bad=0
  : >"$work/t1_mismatch"
  while read -r name e; do
    v=$(sed -nE "s/.* $name=([^ ]+).*/\1/p" "$ref_out")
    agree_n=$((agree_n + 1))
    if [ "$v" != "$e" ]; then
      agree_bad=$((agree_bad + 1))
      echo "    $name: engine $e, reference ${v:-(missing)}" >>"$work/t1_mismatch"
    fi
  done < <(
    echo "engine_events $events"
    echo "peak_in_system $peak"
    awk -F, '$1 == "0" && ($2 == "episodes" || $2 == "time_in_system_minutes") {print $2, $3}' "$out/replications.csv"
    # Columns found by their header names (facilities.csv gained a `name` column).
    awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
             $1 == "0" && $col["indicator"] ~ /^(visits|wait_minutes_mean|sojourn_minutes_mean|queue_length_mean|utilisation)$/ {
               print $col["facility"] "_" $col["indicator"], $col["value"]}' \
      "$out/facilities.csv"
  )
  [ "$agree_n" -ge 19 ] || fail "only $agree_n engine figures found to compare with the reference (want 19)" "$out/facilities.csv"
}
for r in $(seq "$runs"); do
  run_engine "$work/tandem" "$tandem" --set horizon_days="$t1_days" --set warmup_days=0
  record t1 engine "$r" sim_s "$sim_s"
  record t1 engine "$r" events "$events"
  record t1 engine "$r" wall_s "$wall_s"
  record t1 engine "$r" cpu_s "$cpu_s"
  tis=$(awk -F, '$1 == "0" && $2 == "time_in_system_minutes" {print $3}' "$work/tandem/replications.csv")
  if [ -n "$tis" ]; then record t1 engine "$r" time_in_system_min "$tis"; fi
  run_reference reference --streams engine --horizon-days "$t1_days"
  same_s=$ref_s same_events=$ref_events
  t1_agreement "$work/tandem" "$work/reference.out"
  record t1 agree "$r" values "$agree_n"
  record t1 agree "$r" mismatches "$agree_bad"
  run_reference sequential --streams sequential 1000000
  echo "  run $r: engine $sim_s s simulating ($events events; whole process $wall_s s wall, $cpu_s s CPU)," \
       "reference $(printf '%.3f' "$same_s") s ($same_events events; engine streams)," \
       "engine/reference $(awk -v a="$sim_s" -v b="$same_s" 'BEGIN {printf "%.2f", a / b}')x;" \
       "same results: $([ "$agree_bad" -eq 0 ] && echo "yes ($agree_n of $agree_n values)" || echo "NO ($agree_bad of $agree_n values differ)")"
  echo "         context: sequential-stream reference $(printf '%.3f' "$ref_s") s ($ref_events events)," \
       "engine/sequential $(awk -v a="$sim_s" -v b="$ref_s" 'BEGIN {printf "%.2f", a / b}')x"
  if [ "$agree_bad" -gt 0 ]; then cat "$work/t1_mismatch"; fi
done
wall_ms "$cmasim" validate "$tandem" >/dev/null  # warm the file cache; not recorded
for r in $(seq "$runs"); do
  ms=$(wall_ms "$cmasim" validate "$tandem")
  record t1 load "$r" wall_ms "$ms"
done
echo "  loading (cmasim validate $tandem, whole process): $(sed -n 's/^t1,load,[0-9]*,wall_ms,//p' "$records" | paste -sd ' ') ms"

# --- T2 (and T3 x1): the baseline county, one replication-year -------------------------------
section "T2 baseline county, 1 replication-year, 1 thread (also T3's x1)"
wall_ms "$cmasim" validate scenarios/baseline.yaml >/dev/null  # also warms the file cache
base_pop=$(sed -nE 's/.*: ([0-9]+) residents.*/\1/p' "$work/cmd.out")
is_number "$base_pop" || fail "could not read the baseline's population from cmasim validate" "$work/cmd.out"
for r in $(seq "$runs"); do
  run_engine "$work/base" scenarios/baseline.yaml
  [ "$residents" = "$base_pop" ] || fail "the baseline run simulated $residents residents, not $base_pop" "$work/log"
  v=$(visits_of "$work/base")
  for m in sim_s events wall_s cpu_s rss_kb peak residents; do record t3 x1 "$r" "$m" "${!m}"; done
  record t3 x1 "$r" visits "$v"
  county_figures "$work/base" x1 "$r"
  echo "  run $r: $sim_s s simulating, whole process $wall_s s wall ($cpu_s s CPU), $events events, $v visits," \
       "peak RSS $rss_kb KiB, at most $peak patients at once"
done

# --- T3: scaling with population ---------------------------------------------------------------
section "T3 scaling: baseline at x4 and x16 population, and x1 over two years (memory)"
# scale_args K: the --set overrides for the baseline county K times as large, population and
# named facilities' doctors and beds together (tools/scale_county.sh says why).
scale_args() {
  bash tools/scale_county.sh "$cmasim" scenarios/baseline.yaml "$1" 2>"$work/scale.err" ||
    fail "bash tools/scale_county.sh $cmasim scenarios/baseline.yaml $1" "$work/scale.err"
}
# Every run's log must report the population asked for (so the --set override took effect).
scale_run() {  # scale_run LABEL RUNS RESIDENTS ARGS...: RESIDENTS is what the log must say
  local label="$1" n="$2" want="$3" r v; shift 3
  for r in $(seq "$n"); do
    run_engine "$work/scale" scenarios/baseline.yaml "$@"
    [ "$residents" = "$want" ] || fail "$label: simulated $residents residents, not $want" "$work/log"
    v=$(visits_of "$work/scale")
    for m in sim_s events wall_s cpu_s rss_kb peak residents; do record t3 "$label" "$r" "$m" "${!m}"; done
    record t3 "$label" "$r" visits "$v"
    county_figures "$work/scale" "$label" "$r"
    echo "  $label run $r: $sim_s s simulating (whole process $wall_s s wall, $cpu_s s CPU), $residents residents, $v visits," \
         "peak RSS $rss_kb KiB, at most $peak patients at once; county hospitals $util_county busy, $wait_county min mean wait"
  done
}
scale4=$(scale_args 4)
scale16=$(scale_args 16)
echo "  x4 is run with: $(tr '\n' ' ' <<<"$scale4")"
# shellcheck disable=SC2086  # one --set and its value per word
scale_run x4 "$runs_x4" $((base_pop * 4)) $scale4
if [ "$quick" -eq 0 ]; then
  # shellcheck disable=SC2086
  scale_run x16 1 $((base_pop * 16)) $scale16
  # Context, not judged: the population alone at x4 (county hospitals as at x1, congested).
  scale_run x4_population_only 1 $((base_pop * 4)) --set synthetic_county.population=$((base_pop * 4))
fi
scale_run x1_2years 1 "$base_pop" --set horizon_days=730

# --- T4: the event calendar (Google Benchmark) -----------------------------------------------
section "T4 event calendar, hold model (Google Benchmark)"
"$calendar_bench" --benchmark_min_time=0.3 --benchmark_format=json >"$work/calendar.json" 2>"$work/calendar.err" ||
  fail "$calendar_bench" "$work/calendar.err"

# --- T5: loading and validating the baseline ------------------------------------------------
section "T5 loading and validating the baseline (cmasim validate, whole process)"
for r in $(seq "$runs"); do
  ms=$(wall_ms "$cmasim" validate scenarios/baseline.yaml)
  record t5 load "$r" wall_ms "$ms"
  echo "  run $r: $ms ms"
done

# --- report -------------------------------------------------------------------------------------
python3 - "$records" "$work/calendar.json" "$quick" <<'PY'
"""Summaries per target and the final table, from the records the script collected."""
import csv
import json
import statistics
import sys
from collections import defaultdict

records_path, calendar_path, quick = sys.argv[1], sys.argv[2], sys.argv[3] == "1"

# data[target][label][metric] = [value per run, in run order]
data = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
with open(records_path) as f:
    for row in csv.DictReader(f):
        data[row["target"]][row["label"]][row["metric"]].append(float(row["value"]))

def med(values):
    return statistics.median(values)

def mb(kib):
    return kib * 1024 / 1e6

table = []  # (target, measured, limit, verdict)

def row(target, measured, limit="(reported)", ok=None):
    verdict = "-" if ok is None else ("meets" if ok else "MISSES")
    table.append((target, measured, limit, verdict))

# T1 ------------------------------------------------------------------------------------------
eng, ref, seq = data["t1"]["engine"], data["t1"]["reference"], data["t1"]["sequential"]
agree = data["t1"]["agree"]
ratios = [e / r for e, r in zip(eng["sim_s"], ref["sim_s"])]
seq_ratios = [e / r for e, r in zip(eng["sim_s"], seq["sim_s"])]
eng_s, ref_s, seq_s, ratio, seq_ratio = (med(eng["sim_s"]), med(ref["sim_s"]), med(seq["sim_s"]), med(ratios),
                                         med(seq_ratios))
streams_cost = med([r / q for r, q in zip(ref["sim_s"], seq["sim_s"])])
load_ms = med(data["t1"]["load"]["wall_ms"])
compared, differing = int(min(agree["values"])), int(sum(agree["mismatches"]))
print("\n== T1 summary")
print(f"  engine:                           median {eng_s:.3f} s simulating, {med(eng['events']):.0f} events "
      f"({med(eng['events']) / eng_s / 1e6:.2f} M events/s), whole process {med(eng['wall_s']):.2f} s wall "
      f"({med(eng['cpu_s']):.2f} s CPU)")
print(f"  reference, engine streams:        median {ref_s:.3f} s, {med(ref['events']):.0f} events "
      f"({med(ref['events']) / ref_s / 1e6:.2f} M events/s)")
print(f"  reference, sequential (context):  median {seq_s:.3f} s, {med(seq['events']):.0f} events "
      f"({med(seq['events']) / seq_s / 1e6:.2f} M events/s)")
if eng["time_in_system_min"]:
    print(f"  mean time in system: engine {med(eng['time_in_system_min']):.4f} min, "
          f"reference (engine streams) {med(ref['time_in_system_min']):.4f} min, "
          f"sequential {med(seq['time_in_system_min']):.4f} min, analytic 7.2703 min")
print(f"  reference (engine streams) reproduces the engine's results: "
      + (f"yes, all {compared} values compared agree in every run" if differing == 0 else
         f"NO: {differing} differences in {len(agree['values'])} run(s) (listed under the run lines)"))
print(f"  engine/reference per run: {', '.join(f'{x:.2f}' for x in ratios)}; median {ratio:.2f}x")
print(f"  engine/sequential per run (context): {', '.join(f'{x:.2f}' for x in seq_ratios)}; median {seq_ratio:.2f}x")
print(f"  per-entity streams in the hand-written loop: engine-stream reference / sequential = {streams_cost:.2f}x")
print(f"  loading (cmasim validate tandem.yaml, whole process): median {load_ms:.1f} ms")
row("T1 tandem 1M arrivals, simulation (median)", f"{eng_s:.3f} s", "<= 0.30 s", eng_s <= 0.30)
row("T1 tandem engine / reference (engine streams, same work)",
    f"{ratio:.2f}x (ref {ref_s:.3f} s)" + ("" if differing == 0 else "; but the reference disagrees"), "<= 1.5x",
    ratio <= 1.5)
row("T1 reference reproduces the engine's results",
    f"yes ({compared} values, every run)" if differing == 0 else f"no ({differing} values differ)")
row("T1 tandem engine / sequential-stream reference", f"{seq_ratio:.2f}x (ref {seq_s:.3f} s)", "(context)")
row("T1 tandem loading (validate, whole process)", f"{load_ms:.1f} ms")

# T2 (= T3 x1) -------------------------------------------------------------------------------
t3 = data["t3"]
x1 = t3["x1"]
sim1, wall1, ev1 = med(x1["sim_s"]), med(x1["wall_s"]), med(x1["events"])
rss1 = mb(max(x1["rss_kb"]))
print("\n== T2 summary")
print(f"  simulation median {sim1:.3f} s (runs: {', '.join(f'{x:.3f}' for x in x1['sim_s'])})")
print(f"  whole process median {wall1:.2f} s wall ({med(x1['cpu_s']):.2f} s CPU), of which {wall1 - sim1:.2f} s "
      "outside the simulation (loading, compiling the county, writing outputs)")
print(f"  {ev1:.0f} events, {ev1 / sim1 / 1e6:.2f} M events/s; peak RSS {rss1:.1f} MB (largest of the runs)")
row("T2 baseline 1 replication-year, simulation", f"{sim1:.3f} s", "<= 1.0 s", sim1 <= 1.0)
row("T2 baseline whole process (wall)", f"{wall1:.2f} s")
row("T2 baseline events per second", f"{ev1 / sim1 / 1e6:.2f} M/s")
row("T2 baseline peak memory (RSS)", f"{rss1:.1f} MB", "<= 150 MB", rss1 <= 150)

# T3 ------------------------------------------------------------------------------------------
print("\n== T3 summary (simulation seconds and cost per visit: medians; RSS: largest of the runs)")
print("  (x4 and x16: population and the named facilities' doctors and beds scaled together; "
      "x4_population_only: context, the county hospitals left as at x1)")
print(f"  {'size':<18} {'runs':>4} {'residents':>10} {'visits':>10} {'ev/visit':>8} {'sim s':>8} {'ns/visit':>9} "
      f"{'vs x1':>6} {'peak RSS MB':>12} {'peak patients':>14} {'KB/peak pat.':>13} {'county busy':>11} {'wait min':>8}")
cost1 = sim1 / med(x1["visits"]) * 1e9
for label in ["x1", "x4", "x16", "x1_2years", "x4_population_only"]:
    d = t3.get(label)
    if not d:
        print(f"  {label:<18} skipped (--quick)")
        continue
    sim, visits = med(d["sim_s"]), med(d["visits"])
    cost = sim / visits * 1e9
    rss, peak = mb(max(d["rss_kb"])), med(d["peak"])
    print(f"  {label:<18} {len(d['sim_s']):>4} {med(d['residents']):>10.0f} {visits:>10.0f} "
          f"{med(d['events']) / visits:>8.2f} {sim:>8.3f} "
          f"{cost:>9.1f} {cost / cost1:>6.2f} {rss:>12.1f} {peak:>14.0f} {rss * 1e3 / peak:>13.2f} "
          f"{med(d['util_county']):>11.3f} {med(d['wait_county']):>8.1f}")
for label in ["x4", "x16"]:
    d = t3.get(label)
    if not d:
        row(f"T3 cost per visit {label} / x1", "skipped (--quick)", "within +-20%")
        continue
    r = med(d["sim_s"]) / med(d["visits"]) * 1e9 / cost1
    row(f"T3 cost per visit {label} / x1", f"{r:.2f} ({cost1:.0f} ns/visit at x1)", "within +-20%",
        abs(r - 1) <= 0.20)
if t3.get("x16"):
    d = t3["x16"]
    grow_mem = mb(max(d["rss_kb"])) - rss1
    grow_peak = med(d["peak"]) - med(x1["peak"])
    grow_visits = med(d["visits"]) - med(x1["visits"])
    print(f"  x1 -> x16: +{grow_mem:.1f} MB for +{grow_peak:.0f} simultaneous patients "
          f"({grow_mem * 1e3 / grow_peak:.2f} KB each) and +{grow_visits:.0f} visits "
          f"({grow_mem * 1e6 / grow_visits:.1f} bytes each) and +{med(d['residents']) - med(x1['residents']):.0f} residents "
          f"({grow_mem * 1e6 / (med(d['residents']) - med(x1['residents'])):.1f} bytes each)")
    row("T3 memory per peak patient, x1 / x16",
        f"{rss1 * 1e3 / med(x1['peak']):.2f} / {mb(max(d['rss_kb'])) * 1e3 / med(d['peak']):.2f} KB")
y2 = t3["x1_2years"]
mem_ratio = mb(max(y2["rss_kb"])) / rss1
visit_ratio = med(y2["visits"]) / med(x1["visits"])
print(f"  two years vs one (x1): visits x{visit_ratio:.2f}, peak patients x{med(y2['peak']) / med(x1['peak']):.2f}, "
      f"peak RSS x{mem_ratio:.2f}")
row("T3 memory, 2 years / 1 year (visits x%.1f)" % visit_ratio, f"{mem_ratio:.2f}x RSS",
    "<= 1.10x (proposed)", mem_ratio <= 1.10)

# T4 ------------------------------------------------------------------------------------------
with open(calendar_path) as f:
    benchmarks = json.load(f)["benchmarks"]
# With --benchmark_repetitions there are aggregates: use the medians; else the plain runs.
medians = [b for b in benchmarks if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median"]
runs = medians or [b for b in benchmarks if b.get("run_type", "iteration") == "iteration"]
speed = defaultdict(lambda: defaultdict(list))  # speed[size][base name] = [items/s]
for b in runs:
    name = b.get("run_name") or b["name"]
    parts = name.split("/")
    sizes = [int(p) for p in parts if p.isdigit()]
    if not name.startswith("hold/") or not sizes or "items_per_second" not in b:
        continue
    base = "/".join(p for p in parts if not p.isdigit() and ":" not in p)
    speed[sizes[0]][base].append(b["items_per_second"])
print("\n== T4 summary (M items/s; one item = one pop + one push)")
for size in [10000, 100000, 1000000]:
    variants = {k: med(v) for k, v in speed.get(size, {}).items()}
    engine = {k: v for k, v in variants.items() if k.startswith("hold/EventCalendar")}
    refs = {k: v for k, v in variants.items() if "Reference" in k}
    if len(engine) != 1 or not refs:
        sys.exit(f"bench: FAILED: calendar size {size}: want one 'hold/EventCalendar*' benchmark and at "
                 f"least one '*Reference*', found {sorted(variants)}")
    (engine_name, engine_speed), = engine.items()
    best_name = max(refs, key=refs.get)
    r = refs[best_name] / engine_speed
    print(f"  {size:>8}: " + ", ".join(f"{k.removeprefix('hold/')} {v / 1e6:.2f}" for k, v in variants.items()))
    print(f"  {'':>8}  best reference {best_name.removeprefix('hold/')} / {engine_name.removeprefix('hold/')} = {r:.2f}x")
    row(f"T4 calendar {size:,} pending: best ref / engine", f"{r:.2f}x", "<= 1.3x", r <= 1.3)

# T5 ------------------------------------------------------------------------------------------
t5 = data["t5"]["load"]["wall_ms"]
print(f"\n== T5 summary: median {med(t5):.1f} ms (runs: {', '.join(f'{x:.1f}' for x in t5)})")
row("T5 baseline load + validate (whole process)", f"{med(t5):.1f} ms", "<= 50 ms", med(t5) <= 50)

# Table -------------------------------------------------------------------------------------
print("\n== Targets" + (" (--quick: one run each, not for the record)" if quick else ""))
head = ("target", "measured", "limit", "verdict")
widths = [max(len(str(r[i])) for r in table + [head]) for i in range(4)]
line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
print(line(head))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in table:
    print(line(r))
met = sum(r[3] == "meets" for r in table)
judged = sum(r[3] != "-" for r in table)
print(f"\n{met} of {judged} targets met.")
PY
