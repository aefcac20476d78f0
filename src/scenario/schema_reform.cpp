// The schema of the reform measures on chronic care and medicines (docs/levers.md): chronic-disease
// management by the family doctor and the medicine lists by level.
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

}  // namespace

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
