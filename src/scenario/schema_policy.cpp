// The schema of the policy levers (docs/model.md §6) that are not insurance terms nor provider
// payment (schema_payment.cpp): contract share, reserved capacity, stationed physicians, circuit
// clinics, facility changes (sub-centers, capacity, hours), remote consultation and exam centers.
#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

void finish_policy(const YAML::Node& map, Policy& p, Reader& r) {
    check_response_overrides(map, p, r);
    check_exams(map, p, r);
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
                       "and the time from onset to treatment"),
         records("exam_centers", &P::exam_centers, exam_center_schema())
             .describe("shared exam centers (基层检查、上级诊断、结果互认): capacity, fee, "
                       "turnaround, reads kept for referred patients, recognition of results"),
         records("exams", &P::exams, exam_need_schema())
             .describe("conditions whose diagnosis needs an exam (lab, imaging, ecg) before the "
                       "decision; empty = no exams modelled"),
         record("home_beds", &P::home_beds, home_beds_schema())
             .describe("home beds at township centers (家庭病床): eligible admissions cared for "
                       "at home, visited by the center's doctors")},
        finish_policy};
    return schema;
}

}  // namespace cmasim::scenario::detail
