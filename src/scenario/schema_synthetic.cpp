// The schema of the synthetic county and of a village's hamlets (its internal spread, which the
// access indicators count: docs/model.md §2).
#include "fields.h"
#include "limits.h"
#include "schemas.h"

#include <cmath>

namespace cmasim::scenario::detail {

namespace {
const RecordSchema<FacilityTemplate>& template_schema() {
    using F = FacilityTemplate;
    static const RecordSchema<F> schema{
        {text("name_prefix", &F::name_prefix).describe("start of each generated facility's name"),
         number("doctors_per_1000", &F::doctors_per_1000)
             .min(0)
             .max(1000)
             .unit("per 1,000 residents")
             .describe("doctors per 1,000 residents served, rounded, at least min_doctors"),
         integer("min_doctors", &F::min_doctors)
             .min(0)
             .max(10000)
             .describe("fewest doctors a generated facility gets"),
         number("beds_per_1000", &F::beds_per_1000)
             .min(0)
             .max(1000)
             .unit("per 1,000 residents")
             .describe("beds per 1,000 residents served, rounded"),
         opening("opening", &F::opening).describe("when doctors see patients"),
         number("quality", &F::quality)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("perceived quality of each generated facility"),
         number("constant", &F::constant)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("choice constant of each generated facility"),
         flag("emergency", &F::emergency)
             .describe("each generated facility has an emergency service")},
        {}};
    return schema;
}

void finish_synthetic(const YAML::Node& map, SyntheticCounty& c, Reader& r) {
    if (c.villages < c.townships && map["villages"].IsDefined()) {
        Reader::Scope scope(r, "villages");
        r.error(map["villages"],
                "fewer villages (" + std::to_string(c.villages) + ") than townships (" +
                    std::to_string(c.townships) + ")",
                "every township needs at least one village");
    }
}
}  // namespace

const RecordSchema<SyntheticCounty>& synthetic_schema() {
    using C = SyntheticCounty;
    static const RecordSchema<C> schema{
        {seed("seed", &C::seed)
             .describe("seed of the generator; the same seed gives the same county"),
         integer("townships", &C::townships).min(1).max(200).describe("number of townships"),
         integer("villages", &C::villages)
             .min(1)
             .max(static_cast<double>(kMaxVillages))
             .describe("number of villages, at least one per township"),
         integer("population", &C::population)
             .above(0)
             .max(static_cast<double>(kMaxPopulation))
             .unit("persons")
             .describe("total resident population, shared among the villages"),
         number("area_km2", &C::area_km2)
             .above(0)
             .max(kMaxAreaKm2)
             .unit("km²")
             .describe("land area of the county"),
         number("aged_share", &C::aged_share).min(0).max(1).describe("share aged 65 or more"),
         number("contract_share", &C::contract_share)
             .min(0)
             .max(1)
             .describe("share with a family-doctor contract"),
         number("village_size_cv", &C::village_size_cv)
             .min(0)
             .max(10)
             .describe("coefficient of variation of village populations"),
         number("road_speed_kmh", &C::road_speed_kmh)
             .min(1)
             .max(200)
             .unit("km/h")
             .describe("average travel speed on roads"),
         number("road_winding", &C::road_winding)
             .min(1)
             .max(10)
             .describe("road distance divided by straight-line distance"),
         number("city_minutes", &C::city_minutes)
             .above(0)
             .max(kMaxMinutes)
             .unit("minutes")
             .describe("travel time from the county seat to the external city"),
         integer("hamlets_per_village", &C::hamlets_per_village)
             .min(0)
             .max(50)
             .describe("hamlets of each village, equal parts of its residents scattered over its "
                       "land (the county's area shared by population) for the access indicators; "
                       "0: everyone at the village's centre"),
         number("in_village_speed_kmh", &C::in_village_speed_kmh)
             .min(1)
             .max(200)
             .unit("km/h")
             .describe("travel speed from a hamlet to its village's centre"),
         record("village_clinic", &C::village_clinic, template_schema())
             .describe("template for the clinic generated in each village"),
         record("township_center", &C::township_center, template_schema())
             .describe("template for the health center generated in each township")},
        finish_synthetic};
    return schema;
}

const RecordSchema<Hamlet>& hamlet_schema() {
    static const RecordSchema<Hamlet> schema{
        {number("share", &Hamlet::share)
             .required()
             .above(0)
             .max(1)
             .describe("share of the village's residents living in the hamlet"),
         number("minutes", &Hamlet::minutes)
             .required()
             .min(0)
             .max(kMaxMinutes)
             .unit("minutes")
             .describe("travel from the hamlet to the village's centre (its place)")},
        {}};
    return schema;
}

void check_hamlets(const YAML::Node& map, const Village& v, Reader& r) {
    if (v.hamlets.empty()) return;
    double total = 0;
    for (const auto& h : v.hamlets) total += h.share;
    if (std::abs(total - 1) <= 1e-6) return;
    Reader::Scope scope(r, "hamlets");
    r.error(map["hamlets"], "the hamlets' shares add up to " + format_number(total) + ", not 1",
            "give every resident of the village a hamlet: the shares must add up to 1");
}

}  // namespace cmasim::scenario::detail
