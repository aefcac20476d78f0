// The top level of a scenario file: general keys and the sections, each with an example.
#include "fields.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

FieldBuilder<Scenario> synthetic_county() {
    auto parse = [](const YAML::Node& n, Scenario& s, Reader& r, const SchemaKey&) {
        SyntheticCounty county;
        apply_record(synthetic_schema(), n, county, r);
        s.synthetic = county;
    };
    return FieldBuilder<Scenario>("synthetic_county", "record", "none", parse)
        .shape(KeyShape::Record, synthetic_schema().docs());
}

FieldBuilder<Scenario> targets() {
    auto parse = [](const YAML::Node& n, Scenario& s, Reader& r, const SchemaKey&) {
        auto entries = map_entries(n, r, {}, "a map of indicator: {min, max}");
        if (!entries) return;
        const auto& known = r.options().known_indicators;
        for (const auto& e : *entries) {
            Reader::Scope scope(r, e.key);
            if (!known.empty() && std::find(known.begin(), known.end(), e.key) == known.end()) {
                r.error(e.key_node, "unknown indicator '" + e.key + "'",
                        util::did_you_mean(e.key, known));
                continue;
            }
            Target t;
            t.indicator = e.key;
            apply_record(target_schema(), e.value, t, r);
            s.targets.push_back(t);
        }
    };
    return FieldBuilder<Scenario>("targets", "map of indicator to {min, max}", "none", parse)
        .shape(KeyShape::Map, target_schema().docs());
}

constexpr const char* kPlacesExample = R"(places:
  - {id: seat, name: County seat}
  - {id: city, name: Prefecture city})";
constexpr const char* kRoadsExample = R"(roads:
  - {from: e1, to: east_seat, minutes: 12}
  - {from: east_seat, to: seat, minutes: 30})";
constexpr const char* kTownshipsExample = R"(townships:
  - {id: east, name: East township, seat: east_seat})";
constexpr const char* kVillagesExample = R"(villages:
  - {id: e1, township: east, population: 1800, aged_share: 0.18, contract_share: 0.45})";
constexpr const char* kFacilitiesExample = R"(facilities:
  - {id: e1_clinic, level: village, place: e1, village: e1, township: east,
     opening: {days: [mon, tue, wed, thu, fri, sat], from: "08:00", to: "17:00"}}
  - {id: county_hospital, level: county, place: seat, lead: true, doctors: 4, beds: 20}
  - {id: city_hospital, level: external, place: city, unlimited: true})";
constexpr const char* kConditionsExample = R"(conditions:
  - id: minor_acute
    episodes_per_person_year: 3.0
    seasonality: [1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.1, 1.1]
    consult_minutes: {default: {dist: lognormal, mean: 8, sd: 4}, county: 10}
    admission_probability: {township: 0.01, county: 0.02}
    stay_days: {default: {dist: gamma, mean: 4, sd: 2}}
    outpatient_fee: {village: 40, township: 85, county: 222, external: 333})";
constexpr const char* kSyntheticExample = R"(synthetic_county:
  seed: 7
  townships: 15
  villages: 250
  population: 500000
  area_km2: 2500
  village_clinic: {name_prefix: "Clinic ", doctors_per_1000: 1, min_doctors: 1,
                   opening: {days: weekdays, from: "08:00", to: "17:00"}}
  township_center: {name_prefix: "Center ", doctors_per_1000: 0.5, beds_per_1000: 1})";

constexpr const char* kPolicyExample = R"(policy:
  payment:
    mode: global_budget
    budget_per_resident: 1100
    surplus_retention: 1.0
    deficit_share: 0.5
  contract_share: 0.7
  reserved_share: 0.2
  reserved_levels: [county]
  stationed_physicians: {per_township: 1, also_treats: [moderate_acute], quality_bonus: 0.2}
  circuit_clinics: {enabled: true, level: village, days: [tue, fri], from: "09:00", to: "12:00"}
  facility_changes:
    - {facilities: [east_center], sub_center: true, add_doctors: 4, add_beds: 30,
       also_treats: [serious]}
    - {level: township, add_beds: 10}
    - {facilities: [county_hospital], opening: {days: daily, from: "07:00", to: "20:00"}}
  remote_consultation: {conditions: [serious], levels: [township], delay_minutes: 60})";

constexpr const char* kTimelineExample = R"(timeline:
  - at: 2025-07-01
    name: reform
    set: {insurance.outpatient_ratio.township: 0.75, insurance.inpatient_deductible.county: 800})";

}  // namespace

const RecordSchema<Scenario>& scenario_schema() {
    using S = Scenario;
    static const RecordSchema<S> schema{
        {text("name", &S::name).required().describe("name of the scenario, shown in reports"),
         text("description", &S::description).describe("what the scenario is for"),
         seed("seed", &S::seed).describe("random seed; replication r of seed s is reproducible"),
         integer("replications", &S::replications)
             .min(1)
             .max(100000)
             .describe("independent replications to run"),
         number("horizon_days", &S::horizon_days)
             .above(0)
             .max(36500)
             .unit("days")
             .describe("length of the observed period, after the warm-up"),
         number("warmup_days", &S::warmup_days)
             .min(0)
             .max(36500)
             .unit("days")
             .describe("warm-up before the horizon; its statistics are discarded"),
         integer("horizon_start_month", &S::horizon_start_month)
             .min(1)
             .max(12)
             .describe("calendar month (1 = January) at which the horizon starts"),
         text("start_date", &S::start_date)
             .describe("calendar date YYYY-MM-DD (the first of a month) of the horizon's first "
                       "day; sets horizon_start_month, and lets timeline entries give dates")
             .example("start_date: 2025-01-01"),
         synthetic_county()
             .describe("generate places, roads, townships, villages, village clinics and "
                       "township centers from a seed instead of listing them")
             .example(kSyntheticExample),
         records("places", &S::places, place_schema())
             .describe("places that are not villages: township seats, the county seat, cities")
             .example(kPlacesExample),
         records("roads", &S::roads, road_schema())
             .describe("road links between places; every place must be reachable")
             .example(kRoadsExample),
         records("townships", &S::townships, township_schema())
             .describe("the county's townships")
             .example(kTownshipsExample),
         records("villages", &S::villages, village_schema())
             .describe("villages with their residents; each village is also a place")
             .example(kVillagesExample),
         records("facilities", &S::facilities, facility_schema())
             .describe("health facilities inside and outside the county")
             .example(kFacilitiesExample),
         records("alliances", &S::alliances, alliance_schema())
             .describe("the county's medical alliances when it has more than one (云南 (二)); "
                       "none = one alliance of every alliance facility, led by the lead: true one")
             .example("alliances:\n  - {id: people, lead: county_hospital, townships: [east]}\n"
                      "  - {id: tcm, kind: tcm, lead: tcm_hospital, townships: [west]}"),
         records("conditions", &S::conditions, condition_schema())
             .describe("disease groups: demand, care at each level, fees")
             .example(kConditionsExample),
         record("choice", &S::choice, choice_schema())
             .describe("multinomial logit choice of a first-contact facility")
             .example("choice: {b_time: -0.04, b_cost: -0.004, level_constant: {village: 0.8}}"),
         record("behaviour", &S::behaviour, behaviour_schema())
             .describe("patients' behaviour at queues, closed doors and full wards")
             .example("behaviour:\n  balk_queue_per_doctor: 25\n"
                      "  patience_minutes: {dist: exponential, mean: 240}"),
         record("insurance", &S::insurance, insurance_schema())
             .describe("resident medical insurance")
             .example("insurance:\n  outpatient_ratio: {village: 0.6, township: 0.5}\n"
                      "  inpatient_deductible: {township: 200, county: 600, external: 1500}\n"
                      "  unreferred_penalty: {county: 0.1, external: 0.2}\n"
                      "  gatekeeping: {enabled: true, compliance: 0.8, "
                      "penalty: {county: 0.3, external: 1.0}}"),
         record("referral", &S::referral, referral_schema())
             .describe("referral rules of the alliance")
             .example("referral:\n  rules:\n    - {from: village, to: home_township}\n"
                      "    - {from: township, to: county_hospital}"),
         record("policy", &S::policy, policy_schema())
             .describe("policy levers besides insurance: provider payment, family-doctor "
                       "contracts, capacity reserved for referrals, stationed physicians, "
                       "circuit clinics, facility changes and remote consultation")
             .example(kPolicyExample),
         records("episodes", &S::episodes, episode_schema())
             .describe("explicit episodes of illness; when given they replace the Poisson "
                       "demand (micro-scenarios, teaching, tests)")
             .example("episodes:\n  - {day: 0, time: \"09:00\", village: e1, condition: serious}"),
         record("queueing_network", &S::network, network_schema())
             .describe("queueing-network validation mode (fixed routing, Poisson arrivals, "
                       "exponential service); see docs/validation.md")
             .example("queueing_network:\n  stations:\n"
                      "    - {facility: s1, arrivals_per_minute: 1.0, service_minutes: 1.5, "
                      "routes: {s2: 0.3}}\n"
                      "    - {facility: s2, service_minutes: 2.0}"),
         targets()
             .describe("indicator targets, judged on the confidence interval")
             .example("targets:\n  grassroots_rate: {min: 0.65}\n"
                      "  in_county_inpatient_rate: {min: 0.9}"),
         records("timeline", &S::timeline, timeline_schema())
             .describe("policy changes that take effect on a day of the horizon, for episodes "
                       "starting from then on; a date needs start_date (docs/model.md: the "
                       "policy timeline)")
             .example(kTimelineExample)},
        [](const YAML::Node& map, S& s, Reader& r) { check_timeline(map, s, r); }};
    return schema;
}

}  // namespace cmasim::scenario::detail
