// A sweep's output directory: DIR/.journal/ holds the run header (run.json: which sweep file,
// basis, shard, first start), a copy of the sweep file (sweep.yaml), a lock, and one journal per
// worker and session. The final files are always rebuilt from every journal in it.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmasim/sweep/journal.h"
#include "cmasim/sweep/outputs.h"
#include "cmasim/sweep/plan.h"

namespace cmasim::sweep {

/// A problem the user can fix (a non-empty directory, a resume of another sweep file, shards
/// that do not fit): the CLI prints it and exits with 2.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// "i/N" with 0 <= i < N; throws InputError.
Shard parse_shard(const std::string& text);

/// The stored identity of a run (DIR/.journal/run.json).
struct RunHeader {
    std::string sweep_file;
    std::string sweep_sha256;
    PlanBasis basis;
    std::size_t points = 0;
    Shard shard;
    std::string started_at;
};

class SweepDirectory {
  public:
    /// Prepares `dir` to run `plan` (or the shard of it). Without `resume`, `dir` must be absent
    /// or empty; with it, a directory of the same sweep file, base scenario and shard continues,
    /// anything else is refused. Takes an exclusive lock on the directory for this process.
    /// Throws InputError.
    SweepDirectory(const SweepPlan& plan, std::filesystem::path dir, bool resume, Shard shard);
    SweepDirectory(const SweepDirectory&) = delete;
    SweepDirectory& operator=(const SweepDirectory&) = delete;
    ~SweepDirectory();

    /// Tasks of the shard that no journal holds yet, in task order.
    const std::vector<std::uint64_t>& todo() const { return todo_; }
    /// Tasks of the shard in total.
    std::uint64_t shard_tasks() const { return shard_tasks_; }
    /// A new journal of this session for one worker (name: a short tag such as "t0").
    std::unique_ptr<JournalWriter> open_journal(const std::string& worker) const;
    /// Reads every journal, checks the shard is complete, writes the output files (the CSV files
    /// starting with a UTF-8 byte order mark with `csv_bom`).
    void finish(const SweepPlan& plan, const report::Provenance& provenance,
                bool csv_bom = false) const;

  private:
    std::filesystem::path dir_;
    RunHeader header_;
    int session_ = 0;
    int lock_fd_ = -1;
    std::vector<std::uint64_t> todo_;
    std::uint64_t shard_tasks_ = 0;
};

/// All task records of one directory's journals, deduplicated (identical repeats are dropped; two
/// different records of one task are an error), sorted by (point, replication).
std::vector<TaskRecord> read_records(const std::filesystem::path& dir);

/// Reads DIR/.journal/run.json; throws InputError when `dir` holds no sweep.
RunHeader read_header(const std::filesystem::path& dir);

/// `cmasim merge`: checks that `inputs` are runs (shards) of one sweep file and base, that
/// together they hold every task exactly once, and writes the final files into `out` (absent,
/// empty, or a previous merge of the same sweep). Throws InputError.
void merge_directories(const std::vector<std::filesystem::path>& inputs,
                       const std::filesystem::path& out, const report::Provenance& provenance,
                       bool csv_bom = false);

}  // namespace cmasim::sweep
