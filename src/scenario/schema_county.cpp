// The schema of the county: places, roads, townships, villages, facilities, synthetic county.
#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {
/// Records whose name is optional are named after their id.
template <class T>
void name_after_id(T& record) {
    if (record.name.empty()) record.name = record.id;
}

const auto kAllLevels =
    std::vector<Level>{Level::Village, Level::Township, Level::County, Level::External};
}  // namespace

const RecordSchema<Place>& place_schema() {
    static const RecordSchema<Place> schema{
        {text("id", &Place::id)
             .required()
             .describe("unique id of the place; villages are places too and share these ids"),
         text("name", &Place::name).default_text("the id").describe("name shown in reports")},
        [](const YAML::Node&, Place& p, Reader&) { name_after_id(p); }};
    return schema;
}

const RecordSchema<Road>& road_schema() {
    static const RecordSchema<Road> schema{
        {text("from", &Road::from).required().describe("place id at one end"),
         text("to", &Road::to).required().describe("place id at the other end"),
         number("minutes", &Road::minutes)
             .required()
             .above(0)
             .max(kMaxMinutes)
             .unit("minutes")
             .describe("travel time along the road, the same in both directions")},
        [](const YAML::Node& map, Road& road, Reader& r) {
            if (!road.from.empty() && road.from == road.to) {
                r.error(map, "road from '" + road.from + "' to itself",
                        "a road must join two different places");
            }
        }};
    return schema;
}

const RecordSchema<Township>& township_schema() {
    static const RecordSchema<Township> schema{
        {text("id", &Township::id).required().describe("unique id of the township"),
         text("name", &Township::name).default_text("the id").describe("name shown in reports"),
         text("seat", &Township::seat)
             .required()
             .describe("place id of the township seat, where its health center stands")},
        [](const YAML::Node&, Township& t, Reader&) { name_after_id(t); }};
    return schema;
}

const RecordSchema<Village>& village_schema() {
    static const RecordSchema<Village> schema{
        {text("id", &Village::id)
             .required()
             .describe("unique id of the village; also its place id (list no separate place)"),
         text("name", &Village::name).default_text("the id").describe("name shown in reports"),
         text("township", &Village::township).required().describe("id of the village's township"),
         integer("population", &Village::population)
             .required()
             .above(0)
             .max(static_cast<double>(kMaxPopulation))
             .unit("persons")
             .describe("resident population"),
         number("aged_share", &Village::aged_share)
             .min(0)
             .max(1)
             .describe("share of residents aged 65 or more"),
         number("contract_share", &Village::contract_share)
             .min(0)
             .max(1)
             .describe("share of residents with a family-doctor contract")},
        [](const YAML::Node&, Village& v, Reader&) { name_after_id(v); }};
    return schema;
}

namespace {
void finish_facility(const YAML::Node& map, Facility& f, Reader& r) {
    f.source = r.where(map);
    name_after_id(f);
    if (f.level == Level::External && !map["alliance"].IsDefined()) f.alliance = false;
    if (f.sub_center && f.level != Level::Township) {
        Reader::Scope scope(r, "sub_center");
        r.error(map["sub_center"], "only a township facility can be a sub-center",
                "remove sub_center or set level: township");
    }
    if (f.lead && (f.level != Level::County || !f.alliance)) {
        Reader::Scope scope(r, "lead");
        r.error(map["lead"], "only a county-level alliance facility can be the lead hospital",
                "remove lead: true here and mark the county hospital that leads the alliance");
    }
}
}  // namespace

const RecordSchema<Facility>& facility_schema() {
    static const RecordSchema<Facility> schema{
        {text("id", &Facility::id).required().describe("unique id of the facility"),
         text("name", &Facility::name).default_text("the id").describe("name shown in reports"),
         level("level", &Facility::level, kAllLevels)
             .required()
             .describe("tier: village clinic, township health center, county hospital, or "
                       "external (outside the county)"),
         text("place", &Facility::place).required().describe("place id where it stands"),
         flag("alliance", &Facility::alliance)
             .default_text("true; false for external facilities")
             .describe("member of the county medical alliance"),
         flag("lead", &Facility::lead)
             .describe("the alliance's lead hospital; exactly one county alliance facility "
                       "(set automatically when there is only one)"),
         flag("sub_center", &Facility::sub_center)
             .describe("township center upgraded to a county sub-center (township level only)"),
         text("township", &Facility::township)
             .describe("township served; required for village clinics and township centers"),
         text("village", &Facility::village)
             .describe("village served; required for village clinics"),
         integer("doctors", &Facility::doctors)
             .min(0)
             .max(10000)
             .hint("set the number of outpatient doctors, 0 or more")
             .describe("outpatient doctors on duty while open (ignored when unlimited)"),
         integer("beds", &Facility::beds)
             .min(0)
             .max(100000)
             .hint("set the number of inpatient beds, 0 or more")
             .describe("inpatient beds (ignored when unlimited)"),
         flag("unlimited", &Facility::unlimited)
             .describe("no queue for doctors or beds; typical for external hospitals"),
         optional_flag("emergency", &Facility::emergency)
             .default_text("true for county and external facilities, false otherwise")
             .describe("an emergency service sees emergency patients on arrival, day and night "
                       "(docs/model.md, emergencies)"),
         opening("opening", &Facility::opening).describe("when doctors see patients"),
         number("quality", &Facility::quality)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("perceived quality; enters the choice utility times b_quality"),
         number("constant", &Facility::constant)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("facility-specific constant added to its choice utility"),
         text_list("also_treats", &Facility::also_treats)
             .describe("condition ids treated here although below their lowest_level"),
         text_list("cannot_treat", &Facility::cannot_treat)
             .describe("condition ids not treated here although at or above their lowest_level")},
        finish_facility};
    return schema;
}

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
         record("village_clinic", &C::village_clinic, template_schema())
             .describe("template for the clinic generated in each village"),
         record("township_center", &C::township_center, template_schema())
             .describe("template for the health center generated in each township")},
        finish_synthetic};
    return schema;
}

}  // namespace cmasim::scenario::detail
