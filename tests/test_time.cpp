// sim::round_half_away must give exactly what std::llround gives: the engine rounds every trip,
// consultation, stay and fee share with it, and the shipped scenarios' fingerprints depend on it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "cmasim/sim/random.h"
#include "cmasim/sim/time.h"

namespace {

using cmasim::sim::round_half_away;

TEST(RoundHalfAway, HalvesGoAwayFromZero) {
    EXPECT_EQ(round_half_away(0.5), 1);
    EXPECT_EQ(round_half_away(1.5), 2);
    EXPECT_EQ(round_half_away(2.5), 3);
    EXPECT_EQ(round_half_away(-0.5), -1);
    EXPECT_EQ(round_half_away(-2.5), -3);
    EXPECT_EQ(round_half_away(2.4999999999999996), 2);
    EXPECT_EQ(round_half_away(0.49999999999999994), 0);  // the value that breaks floor(x + 0.5)
    EXPECT_EQ(round_half_away(-0.49999999999999994), 0);
    EXPECT_EQ(round_half_away(0.0), 0);
    EXPECT_EQ(round_half_away(-0.0), 0);
}

TEST(RoundHalfAway, AgreesWithLlroundOnEdgesAndLargeValues) {
    const std::vector<double> xs = {0x1p52 - 0.5,
                                    0x1p52 + 1.0,
                                    0x1p53 - 1.0,
                                    0x1p61,
                                    0x1p62,
                                    -0x1p62,
                                    0x1p62 - 512.0,
                                    4503599627370495.5,
                                    -4503599627370495.5,
                                    std::nextafter(0.5, 0.0),
                                    std::nextafter(0.5, 1.0),
                                    std::nextafter(-1.5, 0.0),
                                    1e15 + 0.5,
                                    86400.0 * 3.5,
                                    59.999999999999993,
                                    1e-300,
                                    -1e-300};
    for (const double x : xs) {
        EXPECT_EQ(round_half_away(x), std::llround(x)) << x;
    }
}

TEST(RoundHalfAway, AgreesWithLlroundOnManyValuesOfEveryScale) {
    // Uniform mantissas over exponents from 2^-10 to 2^60, both signs, plus exact quarters near
    // each integer: 200,000 comparisons in all.
    cmasim::sim::RandomStream rng({7, 0}, 1, 0);
    for (int i = 0; i < 100000; ++i) {
        const int exponent = static_cast<int>(rng.below(71)) - 10;
        const double x =
            std::ldexp(1.0 + rng.uniform(), exponent) * (rng.below(2) == 0 ? 1.0 : -1.0);
        ASSERT_EQ(round_half_away(x), std::llround(x)) << x;
        const double q = std::floor(x) + 0.25 * static_cast<double>(rng.below(4));
        ASSERT_EQ(round_half_away(q), std::llround(q)) << q;
    }
}

}  // namespace
