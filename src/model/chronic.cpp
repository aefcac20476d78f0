#include "chronic.h"

#include <cmath>

#include "cmasim/model/engine.h"
#include "cmasim/model/pathway.h"
#include "cmasim/sim/detmath.h"
#include "demand.h"

namespace cmasim::model::detail {

namespace {

/// Residents tried at a scheduled follow-up before the village is taken to have no managed one
/// (at managed_share 0.01 a managed resident is missed once in 23,000 follow-ups).
constexpr int kTries = 1000;

}  // namespace

ChronicCare::ChronicCare(const County& county, const sim::StreamKey& key, sim::SimTime end)
    : c_(county), key_(key), share_(county.scenario.policy.chronic.managed_share), end_(end) {
    const auto& chronic = county.scenario.policy.chronic;
    if (!on() || chronic.follow_ups_per_year <= 0 || county.managed_condition == kNone ||
        !county.scripted.empty())
        return;
    for (std::size_t v = 0; v < c_.villages.size(); ++v) {
        streams_.emplace_back(key, static_cast<std::uint64_t>(StreamPurpose::ManagedVisits), v);
    }
    next_.assign(c_.villages.size(), 0.0);
}

bool ChronicCare::managed(std::uint64_t person) const {
    sim::RandomStream rng(key_, static_cast<std::uint64_t>(StreamPurpose::Managed), person);
    return rng.uniform() < share_;
}

bool ChronicCare::prevents(std::uint64_t person, std::uint32_t condition, EpisodeId episode) const {
    if (!c_.conditions[condition].managed_acute) return false;
    sim::RandomStream rng(key_, static_cast<std::uint64_t>(StreamPurpose::Prevention),
                          episode.value());
    auto draw = [&] { return rng.uniform(); };
    return management_prevents(managed(person), true,
                               c_.scenario.policy.chronic.acute_rate_multiplier, UniformDraw(draw));
}

/// A Poisson process at the expected number of the village's managed residents times their
/// follow-ups a year, inside the care-seeking window like the rest of the daytime demand.
sim::SimTime ChronicCare::next_visit(std::uint32_t v, double from) {
    const auto& village = c_.villages[v];
    const double per_second = static_cast<double>(village.population) * share_ *
                              c_.scenario.policy.chronic.follow_ups_per_year /
                              (365.0 * static_cast<double>(sim::kDay));
    const double hazard = -sim::det::log(streams_[v].uniform());
    next_[v] = next_in_window(c_, hazard, from, static_cast<double>(end_),
                              [&](std::size_t) { return per_second; });
    return static_cast<sim::SimTime>(std::ceil(next_[v]));
}

std::optional<std::uint64_t> ChronicCare::visit(std::uint32_t v, sim::SimTime& next) {
    const auto& village = c_.villages[v];
    auto& rng = streams_[v];
    std::optional<std::uint64_t> person;
    const auto population = static_cast<std::uint64_t>(village.population);
    for (int k = 0; k < kTries && population > 0 && !person; ++k) {
        const std::uint64_t candidate = village.first_person + rng.below(population);
        if (managed(candidate)) person = candidate;
    }
    next = next_visit(v, next_[v]);
    return person;
}

}  // namespace cmasim::model::detail
