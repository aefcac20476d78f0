// Chronic-disease management (docs/levers.md): which residents are managed chronic patients,
// whether management prevents an episode, and the managed residents' scheduled follow-ups. Each
// has its own random purpose, so switching management on leaves every other stream's draws as
// they were. Not a public header.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/ids.h"
#include "cmasim/sim/random.h"

namespace cmasim::model::detail {

class ChronicCare {
  public:
    ChronicCare(const County& county, const sim::StreamKey& key, sim::SimTime end);
    /// Whether the scenario manages chronic patients at all.
    bool on() const { return share_ > 0; }
    /// Whether the resident is a managed chronic patient: one draw of the resident's own stream,
    /// the same in every episode and every policy with the same managed_share.
    bool managed(std::uint64_t person) const;
    /// Whether management prevents this episode of the condition for the resident (draws the
    /// episode's prevention stream only for a managed resident and an acute condition).
    bool prevents(std::uint64_t person, std::uint32_t condition, EpisodeId episode) const;
    /// Whether managed residents come for scheduled follow-ups (never with scripted demand).
    bool follow_ups() const { return !streams_.empty(); }
    /// The first scheduled follow-up in village v; end or later if none.
    sim::SimTime first_visit(std::uint32_t v) { return next_visit(v, 0.0); }
    /// At a scheduled follow-up in village v: the managed resident who comes (none when the
    /// village has none to be found), then the village's next follow-up time.
    std::optional<std::uint64_t> visit(std::uint32_t v, sim::SimTime& next);

  private:
    sim::SimTime next_visit(std::uint32_t v, double from);

    const County& c_;
    sim::StreamKey key_;
    double share_;
    sim::SimTime end_;
    std::vector<sim::RandomStream> streams_;  ///< per village; empty without follow-ups
    std::vector<double> next_;                ///< exact (fractional-second) next visit times
};

}  // namespace cmasim::model::detail
