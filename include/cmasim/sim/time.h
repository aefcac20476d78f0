// Simulated time: an integer count of seconds from the start of the run (start of warm-up).
#pragma once

#include <cmath>
#include <cstdint>

namespace cmasim::sim {

/// Simulated time in seconds since the start of the run. Integer, so event order never depends
/// on floating-point rounding.
using SimTime = std::int64_t;

inline constexpr SimTime kSecond = 1;
inline constexpr SimTime kMinute = 60;
inline constexpr SimTime kHour = 3600;
inline constexpr SimTime kDay = 86400;
inline constexpr SimTime kWeek = 7 * kDay;

/// Nearest integer, halves away from zero: the same value as std::llround, without the call into
/// libm (a measurable cost when every consultation, trip and stay is rounded to whole seconds).
/// Truncating and looking at the fraction is exact: x - trunc(x) is representable for every
/// double. Outside |x| < 2^62 (and for NaN) it defers to std::llround.
inline std::int64_t round_half_away(double x) {
    if (!(std::fabs(x) < 0x1p62)) return std::llround(x);
    const auto t = static_cast<std::int64_t>(x);  // truncates toward zero
    const double frac = x - static_cast<double>(t);
    return t + (frac >= 0.5 ? 1 : 0) - (frac <= -0.5 ? 1 : 0);
}

}  // namespace cmasim::sim
