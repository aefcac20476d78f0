// Providers that respond to how they are paid (docs/model.md §5, docs/levers.md lever 4): the
// alliance's admission propensity, length of stay, transfers out of the county and down-referrals
// as multipliers relative to fee-for-service, one row per payment mode. Each rule is a small pure
// function, tabled in tests/test_provider_response.cpp. A response only moves a threshold or
// scales a sampled value: it never draws, so common random numbers between payment modes hold.
#pragma once

#include <algorithm>

#include "cmasim/scenario/spec.h"

namespace cmasim::model {

/// Multipliers relative to fee-for-service; all 1 = care as under fee-for-service.
struct ProviderResponse {
    double admission = 1;               ///< × the condition's admission probability
    double length_of_stay = 1;          ///< × each sampled length of stay
    double out_of_county_referral = 1;  ///< × the probability of a transfer out of the county
    double down_referral = 1;           ///< × the probability of a down-referral after a stay

    bool operator==(const ProviderResponse&) const = default;
};

/// One row of the evidence table: a payment mode's responses at full strength, and whether they
/// scale with the share of a surplus the alliance keeps.
struct ResponseRow {
    scenario::PaymentMode mode;
    ProviderResponse response;
    bool scales_with_retention;
};

/// The evidence table's row for a payment mode (docs/levers.md gives each value's source).
const ResponseRow& evidence_row(scenario::PaymentMode mode);

/// The rule for a global budget: a multiplier m at full retention becomes 1 + retention × (m − 1),
/// so an alliance that keeps none of a surplus behaves as under fee-for-service and one that keeps
/// all of it responds fully.
ProviderResponse scaled_by_retention(const ProviderResponse& r, double retention);

/// The scenario's overrides replace the table's values one by one.
ProviderResponse with_overrides(ProviderResponse r, const scenario::ResponseOverride& o);

/// The responses a scenario's policy sets: all 1 under `provider_response: none` or
/// fee-for-service; else the mode's row with the scenario's overrides, scaled by retention
/// where the row says so.
ProviderResponse provider_response(const scenario::Policy& policy);

/// Does a facility's care for a condition respond? Under a global budget, the alliance's
/// facilities (the budget holder); under case-based payment, DIP points or per diem, any facility
/// paid a case rate, points or a per-diem rate for the condition at its level (a level without
/// them stays fee-for-service); never otherwise.
inline bool responds(scenario::PaymentMode mode, bool alliance, bool paid_per_case) {
    switch (mode) {
        case scenario::PaymentMode::GlobalBudget:
            return alliance;
        case scenario::PaymentMode::CaseBased:
        case scenario::PaymentMode::DipPoints:
        case scenario::PaymentMode::CapitationPerDiem:
            return paid_per_case;
        case scenario::PaymentMode::FeeForService:
            return false;
    }
    return false;
}

/// A probability under a response: the same uniform draw is compared with this threshold, so a
/// patient's outcome changes only where the draw falls between the two thresholds.
inline double scaled_probability(double p, double multiplier) {
    return std::clamp(p * multiplier, 0.0, 1.0);
}

}  // namespace cmasim::model
