// The tiers of care and their names: shared by the scenario (where levels are read), the
// indicator table (per-level keys such as "wait_minutes_mean_county") and the model.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace cmasim::util {

/// The tier of a facility. The order matters: a higher value is a higher tier.
enum class Level : std::uint8_t { Village = 0, Township = 1, County = 2, External = 3 };
inline constexpr int kLevels = 4;
/// A value for each level, indexed by idx(level).
template <class T>
using PerLevel = std::array<T, kLevels>;

/// The index of `level` in a PerLevel array (0 = village ... 3 = external).
constexpr int idx(Level level) {
    return static_cast<int>(level);
}

/// "village", "township", "county" or "external": the name scenario files, indicator keys and
/// breakdown rows use.
const char* to_string(Level level);
/// The level named `s`, if any.
std::optional<Level> level_from_string(const std::string& s);

}  // namespace cmasim::util
