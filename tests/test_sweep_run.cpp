// The end-to-end guarantees of `cmasim sweep`: the same bytes whatever the threads, MPI ranks
// or shards, and after a SIGKILL plus --resume. Exact, deterministic tests (kind 1); nothing here
// is timed.
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
#include "cmasim/sweep/journal.h"
#include "cmasim/sweep/plan.h"
#include "cmasim/sweep/spec.h"
#include "cmasim/util/hash.h"
#include "sweep_test_support.h"

namespace cmasim::sweep {
namespace {

namespace fs = std::filesystem;
using test::kData;
using test::sample_record;
using test::slurp;

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
    j.erase("invocation");  // the command line and threads of the session
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
    EXPECT_EQ(manifest["sweep_sha256"], util::sha256_hex(slurp(kData / "grid.yaml")));
}

/// Runs `file` as `count` shards into fresh directories `<prefix>0`, `<prefix>1`, ...; returns
/// them space-separated (each with a leading space), or "" when a shard failed.
std::string run_shards(const char* file, int count, const std::string& prefix) {
    std::string dirs;
    for (int i = 0; i < count; ++i) {
        const fs::path shard = fresh(prefix + std::to_string(i));
        if (cmasim(sweep(file) + " --threads 1 --shard " + std::to_string(i) + "/" +
                   std::to_string(count) + " --out " + shard.string()) != 0)
            return {};
        dirs += " " + shard.string();
    }
    return dirs;
}

TEST(SweepRun, ThreeShardsMergedEqualOneRun) {
    const fs::path whole = fresh("whole"), merged = fresh("merged");
    ASSERT_EQ(cmasim(sweep("lhs.yaml") + " --threads 2 --out " + whole.string()), 0);
    const std::string dirs = run_shards("lhs.yaml", 3, "shard");
    ASSERT_FALSE(dirs.empty());
    EXPECT_EQ(cmasim("merge " + (kWork / "shard0").string() + " --out " + merged.string()), 2)
        << "incomplete merge refused";
    EXPECT_EQ(cmasim("merge " + (kWork / "shard0").string() + " " + (kWork / "shard1").string() +
                     " --out " + merged.string()),
              2);
    ASSERT_EQ(cmasim("merge" + dirs + " --out " + merged.string()), 0);
    expect_same_files(whole, merged);
}

// --csv-bom (for Excel, docs/report.md): the same files behind a UTF-8 byte order mark, from a
// sweep and from a merge of its shards; the report still reads them.
TEST(SweepRun, CsvBomStartsTheCsvFilesOfASweepAndOfAMerge) {
    const fs::path plain = fresh("plain"), bom = fresh("bom"), merged = fresh("bom_merged");
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 2 --out " + plain.string()), 0);
    ASSERT_EQ(cmasim(sweep("grid.yaml") + " --threads 2 --csv-bom --out " + bom.string()), 0);
    const std::string dirs = run_shards("grid.yaml", 2, "bom_shard");
    ASSERT_FALSE(dirs.empty());
    ASSERT_EQ(cmasim("merge" + dirs + " --csv-bom --out " + merged.string()), 0);
    for (const char* f : {"results.csv", "summary.csv"}) {
        EXPECT_EQ(slurp(bom / f), "\xEF\xBB\xBF" + slurp(plain / f)) << f;
        EXPECT_EQ(slurp(merged / f), slurp(bom / f)) << f;
    }
    const fs::path page = kWork / "bom.html";
    ASSERT_EQ(cmasim("report " + bom.string() + " --lang en --out " + page.string()), 0);
    ASSERT_EQ(cmasim("report " + plain.string() + " --lang en --out " + page.string() + ".plain"),
              0);
    // The same tables and charts (the pages differ only in the directory and command line).
    auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    const std::string with = slurp(page), without = slurp(page.string() + ".plain");
    EXPECT_GT(count(without, "<tr"), 10u);
    EXPECT_EQ(count(with, "<tr"), count(without, "<tr"));
    EXPECT_EQ(count(with, "<circle"), count(without, "<circle"));
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

/// Starts `cmasim sweep FILE --out OUT --threads 2 -q` in a child process, output discarded;
/// its pid (negative when fork failed).
pid_t start_sweep(const char* file, const fs::path& out) {
    const pid_t child = ::fork();
    if (child == 0) {
        const std::string path = (kData / file).string(), dir = out.string();
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execl(CMASIM_BINARY, CMASIM_BINARY, "sweep", path.c_str(), "--out", dir.c_str(),
                "--threads", "2", "-q", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return child;
}

/// SIGKILLs `child` as soon as `records` tasks are in the journals of `dir` (or after a minute):
/// no handler, no flush, no clean-up runs. True when the kill ended it.
bool kill_once_journaled(pid_t child, const fs::path& dir, std::size_t records) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (journaled(dir) < records && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFSIGNALED(status);
}

TEST(SweepRun, KilledMidSweepThenResumedEqualsUninterrupted) {
    const fs::path whole = fresh("kill_whole"), killed = fresh("killed");
    ASSERT_EQ(cmasim(sweep("kill.yaml") + " --threads 2 --out " + whole.string()), 0);
    const pid_t child = start_sweep("kill.yaml", killed);
    ASSERT_GE(child, 0);
    ASSERT_TRUE(kill_once_journaled(child, killed, 5))
        << "the sweep finished before it could be killed";
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
