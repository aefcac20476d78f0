// Sweeps: the sweep file, the designs and the journal. The end-to-end guarantees of
// `cmasim sweep`: test_sweep_run.cpp. Exact, deterministic tests (kind 1); nothing here is timed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cmasim/scenario/diagnostics.h"
#include "cmasim/sweep/design.h"
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
    EXPECT_EQ(util::sha256_hex(""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(util::sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(util::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// --- the journal -----------------------------------------------------------------------------
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

}  // namespace
}  // namespace cmasim::sweep
