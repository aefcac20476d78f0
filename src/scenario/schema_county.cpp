// The schema of the county: places, roads, townships, villages, facilities, synthetic county.
#include "fields.h"
#include "limits.h"
#include "schemas.h"
#include "tables.h"

#include <cmath>

namespace cmasim::scenario::detail {

namespace {
/// Records whose name is optional are named after their id.
template <class T>
void name_after_id(T& record) {
    if (record.name.empty()) record.name = record.id;
}

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

namespace {
/// Default speeds of the road classes, for roads given in kilometres. Assumed, not measured:
/// average speeds below the design speeds of the Technical Standard of Highway Engineering
/// (JTG B01-2014: class II roads 60-80 km/h, class III 30-40, class IV 15-30), as national and
/// provincial roads are mostly class I-II, county roads class II-III, township roads class
/// III-IV and village roads class IV; give speed_kmh where the county knows better.
struct RoadClass {
    std::vector<std::string> names;
    double kmh;
};
const std::vector<RoadClass>& road_classes() {
    static const std::vector<RoadClass> classes{{{"国道", "national"}, 60},
                                                {{"省道", "provincial"}, 50},
                                                {{"县道", "county"}, 40},
                                                {{"乡道", "township"}, 30},
                                                {{"村道", "village"}, 20}};
    return classes;
}

std::string road_class_text() {
    std::string out;
    for (const auto& c : road_classes()) {
        out += (out.empty() ? "" : ", ") + c.names[0] + " (" + c.names[1] + ") " +
               format_number(c.kmh) + " km/h";
    }
    return out;
}

/// The speed of the road's class; reports an unknown class.
std::optional<double> class_speed(const YAML::Node& map, const Road& road, Reader& r) {
    std::vector<std::string> names;
    for (const auto& c : road_classes()) {
        for (const auto& n : c.names) {
            if (n == road.road_class) return c.kmh;
            names.push_back(n);
        }
    }
    Reader::Scope scope(r, "road_class");
    r.error(map["road_class"], "unknown road class '" + road.road_class + "'",
            util::did_you_mean(road.road_class, names));
    return std::nullopt;
}

/// A road given in kilometres: its minutes from the speed given or its class's.
void minutes_from_km(const YAML::Node& map, Road& road, Reader& r) {
    std::optional<double> speed = road.speed_kmh;
    if (!speed && !road.road_class.empty()) speed = class_speed(map, road, r);
    if (!speed) {
        if (road.road_class.empty()) {
            Reader::Scope scope(r, "km");
            r.error(map["km"], "a road in km needs a road_class or a speed_kmh",
                    "e.g. road_class: 乡道 (" + road_class_text() + ")");
        }
        return;
    }
    road.minutes = *road.km / *speed * 60.0;
    if (road.minutes > kMaxMinutes) {
        Reader::Scope scope(r, "km");
        r.error(map["km"], "the road takes " + format_number(road.minutes) + " minutes",
                "at most " + format_number(kMaxMinutes) + " minutes: check km and the speed");
    }
}

void finish_road(const YAML::Node& map, Road& road, Reader& r) {
    if (!road.from.empty() && road.from == road.to) {
        r.error(map, "road from '" + road.from + "' to itself",
                "a road must join two different places");
    }
    const bool minutes = map["minutes"].IsDefined(), km = map["km"].IsDefined();
    if (minutes && km) {
        Reader::Scope scope(r, "km");
        r.error(map["km"], "the road gives both minutes and km", "keep one of them");
    } else if (!minutes && !km) {
        r.error(map, "required key 'minutes' is missing",
                "give the travel time in minutes, or km with a road_class or speed_kmh");
    } else if (km && road.km) {
        minutes_from_km(map, road, r);
    }
}
}  // namespace

const RecordSchema<Road>& road_schema() {
    static const RecordSchema<Road> schema{
        {text("from", &Road::from).required().describe("place id at one end"),
         text("to", &Road::to).required().describe("place id at the other end"),
         number("minutes", &Road::minutes)
             .above(0)
             .max(kMaxMinutes)
             .unit("minutes")
             .default_text("from km; one of minutes and km is required")
             .describe("travel time along the road, the same in both directions"),
         optional_number("km", &Road::km)
             .above(0)
             .max(10000)
             .unit("km")
             .describe("length of the road, instead of minutes: the time is km at the speed "
                       "of speed_kmh or of the road_class"),
         text("road_class", &Road::road_class)
             .describe("class of a road given in km, with its assumed average speed: " +
                       road_class_text() +
                       " (below the design speeds of JTG B01-2014; docs/planners.md)"),
         optional_number("speed_kmh", &Road::speed_kmh)
             .above(0)
             .max(200)
             .unit("km/h")
             .describe("average speed on a road given in km; overrides its road_class")},
        finish_road};
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
             .describe("share of residents with a family-doctor contract"),
         flag("clinic", &Village::clinic)
             .describe(std::string("the village has a clinic with default settings: the loader "
                                   "adds the facility <id>_clinic, named <name>卫生室, at the "
                                   "village, with ") +
                       kImpliedClinic + "; a facility listed with that id keeps its own keys"),
         records("hamlets", &Village::hamlets, hamlet_schema())
             .describe("the village's internal spread for the access indicators: parts of its "
                       "residents living some minutes from its centre; none: all at the centre")},
        [](const YAML::Node& map, Village& v, Reader& r) {
            name_after_id(v);
            check_hamlets(map, v, r);
        }};
    return schema;
}

namespace {
/// `doctors` from a headcount and the share of it on outpatient duty.
void doctors_from_headcount(const YAML::Node& map, Facility& f, Reader& r) {
    const bool headcount = map["doctors_headcount"].IsDefined();
    if (!headcount) {
        if (!map["on_duty_share"].IsDefined()) return;
        Reader::Scope scope(r, "on_duty_share");
        r.error(map["on_duty_share"], "on_duty_share is the share of doctors_headcount on duty",
                "give doctors_headcount too, or doctors (on duty) alone");
        return;
    }
    Reader::Scope scope(r, "doctors_headcount");
    if (map["doctors"].IsDefined()) {
        r.error(map["doctors_headcount"], "the facility gives both doctors and doctors_headcount",
                "keep one: doctors are on duty, doctors_headcount with on_duty_share are employed");
    } else if (!map["on_duty_share"].IsDefined()) {
        r.error(map["doctors_headcount"], "doctors_headcount needs on_duty_share",
                "the share of the doctors seeing outpatients while it is open, e.g. 0.6 or 60%");
    } else if (f.doctors_headcount && f.on_duty_share) {
        const double on_duty = std::round(*f.doctors_headcount * *f.on_duty_share);
        f.doctors = static_cast<int>(on_duty < 1 && *f.doctors_headcount > 0 ? 1 : on_duty);
    }
}

void finish_facility(const YAML::Node& map, Facility& f, Reader& r) {
    doctors_from_headcount(map, f, r);
    f.source = r.where(map);
    name_after_id(f);
    if (f.level == Level::External && !map["alliance"].IsDefined()) f.alliance = false;
    if (f.sub_center && (f.level < Level::Township || f.level > Level::County || !f.alliance)) {
        Reader::Scope scope(r, "sub_center");
        r.error(map["sub_center"],
                "only a township center or a county-level alliance hospital can be a sub-center",
                "remove sub_center or set level: township (or county)");
    }
    if (map["place_class"].IsDefined() && f.level != Level::External) {
        Reader::Scope scope(r, "place_class");
        r.error(map["place_class"], "only an external facility has a place class",
                "remove place_class here, or set level: external");
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
         one_of("level", &Facility::level,
                {{"village", Level::Village},
                 {"township", Level::Township},
                 {"county", Level::County},
                 {"external", Level::External},
                 {"村卫生室", Level::Village},
                 {"乡镇卫生院", Level::Township},
                 {"县级医院", Level::County},
                 {"县外医院", Level::External}})
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
             .describe("township center upgraded to a county sub-center; or a county-level "
                       "alliance hospital that takes its alliance's referrals from the township "
                       "centers in place of the lead (docs/model.md, alliances)"),
         text("township", &Facility::township)
             .describe("township served; required for village clinics and township centers"),
         text("village", &Facility::village)
             .describe("village served; required for village clinics"),
         integer("doctors", &Facility::doctors)
             .min(0)
             .max(10000)
             .hint("set the number of outpatient doctors, 0 or more")
             .describe("outpatient doctors on duty while open (ignored when unlimited)"),
         optional_integer("doctors_headcount", &Facility::doctors_headcount)
             .min(0)
             .max(100000)
             .unit("persons")
             .describe("doctors employed, instead of doctors: doctors on duty = headcount x "
                       "on_duty_share, rounded, at least 1"),
         optional_number("on_duty_share", &Facility::on_duty_share)
             .min(0)
             .max(1)
             .describe("share of doctors_headcount seeing outpatients while the facility is "
                       "open (rota, wards, leave)"),
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
             .describe("condition ids not treated here although at or above their lowest_level"),
         one_of("place_class", &Facility::place_class,
                {{"in_prefecture", PlaceClass::InPrefecture},
                 {"out_of_prefecture", PlaceClass::OutOfPrefecture},
                 {"out_of_province", PlaceClass::OutOfProvince},
                 {"市内", PlaceClass::InPrefecture},
                 {"市外", PlaceClass::OutOfPrefecture},
                 {"省外", PlaceClass::OutOfProvince}})
             .describe("where an external hospital stands as the insurer sees it: in the "
                       "prefecture, elsewhere in the province, or outside the province; picks "
                       "its terms in insurance.external_by_class (external level only)")},
        finish_facility};
    return schema;
}

}  // namespace cmasim::scenario::detail
