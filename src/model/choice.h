// The first-contact choice: a multinomial logit over a village's candidate facilities, with the
// expected waits patients learn from consultations. Not a public header.
#pragma once

#include <cstdint>
#include <vector>

#include "cmasim/model/county.h"

namespace cmasim::model::detail {

/// Who is choosing, and among which candidates.
struct ChoiceAsk {
    std::uint32_t village = 0;
    std::uint32_t condition = 0;
    bool gatekept = false;
    bool contracted = false;
    Level min_level = Level::Village;
    bool contract_only = false;   ///< only the facilities of the contracted family doctors
    std::uint64_t tried = 0;      ///< candidate bits already tried at this step
};

class FacilityChooser {
public:
    explicit FacilityChooser(const County& county);

    /// Weighs the allowed candidates into the chooser's scratch row; returns their total weight,
    /// or a negative number when none is allowed (then no choice is drawn).
    double weigh(const ChoiceAsk& ask);
    /// The candidate index the scaled uniform u (in [0, total)) falls on, after weigh().
    std::size_t pick(std::size_t candidates, double u) const;

    /// A consultation at f started after `wait_seconds` in the queue: patients' expectation of
    /// the wait there moves towards it (exponential smoothing).
    void learn_wait(std::uint32_t f, sim::SimTime wait_seconds);

private:
    double exact_logit_weights(const ChoiceAsk& ask, const VillageInfo& village, std::size_t row);

    const County& c_;
    /// Smoothed consultation wait per facility, minutes: what patients expect when choosing.
    std::vector<double> expected_wait_;
    std::vector<double> wait_weight_;  ///< exp(b_wait * expected wait): the dynamic logit factor
    double contract_weight_ = 1;       ///< exp(b_contract)
    double weight_[64];                ///< scratch: the last weigh()'s weights, negative = not allowed
};

}  // namespace cmasim::model::detail
