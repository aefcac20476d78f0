// Strong ids for the things the model's events talk about. Each is an index into one table of
// the compiled County (or, for an episode, a key of its random streams); the types keep a
// facility index from being passed where a village index is meant.
#pragma once

#include <cstdint>

namespace cmasim::model {

inline constexpr std::uint32_t kNone = 0xFFFF'FFFFu;

/// An index into one table of the compiled County, typed by the table (Tag).
template <class Tag>
class TableId {
  public:
    constexpr TableId() = default;
    constexpr explicit TableId(std::uint32_t index) : index_(index) {}
    /// The row in the table; kNone for "no such entry".
    constexpr std::uint32_t index() const { return index_; }
    constexpr bool valid() const { return index_ != kNone; }
    friend constexpr bool operator==(TableId, TableId) = default;

  private:
    std::uint32_t index_ = kNone;
};

using FacilityId = TableId<struct FacilityTag>;    ///< County::facilities
using VillageId = TableId<struct VillageTag>;      ///< County::villages
using TownshipId = TableId<struct TownshipTag>;    ///< County::townships
using ConditionId = TableId<struct ConditionTag>;  ///< County::conditions

/// One episode of illness: unique within a replication, and the entity key of the episode's own
/// random streams (so its value must never change for a given episode). Made only by
/// village_episode() and station_episode().
class EpisodeId {
  public:
    constexpr EpisodeId() = default;
    /// Where the episode came from: the village index, or for a queueing-network customer
    /// 2^31 + the station's facility index.
    constexpr std::uint32_t origin() const { return static_cast<std::uint32_t>(value_ >> 32); }
    /// Its number among the episodes of the same origin, from 0.
    constexpr std::uint32_t sequence() const { return static_cast<std::uint32_t>(value_); }
    /// The 64-bit key of the episode's random streams.
    constexpr std::uint64_t value() const { return value_; }
    friend constexpr bool operator==(EpisodeId, EpisodeId) = default;

    friend constexpr EpisodeId village_episode(VillageId village, std::uint32_t sequence);
    friend constexpr EpisodeId station_episode(FacilityId station, std::uint32_t sequence);

  private:
    constexpr explicit EpisodeId(std::uint64_t value) : value_(value) {}
    std::uint64_t value_ = 0;
};

/// The sequence-th episode of illness in a village.
constexpr EpisodeId village_episode(VillageId village, std::uint32_t sequence) {
    return EpisodeId((static_cast<std::uint64_t>(village.index()) << 32) | sequence);
}

/// The sequence-th external arrival at a queueing-network station. The top bit keeps these apart
/// from village episodes.
constexpr EpisodeId station_episode(FacilityId station, std::uint32_t sequence) {
    return EpisodeId((std::uint64_t{1} << 63) |
                     (static_cast<std::uint64_t>(station.index()) << 32) | sequence);
}

}  // namespace cmasim::model
