#!/usr/bin/env bash
# Runs tools/slurm_sweep.sh on a real one-node Slurm started from Debian's packages (slurm-wlm,
# munge) on this machine, and checks that the job array gives the files of one process.
#
#   bash tools/slurm_integration.sh [CMASIM]      as root; ctest runs it (label `slurm`)
#
# Everything lives in a temporary directory: a munge key and munged on its own socket, a
# slurm.conf with its own ports, state and spool directories, slurmctld and slurmd. Nothing of a
# system Slurm or munge is read or changed. Then, with tests/data/sweeps/slurm.yaml:
#   1. `tools/slurm_sweep.sh SWEEP OUT 3 1` (three array tasks and a merge job); when the queue
#      is empty, OUT/merged/results.csv and summary.csv must equal those of one `cmasim sweep`
#      byte for byte, and manifest.json must equal it except for its timing and invocation;
#   2. the same into a new OUT, but array task 1 is cancelled (scancel) once it has journaled a
#      task: the merge job must be cancelled with it and task 1's shard left unfinished. Running
#      the script again with the same arguments (the resubmission documented in
#      tools/slurm_sweep.sh) must keep the finished shards (0 tasks run again), continue shard 1
#      and give the same files as in 1.
# Exit 0 passed; 1 failed (the message names the step; logs are printed and the directory kept);
# 77 cannot run here (not root, or slurm-wlm/munge missing): ctest reports a skip, unless
# CMASIM_REQUIRE_SLURM=1 (tools/dev.sh test sets it as root), which makes that a failure.
# The daemons and every process of the test cluster are stopped on any exit; every wait is bounded.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cmasim="$(realpath "${1:-${CMASIM:-$root/build/release/src/cmasim}}")"
sweep="$root/tests/data/sweeps/slurm.yaml"
shards=3
tmp=""
conf=""
# The whole test gives up after this many seconds (ctest's TIMEOUT is longer, so the teardown
# still runs when it does).
give_up=$((SECONDS + ${CMASIM_SLURM_TIMEOUT:-600}))

say() { echo "slurm test: $*" >&2; }
fail() {
  say "FAILED: $*"
  show_logs
  exit 1
}

# The prerequisites; exit 77 (skip) when they are missing, unless the caller requires the test.
check_prerequisites() {
  local why="" missing="" c
  if [ "$(id -u)" -ne 0 ]; then why="needs root (slurmd starts jobs as their user)"; fi
  for c in munged mungekey slurmctld slurmd sbatch squeue scancel scontrol sinfo python3; do
    command -v "$c" >/dev/null || missing="$missing $c"
  done
  [ -z "$missing" ] || why="${why:+$why; }not found:$missing (Debian: apt-get install slurm-wlm munge)"
  if [ -n "$why" ]; then
    if [ "${CMASIM_REQUIRE_SLURM:-0}" = 1 ]; then fail "$why"; fi
    say "skipped: $why"
    exit 77
  fi
  [ -x "$cmasim" ] || fail "no cmasim binary at $cmasim (build it, or pass its path)"
}

# Client commands and daemons of the test cluster see its slurm.conf through SLURM_CONF, which
# also marks every process that belongs to the cluster (jobs inherit it) for the teardown.
sl() { SLURM_CONF="$conf" "$@"; }

# Waits up to $1 seconds, and never past the test's own deadline, for the command after it.
wait_for() {
  local deadline=$((SECONDS + $1))
  [ "$deadline" -le "$give_up" ] || deadline=$give_up
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.3
  done
}

# Two TCP ports nobody listens on, for slurmctld and slurmd.
free_ports() {
  python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))'
}

write_slurm_conf() {
  local host="$1" ctld_port="$2" slurmd_port="$3" node
  # The node as slurmd sees it (CPUs, sockets, cores); memory left out, so it is not scheduled.
  node="$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]*//' -e 's/ RealMemory=[0-9]*//')"
  cat >"$conf" <<EOF
ClusterName=cmasimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=600
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_cluster() {
  local host ports
  host="$(hostname -s)"
  ports="$(free_ports)"
  mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/work"
  chmod 755 "$tmp" "$tmp/munge"   # munged wants its socket directory reachable by everyone
  mungekey --create --keyfile="$tmp/munge/key" >/dev/null
  SLURM_CONF="$conf" munged -F --socket="$tmp/munge/socket" --key-file="$tmp/munge/key" \
    --pid-file="$tmp/munge/pid" --log-file="$tmp/munge/log" --seed-file="$tmp/munge/seed" \
    >"$tmp/munged.out" 2>&1 &
  wait_for 20 test -S "$tmp/munge/socket" || fail "munged did not start"
  write_slurm_conf "$host" ${ports}
  SLURM_CONF="$conf" slurmctld -D -i -f "$conf" >"$tmp/slurmctld.out" 2>&1 &
  SLURM_CONF="$conf" slurmd -D -f "$conf" -N "$host" >"$tmp/slurmd.out" 2>&1 &
  wait_for 90 node_idle "$host" || fail "node $host did not become idle within 90 s"
  say "one-node cluster up: $(sl sinfo -h -o '%P %D node(s) %c CPUs %t')"
}

node_idle() { [ "$(sl sinfo -h -n "$1" -o %t)" = idle ]; }
queue_empty() { [ -z "$(sl squeue -h -o %i)" ]; }

# Every process of the test cluster: its daemons, job steps and jobs carry SLURM_CONF=$conf.
cluster_pids() {
  local p
  for p in /proc/[0-9]*; do
    if grep -qzxF "SLURM_CONF=$conf" "$p/environ" 2>/dev/null; then echo "${p#/proc/}"; fi
  done
}

# Cancels the jobs, stops the daemons (TERM, then KILL after 15 s) and checks nothing is left.
stop_cluster() {
  local jobs pids
  jobs="$(sl squeue -h -o %i 2>/dev/null || true)"
  if [ -n "$jobs" ]; then
    sl scancel $jobs 2>/dev/null || true
    wait_for 15 queue_empty || true
  fi
  pids="$(cluster_pids)"
  [ -z "$pids" ] && return 0
  kill -TERM $pids 2>/dev/null || true
  if ! wait_for 15 test -z "$(cluster_pids)"; then
    kill -KILL $(cluster_pids) 2>/dev/null || true
    wait_for 5 test -z "$(cluster_pids)" || say "processes left behind: $(cluster_pids)"
  fi
}

show_logs() {
  [ -n "$tmp" ] && [ -d "$tmp" ] || return 0
  local f
  for f in "$tmp"/*.out "$tmp"/*.log "$tmp"/work/*.out "$tmp"/out-*/slurm-*.out; do
    [ -f "$f" ] || continue
    echo "----- ${f#"$tmp"/} (last lines)" >&2
    tail -n 15 "$f" >&2
  done
}

cleanup() {
  local status=$?
  [ -n "$conf" ] && stop_cluster
  if [ -n "$tmp" ] && [ "$status" -eq 0 ] && [ "${CMASIM_SLURM_KEEP:-0}" != 1 ]; then
    rm -rf "$tmp"
  elif [ -n "$tmp" ]; then
    say "kept $tmp"
  fi
}

# Submits the sweep into $1 with tools/slurm_sweep.sh, from a scratch working directory; sets
# `array` and `merge` to the job ids it printed.
submit() {
  local said
  said="$(cd "$tmp/work" && SLURM_CONF="$conf" CMASIM="$cmasim" \
    bash "$root/tools/slurm_sweep.sh" "$sweep" "$1" "$shards" 1 2>&1)" ||
    fail "tools/slurm_sweep.sh did not submit: $said"
  array="$(sed -n 's/^submitted shards as job array \([0-9]*\) .*/\1/p' <<<"$said")"
  merge="$(sed -n 's/.* and the merge as job \([0-9]*\)$/\1/p' <<<"$said")"
  [ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in what tools/slurm_sweep.sh said: $said"
  say "submitted array $array ($shards tasks) and merge job $merge into ${1#"$tmp"/}"
}

# expect_state JOB STATE: fails unless Slurm reports JOB (a job or one array task) in STATE.
expect_state() {
  local got
  got="$(sl scontrol -o show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)"
  [ "$got" = "$2" ] || fail "job $1 is ${got:-unknown to slurmctld}, expected $2"
}

# Whether no job of the comma-separated list $1 is pending, running or completing.
none_queued() { [ -z "$(sl squeue -h -o %i -j"$1")" ]; }

# Waits until no job of the list $1 is pending, running or completing.
wait_jobs() {
  wait_for 600 none_queued "$1" ||
    fail "jobs still queued at the deadline: $(sl squeue -h -o '%i %T %r')"
}

# Waits for the array and the merge, then expects every array task and the merge done.
wait_round() {
  local i
  wait_jobs "$array,$merge"
  for ((i = 0; i < shards; i++)); do expect_state "${array}_$i" COMPLETED; done
  expect_state "$merge" COMPLETED
}

# The merged files against those of one process: CSVs byte for byte, the manifest but its timing
# and invocation (the command line that made it).
same_as_single() {
  local f
  for f in results.csv summary.csv; do
    cmp "$tmp/single/$f" "$1/$f" || fail "$1/$f differs from the single-process run"
  done
  python3 - "$tmp/single/manifest.json" "$1/manifest.json" <<'EOF' ||
import json, sys
a, b = (json.load(open(path)) for path in sys.argv[1:])
for m in (a, b):  # how and when each was made differs by design (merge vs sweep command line)
    m.pop("timing", None)
    m.pop("invocation", None)
sys.exit(a != b)
EOF
    fail "$1/manifest.json differs from the single-process run (beyond timing)"
  say "${1#"$tmp"/}: results.csv and summary.csv byte-identical to one process, manifest equal"
}

# "TASKS RAN" of array task $1 of the sweep into $2: its shard's tasks and how many it computed,
# from the last summary line cmasim wrote to the task's log.
shard_counts() {
  sed -n 's/.* \([0-9]*\) tasks in shard [0-9/]* (\([0-9]*\) run now) in .*/\1 \2/p' \
    "$2/slurm-cmasim-sweep-${array}_$1.out" | tail -n 1
}

journaled() { [ -n "$(find "$1/.journal" -name '*.log' -size +0c 2>/dev/null)" ]; }

round_whole() {
  local out="$tmp/out-whole"
  submit "$out"
  wait_round
  same_as_single "$out/merged"
}

# Cancels array task 1 once it has journaled a task; the merge job must go with it.
cancel_one_task() {
  wait_for 300 journaled "$1/shard-1" || fail "array task 1 journaled no task in time"
  sl scancel "${array}_1" || fail "scancel ${array}_1 failed"
  wait_jobs "$array"
  expect_state "${array}_1" CANCELLED
  # Without --kill-on-invalid-dep the merge would stay pending for ever (DependencyNeverSatisfied).
  wait_for 60 none_queued "$merge" || fail "merge job $merge is still queued after a failed shard"
  expect_state "$merge" CANCELLED
  [ ! -e "$1/shard-1/results.csv" ] || fail "shard 1 wrote its files although its task was cancelled"
  say "cancelled task ${array}_1 mid-shard; merge job $merge was cancelled with it"
}

round_cancelled() {
  local out="$tmp/out-cancel" i tasks ran
  submit "$out"
  cancel_one_task "$out"
  submit "$out" # the resubmission: the same arguments again
  wait_round
  for i in 0 2; do
    read -r tasks ran <<<"$(shard_counts "$i" "$out")"
    [ "${ran:-}" = 0 ] || fail "resubmitted task $i ran ${ran:-?} of its ${tasks:-?} tasks again"
  done
  read -r tasks ran <<<"$(shard_counts 1 "$out")"
  [ -n "${ran:-}" ] && [ "$ran" -gt 0 ] && [ "$ran" -lt "$tasks" ] ||
    fail "resubmitted task 1 ran ${ran:-?} of ${tasks:-?} tasks: not a continuation"
  say "resubmitted: shards 0 and 2 kept (0 tasks run), shard 1 ran the $ran of $tasks it lacked"
  same_as_single "$out/merged"
}

check_prerequisites
tmp="$(mktemp -d /tmp/cmasim-slurm.XXXXXX)"
conf="$tmp/slurm.conf"
trap cleanup EXIT
trap 'exit 1' INT TERM
say "single-process reference: cmasim sweep ${sweep#"$root"/}"
"$cmasim" sweep "$sweep" --out "$tmp/single" -q || fail "the single-process sweep failed"
start_cluster
round_whole
round_cancelled
say "passed in $SECONDS s"
