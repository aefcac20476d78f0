// The first-contact choice: a multinomial logit over a village's candidate facilities, with the
// expected waits patients learn from consultations. Not a public header.
#pragma once

#include <cmath>

#include <cstdint>
#include <vector>
#include "cmasim/sim/detmath.h"

#include "cmasim/model/county.h"
#include "cmasim/model/pathway.h"

namespace cmasim::model::detail {

/// Who is choosing, and among which candidates.
struct ChoiceAsk {
    std::uint32_t village = 0;
    std::uint32_t condition = 0;
    bool gatekept = false;
    bool contracted = false;
    Level min_level = Level::Village;
    bool contract_only = false;  ///< only the facilities of the contracted family doctors
    std::uint64_t tried = 0;     ///< candidate bits already tried at this step
    bool outside = false;        ///< staying out of formal care is an option (first contacts)
};

class FacilityChooser {
  public:
    explicit FacilityChooser(const County& county);

    static constexpr std::size_t kNoChoice = ~std::size_t{0};
    static constexpr std::size_t kOutside = kOutsideOption;
    /// The index of the chosen candidate in the village's list, kOutside when the patient stays
    /// out of formal care (only if ask.outside and the condition has an outside option), or
    /// kNoChoice when no candidate is allowed (then nothing is drawn). Draws one uniform (the
    /// episode's choice stream).
    std::size_t choose(const ChoiceAsk& ask, UniformDraw draw) const;

    /// A consultation at f started after `wait_seconds` in the queue: patients' expectation of
    /// the wait there moves towards it (exponential smoothing).
    void learn_wait(std::uint32_t f, sim::SimTime wait_seconds) {
        double& expected = expected_wait_[f];
        expected += c_.scenario.choice.wait_smoothing *
                    (static_cast<double>(wait_seconds) / 60.0 - expected);
        if (c_.scenario.choice.b_wait != 0) {
            wait_weight_[f] =
                sim::det::exp(c_.scenario.choice.b_wait * expected);  // read by choose()
        }
    }

  private:
    bool candidate_weights(const ChoiceAsk& ask, const VillageInfo& village, std::size_t row,
                           double* w, double& total) const;
    double exact_logit_weights(const ChoiceAsk& ask, const VillageInfo& village, std::size_t row,
                               double* w, double& outside) const;

    const County& c_;
    /// Smoothed consultation wait per facility, minutes: what patients expect when choosing.
    std::vector<double> expected_wait_;
    std::vector<double> wait_weight_;  ///< exp(b_wait * expected wait): the dynamic logit factor
    double contract_weight_ = 1;       ///< exp(b_contract)
};

}  // namespace cmasim::model::detail
