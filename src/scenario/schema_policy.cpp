// The schema of the policy levers (docs/model.md §6) that are not insurance terms: provider
// payment, contract share, reserved capacity, stationed physicians, circuit clinics, facility
// changes (sub-centers, capacity, hours) and remote consultation.
#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

FieldBuilder<ProviderPayment> case_rates() {
    auto parse = [](const YAML::Node& n, ProviderPayment& p, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_money(x, r, doc); };
        read_condition_levels<Fen>(n, r, "a map of condition id: yuan per admission by level", 0,
                                   p.case_rates, one);
    };
    return FieldBuilder<ProviderPayment>("case_rates", "map of condition id to per-level money",
                                         "none", parse)
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
    }
    return "?";
}

/// A key given under a mode that does not use it would be dropped without a word: an error at
/// the key, naming the modes that use it (docs/levers.md, provider payment).
void check_unused_payment_keys(const YAML::Node& map, const ProviderPayment& p, Reader& r) {
    struct Use {
        const char* key;
        bool used;
        const char* modes;
    };
    const bool budget = p.mode == PaymentMode::GlobalBudget || p.mode == PaymentMode::DipPoints;
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
void check_payment_combination(const YAML::Node& map, const ProviderPayment& p, Reader& r) {
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
    if (p.mode != PaymentMode::DipPoints && !p.points.empty()) {
        r.error(map, "points are paid only under mode dip_points",
                "set mode: dip_points (with budget_per_resident), or remove points");
    }
}

const RecordSchema<ProviderPayment>& payment_schema() {
    using P = ProviderPayment;
    static const RecordSchema<P> schema{
        {one_of("mode", &P::mode,
                {{"fee_for_service", PaymentMode::FeeForService},
                 {"case_based", PaymentMode::CaseBased},
                 {"global_budget", PaymentMode::GlobalBudget},
                 {"dip_points", PaymentMode::DipPoints}})
             .describe("how the insurer pays the providers: per service, per admission "
                       "(case_rates), a yearly global budget for the alliance, or DIP/DRG "
                       "points inside a global budget (points; a point is worth the budget ÷ "
                       "the points earned, settled at the year end)"),
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
         case_rates().describe(
             "case_based: payment per admission by condition id and level, in yuan; a level "
             "not given (or 0) stays fee-for-service"),
         points().describe(
             "dip_points: points per admission by condition id and level (病种分值); a level "
             "not given (or 0) stays fee-for-service")},
        [](const YAML::Node& map, P& p, Reader& r) {
            if (map.IsMap()) check_payment_combination(map, p, r);
        }};
    return schema;
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
                       "condition")},
        {}};
    return schema;
}

bool any_override(const ResponseOverride& o) {
    return o.admission || o.length_of_stay || o.out_of_county_referral || o.down_referral;
}

/// Overrides of the response table mean nothing when the providers do not respond.
void check_response_overrides(const YAML::Node& map, Policy& p, Reader& r) {
    if (!map.IsMap() || p.provider_response != ProviderResponseModel::None) return;
    const auto& o = p.response_overrides;
    if (any_override(o.case_based) || any_override(o.global_budget) || any_override(o.dip_points)) {
        r.error(map, "provider_response_by_mode is set but provider_response is none",
                "remove provider_response_by_mode, or set provider_response: evidence");
    }
}

const RecordSchema<StationedPhysicians>& stationed_schema() {
    using S = StationedPhysicians;
    static const RecordSchema<S> schema{
        {integer("per_township", &S::per_township)
             .min(0)
             .max(1000)
             .describe("county doctors stationed at every township center, on top of its own"),
         text_list("also_treats", &S::also_treats)
             .describe("condition ids the stationed doctors let the township centers treat"),
         number("quality_bonus", &S::quality_bonus)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("added to the perceived quality of the township centers"),
         text("source", &S::source)
             .default_text("the lead hospital")
             .describe("facility id the stationed doctors come from; it loses them")},
        {}};
    return schema;
}

const RecordSchema<CircuitClinics>& circuit_schema() {
    using C = CircuitClinics;
    auto days = [](const YAML::Node& n, C& c, Reader& r, const SchemaKey&) {
        c.window.days = {};
        read_days(n, c.window, r);
    };
    auto clock_time = [](sim::SimTime OpeningWindow::*m) {
        return [m](const YAML::Node& n, C& c, Reader& r, const SchemaKey&) {
            if (auto v = read_time_of_day(n, r)) c.window.*m = *v;
        };
    };
    static const RecordSchema<C> schema{
        {flag("enabled", &C::enabled).describe("run circuit clinics"),
         level("level", &C::level, {Level::Village, Level::Township})
             .describe("the facilities that get the extra doctors: every one of this level"),
         FieldBuilder<C>("days", "days", "tue, fri", days)
             .describe("weekdays of the circuit: a list of mon..sun, daily or weekdays"),
         FieldBuilder<C>("from", "time of day", "09:00", clock_time(&OpeningWindow::from))
             .unit("HH:MM")
             .describe("start of the circuit's hours; the facility is open then even if its "
                       "own opening hours say otherwise"),
         FieldBuilder<C>("to", "time of day", "12:00", clock_time(&OpeningWindow::to))
             .unit("HH:MM")
             .describe("end of the circuit's hours"),
         integer("doctors", &C::doctors)
             .min(1)
             .max(1000)
             .describe("extra doctors at each facility during the circuit's hours"),
         text("source", &C::source)
             .default_text("the lead hospital")
             .describe("facility id whose doctors run the circuits, or home_township (each "
                       "clinic's township center); it loses the doctor-hours, rounded up to "
                       "whole doctors over its opening hours")},
        [](const YAML::Node& map, C& c, Reader& r) {
            if (map.IsMap() && c.window.from >= c.window.to) {
                r.error(map,
                        "the circuit starts at " + format_time_of_day(c.window.from) +
                            " but ends at " + format_time_of_day(c.window.to),
                        "'from' must be before 'to'");
            }
        }};
    return schema;
}

FieldBuilder<Policy> circuit_clinics() {
    auto parse = [](const YAML::Node& n, Policy& p, Reader& r, const SchemaKey&) {
        p.circuit.window = default_circuit_window();
        apply_record(circuit_schema(), n, p.circuit, r);
    };
    return FieldBuilder<Policy>("circuit_clinics", "record", "see its keys", parse)
        .shape(KeyShape::Record, circuit_schema().docs());
}

void finish_change(const YAML::Node& map, FacilityChange& ch, Reader& r) {
    ch.source = r.where(map);
    if (!map.IsMap()) return;
    const YAML::Node ids = map["facilities"];
    const bool has_ids = ids.IsDefined(), has_level = map["level"].IsDefined();
    if (has_ids && has_level) {
        r.error(map, "a facility change names either facilities or a level, not both",
                "split it into two changes");
    } else if (!has_ids && !has_level) {
        r.error(map, "a facility change needs facilities or a level",
                "e.g. {facilities: [center_t03], add_beds: 30} or {level: township, add_beds: 10}");
    } else if (has_ids && ids.IsSequence() && ids.size() == 0) {
        Reader::Scope scope(r, "facilities");
        r.error(ids, "no facilities listed", "list facility ids, or give a level instead");
    }
    if (ch.level && ch.sub_center.value_or(false) && *ch.level != Level::Township) {
        Reader::Scope scope(r, "sub_center");
        r.error(map["sub_center"],
                "only township facilities can become sub-centers, not " +
                    std::string(to_string(*ch.level)) + " ones",
                "use level: township");
    }
}

const RecordSchema<FacilityChange>& change_schema() {
    using F = FacilityChange;
    static const RecordSchema<F> schema{
        {text_list("facilities", &F::facilities)
             .describe("ids of the facilities to change (or give level)"),
         optional_level("level", &F::level,
                        {Level::Village, Level::Township, Level::County, Level::External})
             .describe("change every facility of this level (or give facilities)"),
         optional_flag("sub_center", &F::sub_center)
             .describe("upgrade to (true) or remove from (false) county sub-center status; "
                       "township facilities only"),
         integer("add_doctors", &F::add_doctors)
             .min(0)
             .max(10000)
             .describe("outpatient doctors added to each facility"),
         integer("add_beds", &F::add_beds)
             .min(0)
             .max(100000)
             .describe("inpatient beds added to each facility"),
         optional_number("quality", &F::quality)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .default_text("none (unchanged)")
             .describe("new perceived quality of each facility"),
         text_list("also_treats", &F::also_treats)
             .describe("condition ids each facility treats from now on, added to its own"),
         optional_opening("opening", &F::opening).describe("new opening hours of each facility")},
        finish_change};
    return schema;
}

const RecordSchema<RemoteConsultation>& remote_schema() {
    using R = RemoteConsultation;
    static const RecordSchema<R> schema{
        {text_list("conditions", &R::conditions)
             .describe("condition ids treated after a remote consultation instead of being "
                       "referred up"),
         level_list("levels", &R::levels, {Level::Village, Level::Township, Level::County})
             .describe("levels whose facilities use remote consultation"),
         number("delay_minutes", &R::delay_minutes)
             .min(0)
             .max(kMaxMinutes)
             .unit("minutes")
             .describe("time from the request to the remote consultation")},
        {}};
    return schema;
}

}  // namespace

OpeningWindow default_circuit_window() {
    OpeningWindow w;
    w.days[1] = w.days[4] = true;
    w.from = 9 * sim::kHour;
    w.to = 12 * sim::kHour;
    return w;
}

const RecordSchema<Policy>& policy_schema() {
    using P = Policy;
    static const RecordSchema<P> schema{
        {record("payment", &P::payment, payment_schema())
             .describe("how the insurer pays providers"),
         one_of(
             "provider_response", &P::provider_response,
             {{"evidence", ProviderResponseModel::Evidence}, {"none", ProviderResponseModel::None}})
             .describe("whether the providers' care responds to how they are paid: the "
                       "evidence table of docs/levers.md (admissions, stays, transfers out of "
                       "the county, down-referrals by payment mode), or none (payment moves "
                       "money only)"),
         record("provider_response_by_mode", &P::response_overrides, response_overrides_schema())
             .describe("the scenario's own response multipliers, per payment mode, replacing "
                       "the evidence table's (provider_response: evidence)"),
         optional_number("contract_share", &P::contract_share)
             .min(0)
             .max(1)
             .default_text("none (each village's own)")
             .describe("share of residents with a family-doctor contract, in every village "
                       "(replaces the villages' and the synthetic county's contract_share)"),
         number("reserved_share", &P::reserved_share)
             .min(0)
             .max(0.9)
             .describe("share of doctors and beds at the reserved_levels kept for referred "
                       "patients"),
         level_list("reserved_levels", &P::reserved_levels,
                    {Level::Township, Level::County, Level::External})
             .describe("levels whose facilities keep the reserved_share for referred patients"),
         one_of("reserved_for", &P::reserved_for,
                {{"contracted_referrals", ReservedFor::ContractedReferrals},
                 {"any_referral", ReservedFor::AnyReferral}})
             .describe("who may use the reserved capacity and queue with the referred: "
                       "residents their own family doctor referred up (contracted_referrals, "
                       "as 云南 (十一) reserves it), or every referred patient"),
         record("stationed_physicians", &P::stationed, stationed_schema())
             .describe("county physicians stationed at township centers"),
         circuit_clinics().describe(
             "extra doctor-hours on set weekdays at every facility of a level (village circuit "
             "clinics)"),
         records("facility_changes", &P::changes, change_schema())
             .describe("changes to listed facilities or to every facility of a level, applied "
                       "after a synthetic county is generated: sub-center upgrades, doctors, "
                       "beds, quality, capabilities, opening hours"),
         record("remote_consultation", &P::remote, remote_schema())
             .describe("facilities of some levels treat some conditions after a remote "
                       "consultation instead of referring them up"),
         record("chronic_management", &P::chronic, chronic_schema())
             .describe("chronic patients managed by their family doctor (慢病管理): fewer "
                       "acute episodes, scheduled grassroots follow-ups"),
         record("medicine_list", &P::medicines, medicine_schema())
             .describe("which level has which condition's medicines (用药目录衔接)"),
         record("emergency_pathway", &P::emergency, emergency_schema())
             .describe("emergency pathways (急诊急救, 胸痛/卒中/创伤中心): ambulances, centers "
                       "and the time from onset to treatment")},
        check_response_overrides};
    return schema;
}

}  // namespace cmasim::scenario::detail
