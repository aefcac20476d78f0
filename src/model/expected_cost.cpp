#include "cmasim/model/expected_cost.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "cmasim/model/county.h"

namespace cmasim::model {
namespace {

/// One stay of mean length (fen); `deductible` receives the deductible it charges. A home bed
/// (`home`) bills its share of the fee over its own stay.
double stay_out_of_pocket_fen(const scenario::Condition& c, const scenario::Insurance& ins,
                              Level level, const CareRoute& route, double paid, double& deductible,
                              const ExpectedStop& home = {}) {
    const int l = idx(level);
    const double fee = home.stay_fee_share * (static_cast<double>(c.inpatient_fee_stay[l]) +
                                              static_cast<double>(c.inpatient_fee_day[l]) *
                                                  c.stay_days[l].mean() * home.stay_multiplier);
    const auto due = deductible_due(level, route, ins, std::llround(paid));
    deductible = std::min(fee, static_cast<double>(due));
    return deductible +
           (fee - deductible) * (1 - effective_ratio(ins.inpatient_ratio[l], level, route, ins));
}

/// The terms at each place class, by idx(PlaceClass).
using TermsByPlace = std::array<const scenario::Insurance*, scenario::kPlaceClasses>;

/// The expected path of one episode, walked stop by stop; every amount is in fen (double: an
/// expectation is not a bill).
class PathWalk {
  public:
    PathWalk(const scenario::Condition& c, const TermsByPlace& by_place,
             std::span<const ExpectedStop> path, double self_referral)
        : c_(c), terms_(by_place), path_(path), self_referral_(self_referral) {}

    /// From a consultation at stop i on; `paid` = deductibles the episode paid before.
    double at(std::size_t i, const CareRoute& route, double paid, bool transfer) const {
        const Level level = path_[i].level;
        const auto& ins = terms(path_[i].place);
        double cost = visit(ins, level, route);
        if (!path_[i].treats) return cost + onward(i, route, paid, false);
        const int l = idx(level);
        const double p_admit = transfer ? 1.0 : c_.admission_probability[l];
        if (p_admit > 0) {
            double deductible = 0;
            const double stay_cost =
                stay_out_of_pocket_fen(c_, ins, level, route, paid, deductible, path_[i]);
            cost += p_admit * (stay_cost + after_stay(i, route, paid + deductible));
        }
        return cost + (1 - p_admit) * c_.follow_ups * visit(ins, level, route);
    }

  private:
    /// Referred up from stop i to the next (a self-referral instead with its probability).
    double onward(std::size_t i, const CareRoute& route, double paid, bool transfer) const {
        if (i + 1 >= path_.size()) return 0;  // nowhere to refer: the patient leaves
        CareRoute referred{true, false, true, route.gatekept};
        double cost = at(i + 1, referred, paid, transfer);
        const double s = transfer || path_[i].level == Level::External ? 0 : self_referral_;
        if (s > 0) {
            CareRoute own{false, false, true, route.gatekept};
            cost = (1 - s) * cost + s * at(i + 1, own, paid, transfer);
        }
        return cost;
    }

    /// After a stay at stop i: transfer up, or down-referral home, or home.
    double after_stay(std::size_t i, const CareRoute& route, double paid) const {
        const Level level = path_[i].level;
        const double up = i + 1 < path_.size() ? c_.transfer_up_probability[idx(level)] : 0;
        double cost = up > 0 ? up * onward(i, route, paid, true) : 0;
        const Level home = c_.down_referral_to;
        if (c_.down_referral_probability <= 0 || c_.down_referral_visits <= 0 || home >= level)
            return cost;
        const CareRoute down{true, true, route.up_referred_in_episode, route.gatekept};
        const double rehab = c_.down_referral_admission;
        double deductible = 0;
        const auto& ins = terms(scenario::PlaceClass::InPrefecture);  // home is in the county
        const double home_care =
            visit(ins, home, down) +
            (1 - rehab) * (c_.down_referral_visits - 1) * visit(ins, home, down) +
            rehab * stay(ins, home, down, paid, deductible);
        return cost + (1 - up) * c_.down_referral_probability * home_care;
    }

    const scenario::Insurance& terms(scenario::PlaceClass p) const {
        return *terms_[static_cast<std::size_t>(idx(p))];
    }

    double visit(const scenario::Insurance& ins, Level level, const CareRoute& route) const {
        const int l = idx(level);
        return static_cast<double>(c_.outpatient_fee[l]) *
               (1 - effective_ratio(ins.outpatient_ratio[l], level, route, ins));
    }

    double stay(const scenario::Insurance& ins, Level level, const CareRoute& route, double paid,
                double& deductible) const {
        return stay_out_of_pocket_fen(c_, ins, level, route, paid, deductible);
    }

    const scenario::Condition& c_;
    TermsByPlace terms_;
    std::span<const ExpectedStop> path_;
    double self_referral_;
};

/// Does the choice price a stay at `fi` as a home bed? When the facility has home beds for the
/// condition and every resident is eligible: the expected cost is per facility and condition, not
/// per resident, so a home bed only for contracted or aged residents leaves the ward's price.
bool sees_home_bed(const scenario::HomeBeds& h, const FacilityInfo& fi, const ConditionInfo& k) {
    return fi.home_bed_slots > 0 && k.home_bed && !h.contracted_only && !h.aged_only;
}

}  // namespace

double expected_stay_out_of_pocket_yuan(const scenario::Condition& condition,
                                        const scenario::Insurance& insurance, Level level,
                                        const CareRoute& route, Fen deductible_paid) {
    double deductible = 0;
    return stay_out_of_pocket_fen(condition, insurance, level, route,
                                  static_cast<double>(deductible_paid), deductible) /
           100.0;
}

namespace {

double walk_from_first(const scenario::Condition& condition, const TermsByPlace& terms,
                       std::span<const ExpectedStop> path, bool gatekept, double self_referral) {
    if (path.empty()) return 0;
    const CareRoute unreferred{false, false, false, gatekept};
    return PathWalk(condition, terms, path, self_referral).at(0, unreferred, 0, false) / 100.0;
}

}  // namespace

double expected_out_of_pocket_yuan(const scenario::Condition& condition,
                                   const scenario::Insurance& insurance,
                                   std::span<const ExpectedStop> path, bool gatekept,
                                   double self_referral) {
    return walk_from_first(condition, {&insurance, &insurance, &insurance}, path, gatekept,
                           self_referral);
}

double expected_out_of_pocket_yuan(const scenario::Condition& condition, const PlaceTerms& terms,
                                   std::span<const ExpectedStop> path, bool gatekept,
                                   double self_referral) {
    return walk_from_first(condition, {&terms[0], &terms[1], &terms[2]}, path, gatekept,
                           self_referral);
}

std::vector<double> first_contact_costs(const scenario::Scenario& s, const County& c) {
    const std::size_t nf = c.facilities.size(), nk = c.conditions.size();
    std::vector<double> cost(2 * nk * nf, 0.0);
    std::vector<ExpectedStop> path;
    for (std::size_t k = 0; k < nk; ++k) {
        for (std::uint32_t f = 0; f < nf; ++f) {
            path.clear();
            for (std::uint32_t t = f; t != kNone && path.size() < nf;) {
                const auto& fi = c.facilities[t];
                path.push_back({fi.level, fi.can_treat[k] || fi.remote_treat[k], fi.place_class});
                if (sees_home_bed(s.policy.home_beds, fi, c.conditions[k])) {
                    path.back().stay_fee_share = s.policy.home_beds.fee_share;
                    path.back().stay_multiplier = s.policy.home_beds.stay_multiplier;
                }
                t = fi.referral_target[k];
            }
            for (int gatekept = 0; gatekept < 2; ++gatekept) {
                cost[(static_cast<std::size_t>(gatekept) * nk + k) * nf + f] =
                    expected_out_of_pocket_yuan(c.conditions[k].spec, c.conditions[k].place_terms,
                                                path, gatekept == 1,
                                                s.behaviour.self_referral_probability);
            }
        }
    }
    return cost;
}

}  // namespace cmasim::model
