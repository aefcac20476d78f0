// The schema of provider payment (docs/levers.md lever 4): the payment modes with their keys and
// which combinations the model honours, and the providers' responses by mode.
#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

/// A map of condition id to yuan by level (case rates per admission, per-diem rates per bed-day).
FieldBuilder<ProviderPayment> condition_money(
    const char* key, std::vector<std::pair<std::string, PerLevel<Fen>>> ProviderPayment::*member,
    const char* what) {
    auto parse = [member, what](const YAML::Node& n, ProviderPayment& p, Reader& r,
                                const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_money(x, r, doc); };
        read_condition_levels<Fen>(n, r, what, 0, p.*member, one);
    };
    return FieldBuilder<ProviderPayment>(key, "map of condition id to per-level money", "none",
                                         parse)
        .numeric()
        .unit("yuan")
        .min(0)
        .max(kMaxChargeYuan);
}

FieldBuilder<ProviderPayment> points() {
    auto parse = [](const YAML::Node& n, ProviderPayment& p, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_number(x, r, doc); };
        read_condition_levels<double>(n, r, "a map of condition id: points per admission by level",
                                      0, p.points, one);
    };
    return FieldBuilder<ProviderPayment>("points", "map of condition id to per-level numbers",
                                         "none", parse)
        .numeric()
        .unit("points")
        .min(0)
        .max(1000000);
}

const char* mode_name(PaymentMode mode) {
    switch (mode) {
        case PaymentMode::FeeForService:
            return "fee_for_service";
        case PaymentMode::CaseBased:
            return "case_based";
        case PaymentMode::GlobalBudget:
            return "global_budget";
        case PaymentMode::DipPoints:
            return "dip_points";
        case PaymentMode::CapitationPerDiem:
            return "capitation_per_diem";
    }
    return "?";
}

/// A key given under a mode that does not use it would be dropped without a word: an error at
/// the key, naming the modes that use it (docs/levers.md, provider payment). A budget under
/// capitation_per_diem gets that mode's own message (check_capitation_per_diem).
void check_unused_payment_keys(const YAML::Node& map, const ProviderPayment& p, Reader& r) {
    struct Use {
        const char* key;
        bool used;
        const char* modes;
    };
    const bool budget = p.mode == PaymentMode::GlobalBudget || p.mode == PaymentMode::DipPoints ||
                        p.mode == PaymentMode::CapitationPerDiem;
    const Use uses[] = {
        {"budget_per_resident", budget, "global_budget and dip_points"},
        {"surplus_retention", p.mode == PaymentMode::GlobalBudget, "global_budget"},
        {"deficit_share", p.mode == PaymentMode::GlobalBudget, "global_budget"},
    };
    for (const Use& u : uses) {
        const YAML::Node given = map[u.key];
        if (u.used || !given || given.IsNull()) continue;
        r.error(given,
                std::string(u.key) + " is used only under mode " + u.modes + ", not under mode " +
                    mode_name(p.mode),
                std::string("remove ") + u.key + " (with --set or in a timeline: policy.payment." +
                    u.key + "=~) or choose a mode that uses it");
    }
}

/// A mode without what it needs, or a key the mode does not use, is an error: the model never
/// drops a payment term silently.
void check_budget_modes(const YAML::Node& map, const ProviderPayment& p, Reader& r) {
    check_unused_payment_keys(map, p, r);
    if (p.mode == PaymentMode::GlobalBudget && p.budget_per_resident <= 0) {
        r.error(map, "mode global_budget needs budget_per_resident above 0",
                "e.g. budget_per_resident: 1100 (yuan per insured resident per year)");
    }
    if (p.mode == PaymentMode::CaseBased && p.case_rates.empty()) {
        r.error(map, "mode case_based needs case_rates",
                "e.g. case_rates: {serious: {county: 8000}}");
    }
    if (p.mode != PaymentMode::CaseBased && !p.case_rates.empty()) {
        r.error(map, "case_rates are paid only under mode case_based",
                "set mode: case_based, or for DIP/DRG points inside a global budget use "
                "mode: dip_points with points and budget_per_resident");
    }
    if (p.mode == PaymentMode::DipPoints && (p.points.empty() || p.budget_per_resident <= 0)) {
        r.error(map, "mode dip_points needs points and budget_per_resident above 0",
                "e.g. points: {serious: {county: 80}}, budget_per_resident: 300");
    }
    if (p.mode != PaymentMode::GlobalBudget && p.invest.share > 0) {
        r.error(map, "invest spends a retained surplus, which only mode global_budget has",
                "set mode: global_budget (with budget_per_resident), or remove invest");
    }
    if (p.mode != PaymentMode::DipPoints && !p.points.empty()) {
        r.error(map, "points are paid only under mode dip_points",
                "set mode: dip_points (with budget_per_resident), or remove points");
    }
}

/// Capitation and per-diem rates are this mode's alone; a global budget paying the same
/// outpatient fees a second time, or a per-diem rate beside a case rate, cannot both hold.
void check_capitation_per_diem(const YAML::Node& map, const ProviderPayment& p, Reader& r) {
    const bool mode = p.mode == PaymentMode::CapitationPerDiem;
    if (mode && p.capitation_per_resident <= 0 && p.per_diem.empty()) {
        r.error(map, "mode capitation_per_diem needs capitation_per_resident above 0 or per_diem",
                "e.g. capitation_per_resident: 120, per_diem: {chronic: {township: 260}}");
    }
    if (mode && p.budget_per_resident > 0) {
        r.error(map, "budget_per_resident is not used under mode capitation_per_diem",
                "the outpatient capitation is capitation_per_resident; for a budget of the "
                "whole alliance use mode: global_budget");
    }
    if (!mode && p.capitation_per_resident > 0) {
        r.error(map, "capitation_per_resident is paid only under mode capitation_per_diem",
                "set mode: capitation_per_diem, or remove capitation_per_resident");
    }
    if (!mode && !p.per_diem.empty()) {
        r.error(map, "per_diem is paid only under mode capitation_per_diem",
                "set mode: capitation_per_diem, or remove per_diem");
    }
}

const RecordSchema<ResponseOverride>& response_override_schema() {
    using R = ResponseOverride;
    static const RecordSchema<R> schema{
        {optional_number("admission", &R::admission)
             .min(0.05)
             .max(5)
             .default_text("the table's")
             .describe("× the admission probability at the responding facilities (relative to "
                       "fee-for-service; the result is capped at 1)"),
         optional_number("length_of_stay", &R::length_of_stay)
             .min(0.05)
             .max(5)
             .default_text("the table's")
             .describe("× every sampled length of stay at the responding facilities"),
         optional_number("out_of_county_referral", &R::out_of_county_referral)
             .min(0.05)
             .max(5)
             .default_text("the table's")
             .describe("× the probability that a responding facility transfers an inpatient to "
                       "a facility outside the county after a stay"),
         optional_number("down_referral", &R::down_referral)
             .min(0.05)
             .max(5)
             .default_text("the table's")
             .describe("× the probability that a responding facility refers a discharged "
                       "patient down to the home clinic or township center")},
        {}};
    return schema;
}

const RecordSchema<SurplusInvestment>& invest_schema() {
    using I = SurplusInvestment;
    static const RecordSchema<I> schema{
        {number("share", &I::share)
             .min(0)
             .max(1)
             .describe("share of a year's retained surplus that buys doctors and beds for the "
                       "next insurance year (0 = none)"),
         number("doctor_share", &I::doctor_share)
             .min(0)
             .max(1)
             .describe("of that amount, the share spent on doctors; the rest buys beds"),
         money("doctor_yuan_per_year", &I::doctor_cost)
             .min(1000)
             .max(10000000)
             .describe("yearly cost of one doctor (assumed: about the national urban average "
                       "wage with employer contributions)"),
         money("bed_yuan_per_year", &I::bed_cost)
             .min(1000)
             .max(10000000)
             .describe("yearly cost of one bed (derived: a township bed-day's 317.5 yuan x 365 x "
                       "55% occupancy)"),
         text_list("facilities", &I::facilities)
             .describe("ids of the county's alliance facilities that get the capacity; the "
                       "amount is split equally among them")},
        [](const YAML::Node& map, I& i, Reader& r) {
            if (map.IsMap() && i.share > 0 && i.facilities.empty()) {
                r.error(map, "invest has a share but no facilities",
                        "e.g. facilities: [county_hospital], or share: 0");
            }
        }};
    return schema;
}

}  // namespace

bool any_override(const ResponseOverride& o) {
    return o.admission || o.length_of_stay || o.out_of_county_referral || o.down_referral;
}

const RecordSchema<ProviderPayment>& payment_schema() {
    using P = ProviderPayment;
    static const RecordSchema<P> schema{
        {one_of("mode", &P::mode,
                {{"fee_for_service", PaymentMode::FeeForService},
                 {"case_based", PaymentMode::CaseBased},
                 {"global_budget", PaymentMode::GlobalBudget},
                 {"dip_points", PaymentMode::DipPoints},
                 {"capitation_per_diem", PaymentMode::CapitationPerDiem}})
             .describe("how the insurer pays the providers: per service, per admission "
                       "(case_rates), a yearly global budget for the alliance, DIP/DRG "
                       "points inside a global budget (points; a point is worth the budget ÷ "
                       "the points earned, settled at the year end), or the grassroots' "
                       "outpatient care per resident and admissions per bed-day "
                       "(capitation_per_resident, per_diem)"),
         money("budget_per_resident", &P::budget_per_resident)
             .min(0)
             .max(1000000)
             .describe("per insured resident per year: the alliance's global budget "
                       "(global_budget), or the budget the points share (dip_points); an error "
                       "under the other modes"),
         number("surplus_retention", &P::surplus_retention)
             .min(0)
             .max(1)
             .describe(
                 "global_budget only: share of a budget surplus the alliance keeps (结余留用)"),
         number("deficit_share", &P::deficit_share)
             .min(0)
             .max(1)
             .describe("global_budget only: share of a budget deficit the alliance bears "
                       "(合理超支分担)"),
         condition_money("case_rates", &P::case_rates,
                         "a map of condition id: yuan per admission by level")
             .describe("case_based: payment per admission by condition id and level, in yuan; "
                       "a level not given (or 0) stays fee-for-service"),
         record("invest", &P::invest, invest_schema())
             .describe("global_budget: a year's retained surplus buys doctors and beds for the "
                       "next year (docs/model.md, capacity bought with a retained surplus)"),
         points().describe(
             "dip_points: points per admission by condition id and level (病种分值); a level "
             "not given (or 0) stays fee-for-service"),
         money("capitation_per_resident", &P::capitation_per_resident)
             .min(0)
             .max(100000)
             .describe("capitation_per_diem: yuan per insured resident per year paid to the "
                       "alliance's village clinics and township centers in the county for "
                       "their outpatient care (按人头付费), in place of the fund's share of its "
                       "fees, settled per insurance year; 0 = those visits stay "
                       "fee-for-service"),
         condition_money("per_diem", &P::per_diem,
                         "a map of condition id: yuan per bed-day by level")
             .describe("capitation_per_diem: payment per bed-day by condition id and level, in "
                       "yuan (按床日付费); a level not given (or 0) stays fee-for-service")},
        [](const YAML::Node& map, P& p, Reader& r) {
            if (!map.IsMap()) return;
            check_budget_modes(map, p, r);
            check_capitation_per_diem(map, p, r);
        }};
    return schema;
}

const RecordSchema<ResponseOverrides>& response_overrides_schema() {
    using R = ResponseOverrides;
    static const RecordSchema<R> schema{
        {record("case_based", &R::case_based, response_override_schema())
             .describe("responses under case-based payment (DRG/DIP), at facilities paid a "
                       "case rate for the condition"),
         record("global_budget", &R::global_budget, response_override_schema())
             .describe("responses under a global budget at full surplus retention, at the "
                       "alliance's facilities; scaled by surplus_retention"),
         record("dip_points", &R::dip_points, response_override_schema())
             .describe("responses under DIP/DRG points, at facilities earning points for the "
                       "condition"),
         record("capitation_per_diem", &R::capitation_per_diem, response_override_schema())
             .describe("responses under capitation_per_diem, at facilities paid per bed-day "
                       "for the condition (the outpatient capitation has none)")},
        {}};
    return schema;
}

/// Overrides of the response table mean nothing when the providers do not respond.
void check_response_overrides(const YAML::Node& map, Policy& p, Reader& r) {
    if (!map.IsMap() || p.provider_response != ProviderResponseModel::None) return;
    if (p.response_overrides != ResponseOverrides{}) {
        r.error(map, "provider_response_by_mode is set but provider_response is none",
                "remove provider_response_by_mode, or set provider_response: evidence");
    }
}

}  // namespace cmasim::scenario::detail
