// The project's own elementary functions (sim/detmath.h): accurate against libm's long-double
// versions, exact at the special points, and the same bits whatever the CPU. The cross-CPU
// half is CrossCpu.ShippedScenariosWithoutFmaOrAvx2 in tests/CMakeLists.txt.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "cmasim/sim/detmath.h"
#include "cmasim/sim/random.h"

namespace det = cmasim::sim::det;

namespace {

/// |got - ref| in units in the last place of the double nearest ref.
double ulps(double got, long double ref) {
    const double r = std::fabs(static_cast<double>(ref));
    const double ulp = std::nextafter(r, std::numeric_limits<double>::infinity()) - r;
    return static_cast<double>(fabsl(static_cast<long double>(got) - ref)) / ulp;
}

struct Case {
    const char* name;
    double (*own)(double);
    long double (*ref)(long double);
    double lo;
    double hi;
    double max_ulps;
};

long double ref_exp(long double x) {
    return expl(x);
}
long double ref_log(long double x) {
    return logl(x);
}
long double ref_log1p(long double x) {
    return log1pl(x);
}
long double ref_cos(long double x) {
    return cosl(x);
}
long double ref_sin(long double x) {
    return sinl(x);
}
double own_exp(double x) {
    return det::exp(x);
}
double own_log(double x) {
    return det::log(x);
}
double own_log1p(double x) {
    return det::log1p(x);
}
double own_cos(double x) {
    return det::cos(x);
}
double own_sin(double x) {
    return det::sin(x);
}

// Ranges cover what the model evaluates: exponentials of utilities and log-normal draws, logs of
// uniforms and of prices, angles of Box-Muller and of the synthetic county's layout.
const Case kCases[] = {
    {"exp", own_exp, ref_exp, -740.0, 709.0, 1.0},
    {"exp near 0", own_exp, ref_exp, -1e-6, 1e-6, 1.0},
    {"log of uniforms", own_log, ref_log, 1e-300, 1.0, 1.0},
    {"log", own_log, ref_log, 1.0, 1e12, 1.0},
    {"log near 1", own_log, ref_log, 0.999, 1.001, 1.0},
    {"log1p small", own_log1p, ref_log1p, 0.0, 1e-6, 3.0},
    {"log1p", own_log1p, ref_log1p, 0.0, 1e4, 3.0},
    {"cos", own_cos, ref_cos, 0.0, 6.2831853071795865, 2.0},
    {"sin", own_sin, ref_sin, -6.2831853071795865, 6.2831853071795865, 2.0},
    {"cos of large angles", own_cos, ref_cos, 0.0, 1e5, 3.0},
};

}  // namespace

TEST(DetMath, WithinItsErrorBoundOverEachRange) {
    for (const Case& c : kCases) {
        cmasim::sim::RandomStream rng({20261202, 0}, 1, 0);
        double worst = 0.0;
        double at = 0.0;
        for (int i = 0; i < 200000; ++i) {
            const double x = c.lo + (c.hi - c.lo) * rng.uniform();
            const double e = ulps(c.own(x), c.ref(x));
            if (e > worst) {
                worst = e;
                at = x;
            }
        }
        EXPECT_LE(worst, c.max_ulps) << c.name << " at x = " << at;
    }
}

TEST(DetMath, PowOfUniformsAsTheGammaBoostUsesIt) {
    // U^(1/a) for shapes a in (0, 1): e^(ln U / a) carries the rounding of ln U times 1/a,
    // a relative error of a few 1e-14 at most, far below what a sampler can notice.
    cmasim::sim::RandomStream rng({20261202, 0}, 2, 0);
    for (int i = 0; i < 100000; ++i) {
        const double u = rng.uniform();
        const double a = 0.05 + 0.95 * rng.uniform();
        const long double ref = powl(u, 1.0L / a);
        const double got = det::pow_positive(u, 1.0 / a);
        EXPECT_LE(fabsl(got - ref), 1e-13L * ref + 1e-300L) << "u=" << u << " a=" << a;
    }
}

TEST(DetMath, SpecialValues) {
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(det::exp(0.0), 1.0);
    EXPECT_EQ(det::exp(1000.0), inf);
    EXPECT_EQ(det::exp(-1000.0), 0.0);
    EXPECT_TRUE(std::isnan(det::exp(std::nan(""))));
    EXPECT_EQ(det::log(1.0), 0.0);
    EXPECT_EQ(det::log(0.0), -inf);
    EXPECT_EQ(det::log(inf), inf);
    EXPECT_TRUE(std::isnan(det::log(-1.0)));
    EXPECT_EQ(det::log1p(0.0), 0.0);
    EXPECT_EQ(det::log1p(1e-300), 1e-300);
    EXPECT_EQ(det::cos(0.0), 1.0);
    EXPECT_EQ(det::sin(0.0), 0.0);
    // Subnormal results of exp are still produced (exact scaling by a power of two).
    EXPECT_GT(det::exp(-740.0), 0.0);
    EXPECT_LT(det::exp(-740.0), std::numeric_limits<double>::min());
}

TEST(DetMath, KnownBitsSoAChangeOfAlgorithmIsSeen) {
    // The results are part of every scenario's fingerprint: these exact values pin them, so an
    // edit to a constant or to the order of operations fails here before it drifts a baseline.
    // (exp(1) is 0.67 ulp above e, one ulp from the correctly rounded 0x1.5bf0a8b145769p+1.)
    EXPECT_EQ(det::exp(1.0), 0x1.5bf0a8b14576ap+1);
    EXPECT_EQ(det::log(10.0), 0x1.26bb1bbb55516p+1);
    EXPECT_EQ(det::cos(1.0), 0x1.14a280fb5068cp-1);
    EXPECT_EQ(det::sin(1.0), 0x1.aed548f090ceep-1);
    EXPECT_EQ(det::log1p(0.5), 0x1.9f323ecbf984cp-2);
}
