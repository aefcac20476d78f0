// Internal to the loader: the upper bounds that keep every number of a loaded scenario inside
// the integer types the model computes with. Each bound is far above any real county, and each
// is shown in the generated reference (docs/scenario-reference.md) and in the message that
// refuses a value beyond it.
//
// What they protect (the model holds time in int64 seconds, money in int64 fen, residents'
// yearly fund payments in 32 bits, one row of travel times per pair of places):
// - durations: a duration of at most kMaxMinutes minutes or kMaxStayDays days is at most
//   3.2e7 seconds; a distribution whose every parameter is bounded so can reach 2^62 seconds
//   only with a probability far below 1e-20 per draw;
// - money: a single charge of at most kMaxChargeYuan (10^9 fen) times a stay of a few thousand
//   days stays below 10^13 fen per bill;
// - residents: the county total bounds the per-resident tables (4 bytes each per yearly cap)
//   and every sum of populations;
// - places: the model keeps a travel time for every pair of places and finds them with one
//   shortest-path search per place, so the work grows with the square of the place count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cmasim::scenario::detail {

/// Longest travel, consultation, patience or delay: a week, in minutes.
inline constexpr double kMaxMinutes = 10'080;
/// Longest stay (a distribution's parameters), in days.
inline constexpr double kMaxStayDays = 365;
/// Largest single charge (a fee, a deductible), in yuan: 10^9 fen.
inline constexpr double kMaxChargeYuan = 10'000'000;
/// Largest land area of a synthetic county, km² (the largest county is about 200,000 km²).
inline constexpr double kMaxAreaKm2 = 250'000;

/// Residents of the whole county (and so of any one village).
inline constexpr std::int64_t kMaxPopulation = 20'000'000;
/// Villages, and places in all (villages included): see the note on places above.
inline constexpr std::size_t kMaxVillages = 2'000;
inline constexpr std::size_t kMaxPlaces = 3'000;
inline constexpr std::size_t kMaxTownships = 1'000;
inline constexpr std::size_t kMaxFacilities = 5'000;
inline constexpr std::size_t kMaxConditions = 200;
inline constexpr std::size_t kMaxRoads = 100'000;
inline constexpr std::size_t kMaxEpisodes = 1'000'000;
inline constexpr std::size_t kMaxFacilityChanges = 1'000;
inline constexpr std::size_t kMaxStations = 500;
/// Expected episodes of illness a year in the whole county (the baseline has about 2.5 million):
/// beyond it a single replication would run for days.
inline constexpr double kMaxEpisodesPerYear = 1e9;
/// Expected episodes in one village over the whole run: each village numbers its episodes in
/// 32 bits, and a number used twice would give two episodes the same random numbers.
inline constexpr double kMaxVillageEpisodes = 2e9;

}  // namespace cmasim::scenario::detail
