// The table of provider responses by payment mode and the rules that turn a scenario's policy into
// the multipliers the engine applies (docs/levers.md, "Providers that respond to payment", gives
// every value's source and how mixed the evidence is).
#include "cmasim/model/provider_response.h"

#include <array>

#include "cmasim/model/county.h"

namespace cmasim::model {

namespace {

using scenario::PaymentMode;

// One row per payment mode; a new mode (per-diem, DIP points) adds one row. Fee-for-service is
// the reference: every multiplier 1.
//                                admission  stay  out of county  down-referral
const std::array<ResponseRow, 5> kEvidenceTable{{
    {PaymentMode::FeeForService, {1.00, 1.00, 1.00, 1.00}, false},
    // DRG/DIP: stays shorter (Sanming −0.67 days; Anhui DRG and Guangzhou DIP: no change; one DIP
    // city +0.37 days), admissions and referrals as under fee-for-service (no county evidence).
    {PaymentMode::CaseBased, {1.00, 0.95, 1.00, 1.00}, false},
    // Alliance budget with surplus retention: fewer admissions (Shanghai hospital budget −10.4%,
    // county alliances' in-county admissions up: half way), stays a little shorter (Anhui −0.30
    // days), fewer transfers out (Guizhou RCT: direction only), more down-referrals (Luohu:
    // direction only).
    {PaymentMode::GlobalBudget, {0.95, 0.97, 0.90, 1.20}, true},
    // DIP points inside a global budget: paid per case as under case-based payment, so the same
    // row (the DIP cities above are in the case-based evidence). The floating point value also
    // rewards more points (more admissions) but no county evaluation sizes it: assumed 1.
    {PaymentMode::DipPoints, {1.00, 0.95, 1.00, 1.00}, false},
    // Per diem: every day is paid, so stays longer, as case-based payment's mirror image (theory
    // and Guangzhou's move from per diem to case rates for acute mental disorders: −14 days a
    // year; a Beijing psychiatric hospital's move to per diem: stays did not lengthen). Admissions
    // and referrals as under fee-for-service. The outpatient capitation responds through none
    // of the four (they are inpatient care): it moves money only.
    {PaymentMode::CapitationPerDiem, {1.00, 1.05, 1.00, 1.00}, false},
}};

double blend(double m, double retention) {
    return 1.0 + retention * (m - 1.0);
}

void replace(double& value, const std::optional<double>& given) {
    if (given) value = *given;
}

}  // namespace

const ResponseRow& evidence_row(PaymentMode mode) {
    for (const auto& row : kEvidenceTable) {
        if (row.mode == mode) return row;
    }
    return kEvidenceTable[0];  // every mode has a row (tests/test_provider_response.cpp)
}

ProviderResponse scaled_by_retention(const ProviderResponse& r, double retention) {
    return {blend(r.admission, retention), blend(r.length_of_stay, retention),
            blend(r.out_of_county_referral, retention), blend(r.down_referral, retention)};
}

ProviderResponse with_overrides(ProviderResponse r, const scenario::ResponseOverride& o) {
    replace(r.admission, o.admission);
    replace(r.length_of_stay, o.length_of_stay);
    replace(r.out_of_county_referral, o.out_of_county_referral);
    replace(r.down_referral, o.down_referral);
    return r;
}

ProviderResponse provider_response(const scenario::Policy& policy) {
    const PaymentMode mode = policy.payment.mode;
    if (policy.provider_response == scenario::ProviderResponseModel::None ||
        mode == PaymentMode::FeeForService) {
        return {};
    }
    const ResponseRow& row = evidence_row(mode);
    const ProviderResponse r = with_overrides(row.response, *policy.response_overrides.of(mode));
    return row.scales_with_retention ? scaled_by_retention(r, policy.payment.surplus_retention) : r;
}

const ProviderResponse& County::response_at(std::uint32_t facility, std::uint32_t condition) const {
    static const ProviderResponse kAsUnderFeeForService{};
    const FacilityInfo& f = facilities[facility];
    const int l = static_cast<int>(f.level);
    const auto& cond = conditions[condition];
    const bool paid_per_case =
        cond.case_rate[l] > 0 || cond.dip_points[l] > 0 || cond.per_diem[l] > 0;
    return responds(scenario.policy.payment.mode, f.alliance && f.in_county, paid_per_case)
               ? response
               : kAsUnderFeeForService;
}

}  // namespace cmasim::model
