// The default thread count follows the allocation (issue 19 item 4): Slurm's
// SLURM_CPUS_PER_TASK, then the process's CPU affinity (taskset), then the machine's cores.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cmasim/util/parallel.h"

namespace {

using cmasim::util::default_threads;

struct Row {
    const char* slurm;
    int affinity;
    unsigned hardware;
    int expected;
};

TEST(DefaultThreads, SlurmThenAffinityThenCores) {
    const Row rows[] = {
        {nullptr, 0, 0, 1},    // nothing known: one thread
        {nullptr, 0, 16, 16},  // no affinity mask: every core
        {nullptr, 2, 16, 2},   // taskset -c 0,1 on a 16-core machine
        {"4", 2, 16, 4},       // Slurm's allocation wins over the mask
        {"0", 3, 16, 3},       // not a positive count: ignored
        {"-2", 3, 16, 3},      //
        {"4x", 3, 16, 3},      // not a number: ignored
        {"", 3, 16, 3},        //
        {"99999", 3, 16, 3},   // beyond any machine: ignored
    };
    for (const Row& r : rows) {
        EXPECT_EQ(default_threads(r.slurm, r.affinity, r.hardware), r.expected)
            << "SLURM_CPUS_PER_TASK=" << (r.slurm ? r.slurm : "(unset)")
            << " affinity=" << r.affinity << " hardware=" << r.hardware;
    }
}

/// The command line's default follows taskset and Slurm's variable: `cmasim run` logs the
/// thread count it uses.
std::string threads_logged(const std::string& prefix) {
    // A directory of this process's own: `run` refuses an --out holding anything but its output.
    const std::string dir = ::testing::TempDir() + "cmasim_threads_out_" + std::to_string(getpid());
    const std::string cmd = prefix + " " + CMASIM_BINARY +
                            " --log-level info run " CMASIM_SOURCE_DIR
                            "/scenarios/tiny.yaml -r 2 --set horizon_days=2 --set warmup_days=0 "
                            "-q --out " +
                            dir + " 2>&1";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
        pclose(p);
    }
    std::filesystem::remove_all(dir);
    return out;
}

TEST(DefaultThreads, CommandLineFollowsTasksetAndSlurm) {
    EXPECT_NE(threads_logged("env -u SLURM_CPUS_PER_TASK taskset -c 0").find("on 1 threads"),
              std::string::npos);
    EXPECT_NE(threads_logged("env SLURM_CPUS_PER_TASK=3 taskset -c 0").find("on 3 threads"),
              std::string::npos);
}

}  // namespace
