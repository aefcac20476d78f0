// The schema of the reform measures on chronic care, medicines and emergencies (docs/levers.md):
// chronic-disease management by the family doctor, the medicine lists by level and the emergency
// pathways.
#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

void finish_chronic(const YAML::Node& map, ChronicManagement& c, Reader& r) {
    if (!map.IsMap() || c.managed_share <= 0) return;
    if (c.follow_ups_per_year > 0 && c.condition.empty()) {
        r.error(map, "managed residents' scheduled follow-ups need the condition they are for",
                "e.g. condition: chronic (or follow_ups_per_year: 0)");
    }
}

FieldBuilder<MedicineList> availability() {
    auto parse = [](const YAML::Node& n, MedicineList& m, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_number(x, r, doc); };
        read_condition_levels<double>(n, r, "a map of condition id: share by level", 1.0,
                                      m.availability, one);
    };
    return FieldBuilder<MedicineList>("availability", "map of condition id to per-level number",
                                      "none (every medicine everywhere)", parse)
        .numeric()
        .min(0)
        .max(1);
}

void finish_emergency(const YAML::Node& map, EmergencyPathway& e, Reader& r) {
    if (!map.IsMap() || !e.conditions.empty()) return;
    if (!e.centers.empty() || e.ambulance_share > 0) {
        r.error(map, "an emergency pathway needs the conditions it is for",
                "e.g. conditions: [serious] (the conditions whose emergencies it covers)");
    }
}

void finish_home_beds(const YAML::Node& map, HomeBeds& h, Reader& r) {
    if (!map.IsMap() || h.slots_per_center <= 0) return;
    if (h.conditions.empty()) {
        r.error(map, "home beds need the conditions they may take",
                "e.g. conditions: [chronic] (or slots_per_center: 0 for none)");
    }
    if (h.facilities.empty() && !h.all_townships) {
        r.error(map, "home beds need the township centers that open them",
                "list them in facilities: [...] or set all_townships: true");
    }
    if (!h.facilities.empty() && h.all_townships) {
        r.error(map, "home beds name their facilities and also all_townships",
                "keep one: facilities: [...] or all_townships: true");
    }
}

}  // namespace

const RecordSchema<HomeBeds>& home_beds_schema() {
    using H = HomeBeds;
    static const RecordSchema<H> schema{
        {text_list("facilities", &H::facilities)
             .describe("township facility ids that open home beds (家庭病床)"),
         flag("all_townships", &H::all_townships)
             .describe("every township center opens home beds (instead of facilities)"),
         integer("slots_per_center", &H::slots_per_center)
             .min(0)
             .max(10000)
             .describe("home beds of each such center (patients it can care for at home at "
                       "once); 0 = no home beds"),
         text_list("conditions", &H::conditions)
             .describe("condition ids an admission of which may take a home bed (daytime, "
                       "not emergency, episodes)"),
         flag("contracted_only", &H::contracted_only)
             .describe("only residents with a family-doctor contract get a home bed (以家庭医生"
                       "签约服务为抓手)"),
         flag("aged_only", &H::aged_only).describe("only aged residents get a home bed"),
         number("stay_multiplier", &H::stay_multiplier)
             .min(0.1)
             .max(10)
             .describe("a home-bed stay lasts this times the condition's township stay"),
         number("fee_share", &H::fee_share)
             .min(0)
             .max(1)
             .describe("a home-bed stay is billed this share of the township inpatient fee "
                       "(per stay and per day), reimbursed as township inpatient care"),
         number("visits_per_week", &H::visits_per_week)
             .min(0)
             .max(14)
             .describe("home visits by the center's doctors per home-bed patient per week"),
         number("visit_hours", &H::visit_hours)
             .min(0)
             .max(12)
             .describe("doctor-hours one home visit takes from the center's outpatient desk "
                       "(travel included)")},
        finish_home_beds};
    return schema;
}

const RecordSchema<EmergencyPathway>& emergency_schema() {
    using E = EmergencyPathway;
    static const RecordSchema<E> schema{
        {text_list("conditions", &E::conditions)
             .describe("condition ids whose emergency episodes take the pathway (chest pain, "
                       "stroke, trauma); empty = no pathway"),
         text_list("centers", &E::centers)
             .describe("facility ids with a center (胸痛中心, 卒中中心, 创伤中心): an ambulance "
                       "takes its patient to the nearest one, and treatment there starts "
                       "center_door_to_treatment_minutes after arrival"),
         number("ambulance_share", &E::ambulance_share)
             .min(0)
             .max(1)
             .describe("share of the pathway's emergencies that call an ambulance (120); the "
                       "others come by their own means to the facility they choose"),
         number("ambulance_dispatch_minutes", &E::ambulance_dispatch_minutes)
             .min(0)
             .max(24 * 60)
             .describe("minutes from the call until the ambulance sets off with the patient, "
                       "added to every ambulance trip (first contact and transfers up)"),
         number("ambulance_speed_factor", &E::ambulance_speed_factor)
             .min(0.1)
             .max(10)
             .describe("an ambulance trip takes the road minutes divided by this"),
         number("center_door_to_treatment_minutes", &E::center_door_to_treatment_minutes)
             .min(0)
             .max(24 * 60)
             .describe("minutes from the start of the emergency consultation to treatment at "
                       "a center (门-针时间 / 门-球时间)"),
         number("door_to_treatment_minutes", &E::door_to_treatment_minutes)
             .min(0)
             .max(24 * 60)
             .describe("the same at a facility without a center that treats the condition"),
         number("threshold_minutes", &E::threshold_minutes)
             .min(1)
             .max(7 * 24 * 60)
             .describe("onset to treatment counted as in time (time_to_treatment_within)")},
        finish_emergency};
    return schema;
}

const RecordSchema<ChronicManagement>& chronic_schema() {
    using C = ChronicManagement;
    static const RecordSchema<C> schema{
        {number("managed_share", &C::managed_share)
             .min(0)
             .max(1)
             .describe("share of all residents who are chronic patients managed by their family "
                       "doctor (prevalence x management coverage); 0 = no management"),
         text("condition", &C::condition)
             .describe("condition id of the managed residents' scheduled follow-ups (billed as "
                       "an outpatient visit of it at the family doctor's facility)"),
         text_list("acute_conditions", &C::acute_conditions)
             .describe("condition ids whose episodes (daytime and emergency) a managed resident "
                       "has at acute_rate_multiplier times the rate"),
         number("acute_rate_multiplier", &C::acute_rate_multiplier)
             .min(0)
             .max(1)
             .describe("rate of the acute conditions' episodes of a managed resident, relative "
                       "to an unmanaged one (docs/model.md, chronic-disease management)"),
         number("follow_ups_per_year", &C::follow_ups_per_year)
             .min(0)
             .max(52)
             .describe("scheduled follow-up visits per managed resident per year (the national "
                       "basic public health service asks for at least 4)")},
        finish_chronic};
    return schema;
}

const RecordSchema<MedicineList>& medicine_schema() {
    static const RecordSchema<MedicineList> schema{
        {availability().describe(
            "per condition id and level, the share of the condition's patients whose medicine "
            "the level's facilities have on their list; a patient whose medicine is missing is "
            "referred up as if the facility could not treat the condition; a level not given "
            "has every medicine")},
        {}};
    return schema;
}

}  // namespace cmasim::scenario::detail
