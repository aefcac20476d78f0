// cmasim sweep SWEEP.yaml --out DIR: every (point, replication) of a sweep file on a thread pool,
// each finished task journaled durably, the tidy files written at the end; --resume continues a
// killed run, --shard i/N runs a slice for `cmasim merge`, and under mpirun (when built with
// MPI) rank 0 hands tasks out to every rank.
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cmasim/model/runner.h"
#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/driver.h"
#include "cmasim/sweep/plan.h"
#include "cmasim/sweep/spec.h"
#include "cmasim/util/parallel.h"
#include "commands.h"

#ifdef CMASIM_HAVE_MPI
#include <mpi.h>
#endif

namespace cmasim::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kExitRunFailure = 1;
constexpr int kExitBadInput = 2;

struct SweepArgs {
    std::string file;
    std::string out;
    int threads = 0;
    bool resume = false;
    std::string shard;
    bool quiet = false;
    double progress_interval = 30;
    bool list_points = false;
    bool csv_bom = false;
};

/// --list-points: check the sweep file and every point, print the points as CSV, run nothing.
int list_points(const SweepArgs& a) {
    const sweep::SweepPlan plan = sweep::make_plan(sweep::load_sweep_file(a.file));
    std::cout << "point";
    for (const auto& p : plan.spec.parameters) std::cout << "," << p.column;
    std::cout << ",seed\n";
    for (std::size_t i = 0; i < plan.points.size(); ++i) {
        std::cout << i;
        for (const auto& v : plan.points[i].values) std::cout << "," << v;
        std::cout << "," << plan.points[i].seed << "\n";
    }
    std::cerr << plan.points.size() << " points x " << plan.basis.replications
              << " replications = " << plan.task_count() << " tasks\n";
    return 0;
}

sweep::SweepRunOptions run_options(const SweepArgs& a) {
    sweep::SweepRunOptions o;
    o.sweep_file = a.file;
    o.out = a.out;
    o.threads = util::worker_threads(a.threads);
    o.resume = a.resume;
    if (!a.shard.empty()) o.shard = sweep::parse_shard(a.shard);
    o.progress = !a.quiet;
    o.progress_interval = a.progress_interval;
    o.provenance = provenance(o.threads);
    o.csv_bom = a.csv_bom;
    return o;
}

void print_report(const sweep::SweepRunReport& r, const SweepArgs& a) {
    if (a.quiet) return;
    std::cerr << "sweep: " << r.points << " points, " << r.tasks << " tasks"
              << (a.shard.empty() ? "" : " in shard " + a.shard) << " (" << r.ran << " run now) in "
              << static_cast<long long>(r.seconds + 0.5) << " s; wrote "
              << (fs::path(a.out) / "results.csv").string() << ", summary.csv, manifest.json\n";
}

/// Under mpirun, srun or another MPI launcher? (Only then is MPI initialised.)
bool launched_by_mpi() {
    for (const char* v :
         {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK", "MPI_LOCALNRANKS"}) {
        if (std::getenv(v) != nullptr) return true;
    }
    return false;
}

#ifdef CMASIM_HAVE_MPI
// OpenMPI's handle macros expand to C casts.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
class MpiMessenger : public sweep::Messenger {
  public:
    MpiMessenger() {
        int provided = 0;
        // Worker threads of a rank take turns at the messenger (serialised by the sweep code).
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
        if (provided < MPI_THREAD_SERIALIZED) {
            MPI_Finalize();
            throw std::runtime_error("this MPI library does not support MPI_THREAD_SERIALIZED");
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    MpiMessenger(const MpiMessenger&) = delete;
    MpiMessenger& operator=(const MpiMessenger&) = delete;
    ~MpiMessenger() override { MPI_Finalize(); }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    void send(int destination, int tag, const std::string& body) override {
        MPI_Send(body.data(), static_cast<int>(body.size()), MPI_CHAR, destination, tag,
                 MPI_COMM_WORLD);
    }
    std::optional<Message> poll() override {
        int flag = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
        if (!flag) return std::nullopt;
        return Message{status.MPI_SOURCE, status.MPI_TAG, take(status)};
    }
    std::string receive(int source, int tag) override {
        MPI_Status status;
        MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
        return take(status);
    }
    [[noreturn]] void abort(int code) {
        MPI_Abort(MPI_COMM_WORLD, code);
        std::_Exit(code);
    }

  private:
    static std::string take(const MPI_Status& probed) {
        MPI_Status status = probed;
        int count = 0;
        MPI_Get_count(&status, MPI_CHAR, &count);
        std::string body(static_cast<std::size_t>(count), '\0');
        MPI_Recv(body.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        return body;
    }
    int rank_ = 0;
    int size_ = 1;
};
#pragma GCC diagnostic pop

/// The sweep across MPI ranks. Bad input ends every rank with 2 (rank 0 prints why); a failure
/// during the run aborts the job, since the other ranks would otherwise wait forever.
int run_sweep_mpi(const SweepArgs& a) {
    MpiMessenger mpi;
    const bool lead = mpi.rank() == 0;
    try {
        const auto report = sweep::run_sweep_distributed(run_options(a), mpi);
        if (lead) print_report(report, a);
        return 0;
    } catch (const sweep::PeerStopped&) {
        return kExitBadInput;
    } catch (const scenario::ScenarioError& e) {
        if (lead) std::cerr << e.what() << "\n";
        return kExitBadInput;
    } catch (const sweep::InputError& e) {
        if (lead) std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "error during the run (rank " << mpi.rank() << "): " << e.what() << "\n";
        mpi.abort(kExitRunFailure);
    }
}
#endif

int run_sweep(const SweepArgs& a) {
    if (a.list_points) return list_points(a);
    if (a.out.empty()) {
        std::cerr << "error: sweep needs --out DIR\n";
        return kExitBadInput;
    }
#ifdef CMASIM_HAVE_MPI
    if (launched_by_mpi()) return run_sweep_mpi(a);
#else
    if (launched_by_mpi())
        spdlog::warn("this cmasim was built without MPI: every rank runs the whole sweep alone");
#endif
    try {
        print_report(sweep::run_sweep(run_options(a)), a);
        return 0;
    } catch (const sweep::InputError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    }
}

}  // namespace

Command add_sweep(CLI::App& parent) {
    auto args = std::make_shared<SweepArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "sweep", "Run a parameter sweep (grid or sampled design) with durable, resumable output");
    c.app->add_option("sweep_file", args->file, "Sweep YAML file (see docs/sweeps.md)")->required();
    c.app->add_option("--out,-o", args->out,
                      "Output directory (new or empty; with --resume, the run to continue)");
    c.app->add_flag("--list-points", args->list_points,
                    "Check the sweep file and print its points as CSV; run nothing");
    c.app
        ->add_option("--threads,-t", args->threads,
                     "Worker threads per process (default: all cores)")
        ->check(CLI::Range(1, 1024));
    c.app->add_flag("--resume", args->resume,
                    "Continue the run in --out, skipping tasks already journaled");
    c.app->add_option("--shard", args->shard,
                      "Run only tasks with task % N == i (i/N), for cmasim merge");
    c.app->add_flag("--quiet,-q", args->quiet, "No progress output");
    c.app->add_flag("--csv-bom", args->csv_bom,
                    "Start results.csv and summary.csv with a UTF-8 byte order mark (for Excel; "
                    "docs/report.md)");
    c.app
        ->add_option("--progress-interval", args->progress_interval,
                     "Seconds between progress lines when stderr is not a terminal")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();
    c.run = [args] { return run_sweep(*args); };
    return c;
}

Command add_merge(CLI::App& parent) {
    auto inputs = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<std::string>();
    auto csv_bom = std::make_shared<bool>(false);
    Command c;
    c.app = parent.add_subcommand(
        "merge", "Combine the shard directories of one sweep into the final files");
    c.app
        ->add_option("directories", *inputs,
                     "Output directories of `cmasim sweep --shard i/N` runs")
        ->required()
        ->expected(1, -1);
    c.app->add_option("--out,-o", *out, "Directory for the merged files (new or empty)")
        ->required();
    c.app->add_flag("--csv-bom", *csv_bom,
                    "Start results.csv and summary.csv with a UTF-8 byte order mark (for Excel; "
                    "docs/report.md)");
    c.run = [inputs, out, csv_bom] {
        try {
            std::vector<fs::path> dirs(inputs->begin(), inputs->end());
            sweep::merge_directories(dirs, *out, provenance(0), *csv_bom);
            std::cerr << "merge: wrote " << (fs::path(*out) / "results.csv").string()
                      << ", summary.csv, manifest.json\n";
            return 0;
        } catch (const sweep::InputError& e) {
            std::cerr << "error: " << e.what() << "\n";
            return kExitBadInput;
        }
    };
    return c;
}

}  // namespace cmasim::cli
