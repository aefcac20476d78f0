// What a patient expects to pay for an episode that starts at a facility, as patients perceive
// it when choosing (docs/model.md §4): the path the episode would take from there, priced by the
// insurance rules of insurance.h. A small pure function, table-tested in
// tests/test_expected_cost.cpp.
#pragma once

#include <span>
#include <vector>

#include "cmasim/model/insurance.h"

namespace cmasim::model {

/// One facility on the expected path: the first contact, then its referral chain for the
/// condition (each stop the rules' target of the one before).
struct ExpectedStop {
    Level level = Level::Village;
    bool treats = false;  ///< treats the condition (itself, or after a remote consultation)
    /// Where the stop stands: an external hospital is priced by its place class's terms.
    scenario::PlaceClass place = scenario::PlaceClass::InPrefecture;
    /// A stay here in a home bed (policy.home_beds): this share of the fee, the stay this many
    /// times as long; 1 and 1 for a ward bed.
    double stay_fee_share = 1;
    double stay_multiplier = 1;
};

/// Expected out-of-pocket cost (yuan) of an episode whose first contact is path[0], as
/// unreferred care (the gatekeeping penalty when `gatekept`), ignoring caps:
/// - the consultation there;
/// - a stop that cannot treat refers to the next stop (with `self_referral` the patient goes
///   there on their own, as unreferred care), where the same follows; with no next stop the
///   patient leaves;
/// - a stop that treats admits with the condition's probability at its level (the deductible,
///   the rest at the inpatient ratio, over the mean stay) and otherwise gives the follow-up
///   visits; after a stay, the transfer up to the next stop (admitted there, with the continuous
///   deductible) or the down-referral home (its visits, and a rehabilitation stay with the
///   down-referral waiver).
double expected_out_of_pocket_yuan(const scenario::Condition& condition,
                                   const scenario::Insurance& insurance,
                                   std::span<const ExpectedStop> path, bool gatekept,
                                   double self_referral);

/// The same with the condition's terms at each place class (cover_terms): a stop at an external
/// hospital is priced by its class's terms, so a lower out-of-province ratio makes a first
/// contact whose path ends there dearer.
double expected_out_of_pocket_yuan(const scenario::Condition& condition, const PlaceTerms& terms,
                                   std::span<const ExpectedStop> path, bool gatekept,
                                   double self_referral);

/// Expected out-of-pocket cost (yuan) of one stay of mean length at `level` for a patient who
/// arrives by `route` and has paid `deductible_paid` fen of deductibles in the episode: the
/// deductible due, then the rest at the inpatient ratio, ignoring caps. What a patient weighs
/// when deciding whether to accept an advised admission (docs/model.md §4).
double expected_stay_out_of_pocket_yuan(const scenario::Condition& condition,
                                        const scenario::Insurance& insurance, Level level,
                                        const CareRoute& route, Fen deductible_paid);

struct County;

/// Expected out-of-pocket cost (yuan) of a first contact at every facility of a compiled county,
/// as the choice sees it, laid out [gatekept][condition][facility]: the path is the facility and
/// the referral chain the condition follows from it, so a facility that cannot treat a condition
/// costs the referral and what follows (docs/model.md §4). Also what `cmasim.expected_costs()`
/// shows (tools/anchor_choice.py anchors the choice constants on it).
std::vector<double> first_contact_costs(const scenario::Scenario& s, const County& c);

}  // namespace cmasim::model
