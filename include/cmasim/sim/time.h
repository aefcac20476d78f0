// Simulated time: an integer count of seconds from the start of the run (start of warm-up).
#pragma once

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

}  // namespace cmasim::sim
