// Running a whole sweep: in one process on a thread pool, or across processes that exchange
// messages (MPI ranks, through the Messenger the command line implements). Either way the files
// in the output directory are the same.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "cmasim/sweep/outputs.h"

namespace cmasim::sweep {

struct SweepRunOptions {
    std::filesystem::path sweep_file;
    std::filesystem::path out;
    int threads = 1;                ///< worker threads (per process)
    bool resume = false;            ///< continue the run in `out`
    Shard shard;                    ///< run only this slice of the tasks
    bool progress = true;           ///< progress on stderr
    double progress_interval = 30;  ///< seconds between progress lines when not on a terminal
    report::Provenance provenance;  ///< for the manifest
    bool csv_bom = false;           ///< results.csv and summary.csv start with a UTF-8 BOM
};

/// What a finished run did (for the command line's closing line).
struct SweepRunReport {
    std::uint64_t points = 0;
    std::uint64_t tasks = 0;  ///< of the shard
    std::uint64_t ran = 0;    ///< in this session (the rest came from journals)
    double seconds = 0;       ///< this session's wall time
};

/// Runs the sweep (or the shard) in this process and writes the files into options.out.
/// Throws scenario::ScenarioError (bad sweep file or point), InputError (directory problems),
/// std::exception (a failure during the run; finished tasks stay journaled for --resume).
SweepRunReport run_sweep(const SweepRunOptions& options);

/// Runs `plan` (built in memory, e.g. one wave of a calibration) in options.out the same way:
/// the tasks no journal holds yet, on options.threads threads, then the files. options.sweep_file
/// is not read. Throws like run_sweep.
SweepRunReport run_plan(const SweepPlan& plan, const SweepRunOptions& options);

/// Point-to-point messages between the processes of a distributed run. The sweep code calls it
/// from one thread at a time only.
class Messenger {
  public:
    struct Message {
        int source = 0;
        int tag = 0;
        std::string body;
    };
    virtual ~Messenger() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    virtual void send(int destination, int tag, const std::string& body) = 0;
    /// A waiting message from any rank, if there is one (does not block).
    virtual std::optional<Message> poll() = 0;
    /// Blocks until a message with `tag` arrives from `source`.
    virtual std::string receive(int source, int tag) = 0;
};

/// Raised on the other ranks when rank 0 could not start the sweep (rank 0 reports why).
struct PeerStopped : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Runs the sweep across every rank of `messenger`: rank 0 prepares the directory, hands tasks
/// out one at a time to whichever worker asks (its own threads included), journals the records
/// the other ranks send back, and writes the files; every rank runs options.threads workers.
/// Only rank 0 touches the output directory. Returns rank 0's report (zeros on other ranks).
/// A failure during the run is thrown on the rank where it happened and leaves the others
/// waiting: the caller must abort the whole job (MPI_Abort); journaled tasks survive for --resume.
SweepRunReport run_sweep_distributed(const SweepRunOptions& options, Messenger& messenger);

}  // namespace cmasim::sweep
