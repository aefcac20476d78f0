#!/usr/bin/env bash
# Run a cmasim sweep as a Slurm job array: one shard per array task, then one merge job.
#
#   bash tools/slurm_sweep.sh SWEEP.yaml OUT_DIR [SHARDS=8] [CPUS_PER_SHARD=4]
#
# submits (from the repository root, with build/release/src/cmasim built on a shared file system)
#   - an array job of SHARDS tasks: task i runs `cmasim sweep SWEEP --shard i/SHARDS
#     --out OUT_DIR/shard-i --resume --threads CPUS_PER_SHARD`. --resume makes a requeued or
#     re-submitted task continue from its journal instead of starting again;
#   - a merge job that starts when every shard succeeded: `cmasim merge OUT_DIR/shard-*
#     --out OUT_DIR/merged`, whose files equal those of one uninterrupted run.
# If a shard fails (or is cancelled, or hits its time limit), the merge job is cancelled with it;
# when no task of the array is left in the queue, fix the cause and run this script again with
# the same arguments: the finished shards are kept (their tasks do not run again) and the others
# continue from their journals (tools/slurm_integration.sh does this on a real one-node Slurm).
# The jobs' logs are OUT_DIR/slurm-*.out. Site-specific options (partition, account, time limit)
# go in SBATCH_* variables or in the #SBATCH lines below, e.g. SBATCH_PARTITION=compute
# SBATCH_TIMELIMIT=04:00:00.
#SBATCH --job-name=cmasim-sweep
#SBATCH --requeue
set -euo pipefail

# Exported, so the array tasks find the binary in the environment they are given (--export=ALL
# below; `--export=ALL,CMASIM=...` would do the same, but Debian 12's Slurm 22.05 then started
# each task about 5 s after allocating it, against at once).
export CMASIM="${CMASIM:-build/release/src/cmasim}"

if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Inside one array task: run this task's shard.
  sweep="$1" out="$2" shards="$3"
  threads="${SLURM_CPUS_PER_TASK:-1}"
  exec "$CMASIM" sweep "$sweep" --shard "${SLURM_ARRAY_TASK_ID}/${shards}" \
    --out "${out}/shard-${SLURM_ARRAY_TASK_ID}" --resume --threads "$threads" --progress-interval 60
fi

if [ $# -lt 2 ]; then
  echo "usage: bash tools/slurm_sweep.sh SWEEP.yaml OUT_DIR [SHARDS=8] [CPUS_PER_SHARD=4]" >&2
  exit 2
fi
sweep="$1" out="$2" shards="${3:-8}" cpus="${4:-4}"
command -v sbatch >/dev/null || { echo "sbatch not found: run this on a Slurm login node" >&2; exit 2; }
[ -x "$CMASIM" ] || { echo "no cmasim binary at $CMASIM (set CMASIM=...)" >&2; exit 2; }
"$CMASIM" sweep "$sweep" --list-points >/dev/null   # bad sweep files fail here, not in the queue
mkdir -p "$out"

# The jobs' logs go into OUT_DIR, next to the shards they describe.
array=$(sbatch --parsable --array="0-$((shards - 1))" --cpus-per-task="$cpus" \
  --output="$out/slurm-%x-%A_%a.out" --export=ALL "$0" "$sweep" "$out" "$shards")
array="${array%%;*}"
# --kill-on-invalid-dep: when a shard fails or is cancelled, the merge job is cancelled too instead
# of staying pending (DependencyNeverSatisfied) beside the merge of the resubmission.
merge=$(sbatch --parsable --job-name=cmasim-merge --dependency="afterok:${array}" \
  --kill-on-invalid-dep=yes --output="$out/slurm-%x-%j.out" \
  --wrap="\"$CMASIM\" merge \"$out\"/shard-* --out \"$out/merged\"")
echo "submitted shards as job array ${array} (${shards} tasks, ${cpus} CPUs each) and the merge as job ${merge}"
echo "results: ${out}/merged/{results.csv,summary.csv,manifest.json}; logs: ${out}/slurm-*.out"
