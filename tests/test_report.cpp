// Tests of the report module's statistics: replication estimates and target verdicts (the
// summary and output files: test_report_files.cpp; the indicator table: test_indicators.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cmasim/report/stats.h"

namespace cmasim::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------- estimate

TEST(Estimate, MatchesHandComputedValuesForOneToFive) {
    const std::vector<double> v = {1, 2, 3, 4, 5};
    const Estimate e = estimate(v);
    // mean 3; sd = sqrt(10 / 4); t(0.975, 4) = 2.776445105 from a t table.
    const double half = 2.776445105 * std::sqrt(2.5) / std::sqrt(5.0);
    EXPECT_EQ(e.n, 5u);
    EXPECT_DOUBLE_EQ(e.mean, 3.0);
    EXPECT_DOUBLE_EQ(e.sd, std::sqrt(2.5));
    EXPECT_NEAR(e.half_width, half, 1e-8);
    EXPECT_NEAR(e.half_width, 1.963243, 1e-6);
    EXPECT_NEAR(e.ci_low, 3.0 - half, 1e-8);
    EXPECT_NEAR(e.ci_high, 3.0 + half, 1e-8);
    EXPECT_TRUE(e.has_interval());
}

TEST(Estimate, MatchesHandComputedValuesForSixValues) {
    const std::vector<double> v = {2.1, 3.4, 1.9, 5.0, 4.2, 3.3};
    double mean = 0;
    for (double x : v) mean += x / 6.0;
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    const double sd = std::sqrt(ss / 5.0);
    const Estimate e = estimate(v);
    EXPECT_NEAR(e.mean, 19.9 / 6.0, 1e-12);
    EXPECT_NEAR(e.sd, sd, 1e-12);
    EXPECT_NEAR(e.half_width, 2.570581836 * sd / std::sqrt(6.0), 1e-8);  // t(0.975, 5)
}

/// Student t quantile for 4 degrees of freedom in closed form (Shaw 2006), independent of Boost.
double t_quantile_dof4(double p) {
    const double a = 4 * p * (1 - p);
    const double q = std::cos(std::acos(std::sqrt(a)) / 3) / std::sqrt(a);
    return std::copysign(2 * std::sqrt(q - 1), p - 0.5);
}

TEST(Estimate, OtherConfidenceLevelsUseTheirOwnQuantile) {
    EXPECT_NEAR(t_quantile_dof4(0.975), 2.776445105, 1e-9);  // the closed form is right
    const std::vector<double> v = {1, 2, 3, 4, 5};
    for (const double confidence : {0.5, 0.8, 0.9, 0.95, 0.99}) {
        const double t = t_quantile_dof4((1 + confidence) / 2);
        EXPECT_NEAR(estimate(v, confidence).half_width, t * std::sqrt(0.5), 1e-9) << confidence;
    }
    EXPECT_LT(estimate(v, 0.90).half_width, estimate(v).half_width);
}

TEST(Estimate, SingleValueHasNoInterval) {
    const std::vector<double> v = {7.5};
    const Estimate e = estimate(v);
    EXPECT_EQ(e.n, 1u);
    EXPECT_EQ(e.mean, 7.5);
    EXPECT_EQ(e.ci_low, 7.5);
    EXPECT_EQ(e.ci_high, 7.5);
    EXPECT_TRUE(std::isnan(e.half_width));
    EXPECT_TRUE(std::isnan(e.sd));
    EXPECT_FALSE(e.has_interval());
}

TEST(Estimate, EmptyIsAllNaN) {
    const Estimate e = estimate(std::vector<double>{});
    EXPECT_EQ(e.n, 0u);
    EXPECT_TRUE(std::isnan(e.mean));
    EXPECT_FALSE(e.has_interval());
}

TEST(Estimate, ConstantValuesGiveZeroWidth) {
    // 0.4 + 0.4 + 0.4 is not 1.2 in binary: a constant indicator must still give exactly 0.4.
    const Estimate e = estimate(std::vector<double>{0.4, 0.4, 0.4});
    EXPECT_EQ(e.mean, 0.4);
    EXPECT_EQ(e.sd, 0.0);
    EXPECT_EQ(e.half_width, 0.0);
    EXPECT_TRUE(e.has_interval());
}

TEST(Estimate, RejectsConfidenceOutsideZeroOne) {
    const std::vector<double> v = {1, 2};
    EXPECT_THROW(estimate(v, 0.0), std::invalid_argument);
    EXPECT_THROW(estimate(v, 1.0), std::invalid_argument);
    EXPECT_THROW(estimate(v, 95.0), std::invalid_argument);
    EXPECT_THROW(estimate(v, kNaN), std::invalid_argument);
}

// ---------------------------------------------------------------- judge

Estimate interval(double lo, double hi) {
    return Estimate{5, (lo + hi) / 2, 1, lo, hi, (hi - lo) / 2};
}

TEST(Judge, TableOfCases) {
    using V = TargetVerdict;
    struct Case {
        std::optional<double> min, max;
        double lo, hi;
        V expected;
    };
    const std::vector<Case> cases = {
        {0.65, std::nullopt, 0.66, 0.70, V::Met},              // whole CI above min
        {0.65, std::nullopt, 0.65, 0.70, V::Met},              // touching the bound is within it
        {0.65, std::nullopt, 0.60, 0.64, V::Missed},           // whole CI below min
        {0.65, std::nullopt, 0.63, 0.67, V::Undecided},        // straddles min
        {std::nullopt, 30.0, 20.0, 29.0, V::Met},              // whole CI below max
        {std::nullopt, 30.0, 31.0, 35.0, V::Missed},           // whole CI above max
        {std::nullopt, 30.0, 28.0, 32.0, V::Undecided},        // straddles max
        {0.6, 0.8, 0.65, 0.75, V::Met},                        // inside both
        {0.6, 0.8, 0.50, 0.55, V::Missed},                     // below the range
        {0.6, 0.8, 0.85, 0.90, V::Missed},                     // above the range
        {0.6, 0.8, 0.55, 0.65, V::Undecided},                  // straddles min
        {0.6, 0.8, 0.75, 0.85, V::Undecided},                  // straddles max
        {0.6, 0.8, 0.50, 0.90, V::Undecided},                  // wider than the range
        {std::nullopt, std::nullopt, 0.5, 0.6, V::Undecided},  // no bound
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        EXPECT_EQ(judge(interval(c.lo, c.hi), c.min, c.max), c.expected) << "case " << i;
    }
}

TEST(Judge, NoIntervalIsUndecided) {
    const Estimate one = estimate(std::vector<double>{0.9});
    EXPECT_EQ(judge(one, 0.65, std::nullopt), TargetVerdict::Undecided);
    const Estimate none = estimate(std::vector<double>{});
    EXPECT_EQ(judge(none, 0.65, std::nullopt), TargetVerdict::Undecided);
    EXPECT_STREQ(to_string(TargetVerdict::Met), "met");
    EXPECT_STREQ(to_string(TargetVerdict::Missed), "missed");
    EXPECT_STREQ(to_string(TargetVerdict::Undecided), "undecided");
}

}  // namespace
}  // namespace cmasim::report
