// Elementary functions of our own, so a scenario gives the same bytes on every CPU.
//
// glibc chooses at run time between FMA/AVX2 and plain SSE2 versions of exp, log, cos and pow,
// and the two disagree in the last bit for a fraction of inputs (docs/model.md, "The same
// numbers on every CPU"). Everything here is written in plain double arithmetic: additions,
// multiplications and divisions, which IEEE 754 defines exactly, compiled without contraction
// into fused multiply-adds (-ffp-contract=off, CMakeLists.txt). The results are then a function
// of the input alone.
//
// The algorithms are the classic ones of Sun's fdlibm (argument reduction by Cody and Waite, the
// minimax polynomials fdlibm published for exp, log and the sine and cosine kernels); the error is
// below one unit in the last place (tests/test_detmath.cpp measures it against libm). Only exact
// operation from <cmath> is used: ldexp, for the rare result of exp that is subnormal.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace cmasim::sim::det {

namespace detail {
inline constexpr double ln2_hi = 6.93147180369123816490e-01;  // ln 2, top 32 bits: k * ln2_hi exact
inline constexpr double ln2_lo = 1.90821492927058770002e-10;  // ln 2 - ln2_hi
inline constexpr double inv_ln2 = 1.44269504088896338700e+00;

/// Nearest integer (ties to even) of |v| < 2^51 by the 1.5 * 2^52 shift: two exact additions,
/// where std::rint is a call into libm on x86-64 without SSE4.1.
inline double round_to_int(double v) {
    constexpr double shift = 0x1.8p52;
    return (v + shift) - shift;
}

/// y * 2^k, exact: a multiplication by the power of two built from its bits while the result is
/// a normal number, std::ldexp (which rounds a subnormal result once) otherwise.
inline double scale_by_power_of_two(double y, int k) {
    if (k > -1022 && k < 1023) {
        return y * std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
    }
    return std::ldexp(y, k);
}
}  // namespace detail

/// e^x, error < 1 ulp. Overflows to +inf above 709.78, underflows to 0 below -745.13.
inline double exp(double x) {
    using namespace detail;
    if (std::isnan(x)) {
        return x;
    }
    if (x > 7.09782712893383973096e+02) {
        return std::numeric_limits<double>::infinity();
    }
    if (x < -7.45133219101941108420e+02) {
        return 0.0;
    }
    // x = k ln2 + r, |r| <= ln2 / 2, with r carried as hi - lo.
    const double k = round_to_int(x * inv_ln2);
    const double hi = x - k * ln2_hi;
    const double lo = k * ln2_lo;
    const double r = hi - lo;
    const double t = r * r;
    const double c =
        r - t * (1.66666666666666019037e-01 +
                 t * (-2.77777777770155933842e-03 +
                      t * (6.61375632143793436117e-05 +
                           t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
    const double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    return scale_by_power_of_two(y, static_cast<int>(k));
}

/// Natural logarithm, error < 1 ulp; log(0) = -inf, negative arguments give NaN.
inline double log(double x) {
    using namespace detail;
    if (std::isnan(x) || x < 0.0) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (x == 0.0) {
        return -std::numeric_limits<double>::infinity();
    }
    if (x == std::numeric_limits<double>::infinity()) {
        return x;
    }
    // x = 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2): exponent and mantissa from the bits
    // (subnormals first scaled up by 2^54, exactly).
    int e = 0;
    if (x < std::numeric_limits<double>::min()) {
        x *= 0x1p54;
        e = -54;
    }
    const auto bits = std::bit_cast<std::uint64_t>(x);
    e += static_cast<int>(bits >> 52) - 1022;
    double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFULL) | 0x3FE0000000000000ULL);
    if (m < 7.07106781186547524401e-01) {  // m in [0.5, 1): move it to [sqrt(2)/2, sqrt(2))
        m *= 2.0;
        --e;
    }
    const double f = m - 1.0;
    const double k = static_cast<double>(e);
    const double s = f / (2.0 + f);
    const double z = s * s;
    const double w = z * z;
    const double t1 = w * (3.999999999940941908e-01 +
                           w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
    const double t2 = z * (6.666666666666735130e-01 +
                           w * (2.857142874366239149e-01 +
                                w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
    const double hfsq = 0.5 * f * f;
    return k * ln2_hi - ((hfsq - (s * (hfsq + t2 + t1) + k * ln2_lo)) - f);
}

/// ln(1 + x) accurate for small x (Goldberg's correction: the rounding of 1 + x is divided out),
/// error a few ulp; x > -1.
inline double log1p(double x) {
    const double u = 1.0 + x;
    if (u == 1.0) {
        return x;
    }
    if (u == std::numeric_limits<double>::infinity()) {
        return u;
    }
    return log(u) * (x / (u - 1.0));
}

/// x^y for x > 0 as e^(y ln x): a few ulp, enough for samplers (the gamma boost U^(1/a)).
inline double pow_positive(double x, double y) {
    return exp(y * log(x));
}

namespace detail {
// sin and cos on [-pi/4, pi/4] (fdlibm's __kernel_sin and __kernel_cos with no tail).
inline double kernel_sin(double x) {
    const double z = x * x;
    const double r = 8.33333333332248946124e-03 +
                     z * (-1.98412698298579493134e-04 +
                          z * (2.75573137070700676789e-06 +
                               z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)));
    return x + z * x * (-1.66666666666666324348e-01 + z * r);
}
inline double kernel_cos(double x) {
    const double z = x * x;
    const double r =
        z * (4.16666666666666019037e-02 +
             z * (-1.38888888888741095749e-03 +
                  z * (2.48015872894767294178e-05 +
                       z * (-2.75573143513906633035e-07 +
                            z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
    const double hz = 0.5 * z;
    const double w = 1.0 - hz;
    return w + (((1.0 - w) - hz) + z * r);
}
// x = n pi/2 + r, |r| <= pi/4 (three-part Cody-Waite: n * the first two parts is exact while
// |n| < 2^20, which bounds the arguments this accuracy holds for; larger ones stay deterministic).
inline double reduce_half_pi(double x, long& quadrant) {
    const double n = round_to_int(x * 6.36619772367581382433e-01);
    quadrant = static_cast<long>(n);
    return ((x - n * 1.57079632673412561417e+00) - n * 6.07710050630396597660e-11) -
           n * 2.02226624879595063154e-21;
}
}  // namespace detail

/// Cosine, error about 1 ulp for |x| < 2^20 (every angle the model draws is in [0, 2 pi)).
inline double cos(double x) {
    long n = 0;
    const double r = detail::reduce_half_pi(x, n);
    switch (n & 3) {
        case 0:
            return detail::kernel_cos(r);
        case 1:
            return -detail::kernel_sin(r);
        case 2:
            return -detail::kernel_cos(r);
        default:
            return detail::kernel_sin(r);
    }
}

/// Sine, error about 1 ulp for |x| < 2^20.
inline double sin(double x) {
    long n = 0;
    const double r = detail::reduce_half_pi(x, n);
    switch (n & 3) {
        case 0:
            return detail::kernel_sin(r);
        case 1:
            return detail::kernel_cos(r);
        case 2:
            return -detail::kernel_sin(r);
        default:
            return -detail::kernel_cos(r);
    }
}

}  // namespace cmasim::sim::det
