// Sweeps: the sweep file, the designs, the journal, and the end-to-end guarantees of
// `cmasim sweep` — the same bytes whatever the threads, MPI ranks or shards, and after a SIGKILL
// plus --resume. Exact, deterministic tests (kind 1); nothing here is timed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/design.h"
#include "cmasim/sweep/driver.h"
#include "cmasim/sweep/hash.h"
#include "cmasim/sweep/journal.h"
#include "cmasim/sweep/plan.h"
#include "cmasim/sweep/spec.h"

namespace cmasim::sweep {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(CMASIM_SOURCE_DIR) / "tests/data/sweeps";

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The diagnostics of a sweep text that must fail to load.
std::vector<scenario::Diagnostic> errors_of(const std::string& text) {
    try {
        load_sweep_string(text, (kData / "inline.yaml").string());
    } catch (const scenario::ScenarioError& e) {
        return e.diagnostics();
    }
    ADD_FAILURE() << "loaded without error:\n" << text;
    return {};
}

// --- the sweep file --------------------------------------------------------------------------

TEST(SweepSpec, GridPointsAreRowMajorWithCanonicalValues) {
    const SweepPlan plan = make_plan(load_sweep_file(kData / "grid.yaml"));
    ASSERT_EQ(plan.points.size(), 6u);
    EXPECT_EQ(plan.basis.replications, 3);
    EXPECT_EQ(plan.task_count(), 18u);
    EXPECT_EQ(plan.spec.parameters[0].column, "township_ratio");
    EXPECT_EQ(plan.spec.parameters[1].column, "insurance.inpatient_deductible.county");
    EXPECT_EQ(plan.points[0].values, (std::vector<std::string>{"0.5", "300"}));
    EXPECT_EQ(plan.points[1].values, (std::vector<std::string>{"0.5", "600"}));
    EXPECT_EQ(plan.points[5].values, (std::vector<std::string>{"0.9", "600"}));
    EXPECT_EQ(plan.points[1].overrides,
              (std::vector<std::string>{"horizon_days=30", "warmup_days=0",
                                        "insurance.outpatient_ratio.township=0.5",
                                        "insurance.inpatient_deductible.county=600"}));
    // Common random numbers by default: every point runs with the base scenario's seed.
    for (const auto& p : plan.points) EXPECT_EQ(p.seed, 20261122u);
    EXPECT_EQ(
        load_point(plan, 4)
            .insurance.inpatient_deductible[static_cast<std::size_t>(scenario::Level::County)],
        30000);  // fen
}

TEST(SweepSpec, RangeValuesAreCleanDecimals) {
    const SweepSpec s = load_sweep_string(
        "base: ../../../scenarios/tiny.yaml\n"
        "parameters:\n  - {path: insurance.outpatient_ratio.township, range: {from: 0.5, to: 0.9, "
        "step: 0.1}}\n",
        (kData / "inline.yaml").string());
    EXPECT_EQ(s.parameters[0].values,
              (std::vector<std::string>{"0.5", "0.6", "0.7", "0.8", "0.9"}));
}

TEST(SweepSpec, IndependentPointsGetDistinctSeeds) {
    SweepSpec s = load_sweep_file(kData / "grid.yaml");
    s.common_random_numbers = false;
    const SweepPlan plan = make_plan(std::move(s), PlanBasis{100, 2, "x"});
    EXPECT_EQ(plan.points[0].seed, 100u);
    EXPECT_EQ(plan.points[3].seed, 100u + 3 * kPointSeedStride);
}

TEST(SweepSpec, LatinHypercubeSweepSamplesInsideTheBounds) {
    const SweepPlan plan = make_plan(load_sweep_file(kData / "lhs.yaml"));
    ASSERT_EQ(plan.points.size(), 5u);
    EXPECT_EQ(plan.basis.seed, 99u);
    std::set<std::string> doctors;
    for (const auto& p : plan.points) {
        const double b_time = std::stod(p.values[0]);
        EXPECT_GE(b_time, -0.06);
        EXPECT_LE(b_time, -0.01);
        doctors.insert(p.values[2]);
        EXPECT_EQ(p.values[2].find('.'), std::string::npos) << "integer: true gives whole numbers";
    }
    EXPECT_GE(doctors.size(), 3u);
}

TEST(SweepSpec, ErrorsNameLineAndKeyWithHints) {
    const auto d = errors_of(
        "base: ../../../scenarios/tiny.yaml\n"
        "replicatons: 3\n"
        "indicators: [grasroots_rate]\n"
        "parameters:\n"
        "  - {path: choice.b_time, between: [-0.05, -0.01]}\n"
        "  - {path: choice.b_cost, values: [1, 1]}\n");
    ASSERT_EQ(d.size(), 4u);
    EXPECT_EQ(d[0].line, 2);
    EXPECT_EQ(d[0].key_path, "replicatons");
    EXPECT_EQ(d[0].hint, "did you mean 'replications'?");
    EXPECT_EQ(d[1].line, 3);
    EXPECT_EQ(d[1].hint, "did you mean 'grassroots_rate'?");
    EXPECT_EQ(d[2].key_path, "parameters[1].values");
    EXPECT_EQ(d[3].key_path, "design");  // between: needs a design
}

TEST(SweepSpec, BadPointValueIsReportedWithThePoint) {
    try {
        make_plan(load_sweep_string(
            "base: ../../../scenarios/tiny.yaml\n"
            "parameters:\n  - {path: insurance.outpatient_ratio.township, values: [0.5, 1.5]}\n",
            (kData / "inline.yaml").string()));
        FAIL() << "a ratio of 1.5 loaded";
    } catch (const scenario::ScenarioError& e) {
        ASSERT_FALSE(e.diagnostics().empty());
        EXPECT_NE(e.diagnostics()[0].message.find(
                      "sweep point 1 (insurance.outpatient_ratio.township=1.5)"),
                  std::string::npos)
            << e.what();
    }
}

// --- designs and hashes ----------------------------------------------------------------------

TEST(SweepDesign, LatinHypercubeHitsEveryStratumOnce) {
    const int n = 17;
    const auto pts = latin_hypercube(n, 4, 5);
    for (int d = 0; d < 4; ++d) {
        std::set<int> strata;
        for (const auto& p : pts)
            strata.insert(static_cast<int>(p[static_cast<std::size_t>(d)] * n));
        EXPECT_EQ(strata.size(), static_cast<std::size_t>(n)) << "dimension " << d;
    }
    EXPECT_EQ(latin_hypercube(n, 4, 5), pts);
    EXPECT_NE(latin_hypercube(n, 4, 6), pts);
}

TEST(SweepDesign, SobolMatchesTheKnownSequenceAndStratifies) {
    const auto pts = sobol_points(8, 2, 0);
    const std::vector<std::vector<double>> expected = {
        {0, 0},         {0.5, 0.5},     {0.75, 0.25},   {0.25, 0.75},
        {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}};
    EXPECT_EQ(pts, expected);
    // 2^6 points of every dimension, digitally shifted: each of 64 strata exactly once.
    const int n = 64;
    const auto shifted = sobol_points(n, sobol_max_dimensions(), 42);
    for (int d = 0; d < sobol_max_dimensions(); ++d) {
        std::set<int> strata;
        for (const auto& p : shifted)
            strata.insert(static_cast<int>(p[static_cast<std::size_t>(d)] * n));
        EXPECT_EQ(strata.size(), static_cast<std::size_t>(n)) << "dimension " << d;
    }
}

TEST(SweepHash, Sha256TestVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// --- the journal -----------------------------------------------------------------------------

TaskRecord sample_record(std::uint64_t point) {
    return TaskRecord{
        point, 3, {{"grassroots_rate", 0.5}, {"wait", std::nan("")}, {"visits", 1e300}}};
}

TEST(SweepJournal, RecordsRoundTripBitForBit) {
    const TaskRecord r = sample_record(7);
    EXPECT_TRUE(identical(decode_record(encode_record(r)), r));
}

TEST(SweepJournal, ATornOrCorruptTailIsIgnored) {
    const std::string a = encode_record(sample_record(1)), b = encode_record(sample_record(2));
    const std::string both = a + b;
    for (std::size_t cut = a.size(); cut < both.size(); ++cut) {
        const auto j = decode_journal(std::string_view(both).substr(0, cut));
        ASSERT_EQ(j.records.size(), 1u) << "cut at " << cut;
        EXPECT_EQ(j.ignored_bytes, cut - a.size());
    }
    std::string flipped = both;
    flipped[a.size() + 30] ^= 1;
    EXPECT_EQ(decode_journal(flipped).records.size(), 1u);
    EXPECT_EQ(decode_journal(both).records.size(), 2u);
}

// --- the command: identical files whatever the split -------------------------------------------

const fs::path kWork =
    fs::temp_directory_path() / ("cmasim_sweep_test_" + std::to_string(::getpid()));

/// Removes the scratch directory when every test passed (kept for a look otherwise).
struct ScratchCleanup {
    ~ScratchCleanup() {
        if (::testing::UnitTest::GetInstance()->Passed()) {
            std::error_code ignored;
            fs::remove_all(kWork, ignored);
        }
    }
} scratch_cleanup;

int cmasim(const std::string& args, const std::string& env = "") {
    const std::string command = env + " \"" + std::string(CMASIM_BINARY) + "\" " + args + " >> \"" +
                                (kWork / "log.txt").string() + "\" 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path fresh(const std::string& name) {
    fs::create_directories(kWork);
    fs::remove_all(kWork / name);
    return kWork / name;
}

/// The manifest without its "timing" object (the only part that may differ between runs).
std::string manifest_without_timing(const fs::path& dir) {
    auto j = nlohmann::ordered_json::parse(slurp(dir / "manifest.json"));
    j.erase("timing");
    return j.dump(2);
}

void expect_same_files(const fs::path& a, const fs::path& b) {
    for (const char* f : {"results.csv", "summary.csv"}) {
        ASSERT_TRUE(fs::exists(a / f) && fs::exists(b / f)) << f;
        EXPECT_EQ(slurp(a / f), slurp(b / f)) << f << " differs between " << a << " and " << b;
    }
    EXPECT_EQ(manifest_without_timing(a), manifest_without_timing(b));
}

std::string sweep(const char* file) {
    return "sweep \"" + (kData / file).string() + "\" -q";
}

TEST(SweepRun, ThreadsOneAndTwoWriteIdenticalFiles) {
    const fs::path one = fresh("t1"), two = fresh("t2");
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 1 --out " + one.string()), 0);
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 2 --out " + two.string()), 0);
    expect_same_files(one, two);
    // One row per point x replication x indicator, parameter values as columns.
    const std::string results = slurp(one / "results.csv");
    EXPECT_EQ(std::count(results.begin(), results.end(), '\n'), 1 + 18 * 4);
    EXPECT_EQ(
        results.substr(0, results.find('\n')),
        "point,township_ratio,insurance.inpatient_deductible.county,replication,indicator,value");
    EXPECT_NE(results.find("\n5,0.9,600,2,visits,"), std::string::npos);
    const auto manifest = nlohmann::json::parse(slurp(one / "manifest.json"));
    EXPECT_EQ(manifest["tasks"], 18);
    EXPECT_EQ(manifest["sweep_sha256"], sha256_hex(slurp(kData / "grid.yaml")));
}

TEST(SweepRun, ThreeShardsMergedEqualOneRun) {
    const fs::path whole = fresh("whole"), merged = fresh("merged");
    ASSERT_EQ(cmasim(sweep("lhs.yaml") + " --threads 2 --out " + whole.string()), 0);
    std::string dirs;
    for (int i = 0; i < 3; ++i) {
        const fs::path shard = fresh("shard" + std::to_string(i));
        ASSERT_EQ(cmasim(sweep("lhs.yaml") + " --threads 1 --shard " + std::to_string(i) +
                         "/3 --out " + shard.string()),
                  0);
        dirs += " " + shard.string();
    }
    EXPECT_EQ(cmasim("merge " + (kWork / "shard0").string() + " --out " + merged.string()), 2)
        << "incomplete merge refused";
    EXPECT_EQ(cmasim("merge " + (kWork / "shard0").string() + " " + (kWork / "shard1").string() +
                     " --out " + merged.string()),
              2);
    ASSERT_EQ(cmasim("merge" + dirs + " --out " + merged.string()), 0);
    expect_same_files(whole, merged);
}

/// Records in the journals of `dir` (what a killed run has saved so far).
std::size_t journaled(const fs::path& dir) {
    std::size_t n = 0;
    if (!fs::exists(dir / ".journal")) return 0;
    for (const auto& e : fs::directory_iterator(dir / ".journal")) {
        if (e.path().extension() == ".log") n += decode_journal(slurp(e.path())).records.size();
    }
    return n;
}

TEST(SweepRun, KilledMidSweepThenResumedEqualsUninterrupted) {
    const fs::path whole = fresh("kill_whole"), killed = fresh("killed");
    ASSERT_EQ(cmasim(sweep("kill.yaml") + " --threads 2 --out " + whole.string()), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const std::string file = (kData / "kill.yaml").string(), out = killed.string();
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execl(CMASIM_BINARY, CMASIM_BINARY, "sweep", file.c_str(), "--out", out.c_str(),
                "--threads", "2", "-q", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // SIGKILL as soon as a few tasks are on disk: no handler, no flush, no clean-up runs.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (journaled(killed) < 5 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";
    const std::size_t saved = journaled(killed);
    EXPECT_GE(saved, 5u);
    EXPECT_LT(saved, 32u);
    EXPECT_FALSE(fs::exists(killed / "results.csv"));
    // A write torn by the kill: half a record at the end of a journal is ignored on resume.
    {
        const std::string torn = encode_record(sample_record(0));
        std::ofstream(killed / ".journal" / "s0001-t0.log", std::ios::app | std::ios::binary)
            << torn.substr(0, 20);
    }
    EXPECT_EQ(cmasim(sweep("kill.yaml") + " --threads 2 --out " + killed.string()), 2)
        << "without --resume: refused";
    ASSERT_EQ(cmasim(sweep("kill.yaml") + " --threads 1 --resume --out " + killed.string()), 0);
    expect_same_files(whole, killed);
    EXPECT_EQ(nlohmann::json::parse(slurp(killed / "manifest.json"))["timing"]["sessions"], 2);
    // Resuming a finished run changes nothing.
    ASSERT_EQ(cmasim(sweep("kill.yaml") + " --resume --out " + killed.string()), 0);
    expect_same_files(whole, killed);
}

TEST(SweepRun, RefusesAnotherSweepsDirectory) {
    const fs::path dir = fresh("other");
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --out " + dir.string()), 0);
    EXPECT_EQ(cmasim(sweep("lhs.yaml") + " --resume --out " + dir.string()), 2);
    EXPECT_EQ(cmasim(sweep("lhs.yaml") + " --out " + dir.string()), 2);
    EXPECT_EQ(cmasim(sweep("grid.yaml") + " --shard 1/2 --resume --out " + dir.string()), 2);
    EXPECT_EQ(cmasim(sweep("grid.yaml") + " --shard 2/2 --out " + fresh("bad_shard").string()), 2);
    const std::string log = slurp(kWork / "log.txt");
    EXPECT_NE(log.find("holds a run of a different sweep file"), std::string::npos) << log;
    EXPECT_NE(log.find("holds a run of another sweep file"), std::string::npos) << log;
}

/// In-process stand-in for MPI: ranks are threads, each with a mailbox.
class ThreadHub {
  public:
    explicit ThreadHub(int ranks) : boxes_(static_cast<std::size_t>(ranks)) {}
    class Rank : public Messenger {
      public:
        Rank(ThreadHub& hub, int rank) : hub_(hub), rank_(rank) {}
        int rank() const override { return rank_; }
        int size() const override { return static_cast<int>(hub_.boxes_.size()); }
        void send(int destination, int tag, const std::string& body) override {
            std::lock_guard<std::mutex> g(hub_.mutex_);
            hub_.boxes_[static_cast<std::size_t>(destination)].push_back({rank_, tag, body});
            hub_.changed_.notify_all();
        }
        std::optional<Message> poll() override {
            std::lock_guard<std::mutex> g(hub_.mutex_);
            auto& box = hub_.boxes_[static_cast<std::size_t>(rank_)];
            if (box.empty()) return std::nullopt;
            Message m = box.front();
            box.pop_front();
            return m;
        }
        std::string receive(int source, int tag) override {
            std::unique_lock<std::mutex> g(hub_.mutex_);
            auto& box = hub_.boxes_[static_cast<std::size_t>(rank_)];
            for (;;) {
                for (auto it = box.begin(); it != box.end(); ++it) {
                    if (it->source == source && it->tag == tag) {
                        std::string body = it->body;
                        box.erase(it);
                        return body;
                    }
                }
                hub_.changed_.wait(g);
            }
        }

      private:
        ThreadHub& hub_;
        int rank_;
    };

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::deque<Messenger::Message>> boxes_;
};

TEST(SweepRun, DistributedProtocolWritesTheSameFilesAsOneProcess) {
    const fs::path plain = fresh("proto_plain"), spread = fresh("proto_spread");
    SweepRunOptions o;
    o.sweep_file = kData / "grid.yaml";
    o.progress = false;
    o.threads = 1;
    o.out = plain;
    run_sweep(o);
    // Three ranks of two workers each: rank 0 coordinates and runs two workers itself.
    o.out = spread;
    o.threads = 2;
    ThreadHub hub(3);
    std::vector<std::thread> ranks;
    for (int r = 1; r < 3; ++r) {
        ranks.emplace_back([&hub, o, r] {
            ThreadHub::Rank me(hub, r);
            run_sweep_distributed(o, me);
        });
    }
    ThreadHub::Rank lead(hub, 0);
    const SweepRunReport report = run_sweep_distributed(o, lead);
    for (auto& t : ranks) t.join();
    EXPECT_EQ(report.ran, 18u);
    expect_same_files(plain, spread);
}

TEST(SweepRun, MpiOneAndTwoRanksWriteIdenticalFiles) {
#ifndef CMASIM_MPIEXEC
    GTEST_SKIP()
        << "cmasim was built without MPI (install libopenmpi-dev openmpi-bin and reconfigure)";
#else
    const std::string mpirun = std::string(
                                   "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                                   "OMPI_MCA_rmaps_base_oversubscribe=1 \"") +
                               CMASIM_MPIEXEC + "\" --oversubscribe -np ";
    const fs::path one = fresh("mpi1"), two = fresh("mpi2"), plain = fresh("mpi_plain");
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 1 --out " + one.string(), mpirun + "1"), 0);
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 1 --out " + two.string(), mpirun + "2"), 0);
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 1 --out " + plain.string()), 0);
    expect_same_files(one, two);
    expect_same_files(one, plain);
#endif
}

}  // namespace
}  // namespace cmasim::sweep
