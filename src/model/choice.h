// The first-contact choice: a multinomial logit over a village's candidate facilities, with the
// expected waits patients learn from consultations. Not a public header.
#pragma once

#include <array>
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
    bool low_income = false;     ///< medical assistance lowers what the resident expects to pay
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
    /// `county` is the episode's period (its villages' static utilities and the outside option);
    /// the waits learned are the county's, whatever the period.
    std::size_t choose(const County& county, const ChoiceAsk& ask, UniformDraw draw) const;

    /// A consultation at f started after `wait_seconds` in the queue: patients' expectation of
    /// the wait there, for walk-ins or for the referred who may use reserved capacity, moves
    /// towards it (exponential smoothing).
    void learn_wait(std::uint32_t f, sim::SimTime wait_seconds, bool walkin) {
        const std::size_t cls = walkin ? kWalkin : kReferred;
        double& expected = expected_wait_[cls][f];
        expected += c_.scenario.choice.wait_smoothing *
                    (static_cast<double>(wait_seconds) / 60.0 - expected);
        if (c_.scenario.choice.b_wait != 0) {  // read by choose()
            wait_weight_[cls][f] = sim::det::exp(c_.scenario.choice.b_wait * expected);
        }
    }

  private:
    bool candidate_weights(const County& county, const ChoiceAsk& ask, const VillageInfo& village,
                           std::size_t row, double* w, double& total) const;
    static constexpr std::size_t kReferred = 0;  ///< may use reserved capacity (is_walkin false)
    static constexpr std::size_t kWalkin = 1;
    /// The wait class a patient referred on from candidate `cand` would join at the target.
    std::size_t onward_class(const ChoiceAsk& ask, const Candidate& cand) const {
        return any_referral_ || (ask.contracted && cand.contract_facility) ? kReferred : kWalkin;
    }
    double exact_logit_weights(const County& county, const ChoiceAsk& ask,
                               const VillageInfo& village, std::size_t row, double* w,
                               double& outside) const;

    const County& c_;
    /// Smoothed consultation wait per class (referred, walk-in) and facility, minutes: what
    /// patients expect when choosing. A first contact waits as a walk-in; a candidate that
    /// cannot treat adds the wait at its referral target, in the class the patient would join
    /// there (the referred class for a family-doctor referral under contracted_referrals).
    std::array<std::vector<double>, 2> expected_wait_;
    /// exp(b_wait * expected wait): the dynamic logit factors, same layout.
    std::array<std::vector<double>, 2> wait_weight_;
    /// reserved_for: any_referral (the run's rule: a timeline cannot change it)
    bool any_referral_ = false;
};

}  // namespace cmasim::model::detail
