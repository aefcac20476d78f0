// Deterministic synthetic county: a square county with the seat in the middle, township seats on
// a ring around it, villages scattered around their township seat, and roads village -> township
// seat -> county seat (plus a road between neighbouring township seats).
#include "cmasim/scenario/synthetic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "cmasim/sim/detmath.h"
#include "cmasim/sim/random.h"

namespace cmasim::scenario {
namespace {

Road road(std::string from, std::string to, double minutes) {
    Road out;
    out.from = std::move(from);
    out.to = std::move(to);
    out.minutes = minutes;
    return out;
}

constexpr std::uint64_t kSyntheticPurpose = 0x5359'4e54;  // "SYNT"

struct Point {
    double x = 0;
    double y = 0;
};

std::string township_id(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "t%02d", i + 1);
    return buf;
}

std::string village_id(const std::string& township, int j) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "_v%03d", j + 1);
    return township + buf;
}

double road_minutes(Point a, Point b, const SyntheticCounty& s) {
    const double km =
        std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)) * s.road_winding;
    return std::max(1.0, std::round(km / s.road_speed_kmh * 60.0));
}

/// Village populations: lognormal weights with the requested coefficient of variation, scaled to
/// the county total and rounded by largest remainder so they add up exactly.
std::vector<std::int64_t> village_populations(const SyntheticCounty& s, sim::RandomStream& rng) {
    const double sigma = std::sqrt(sim::det::log1p(s.village_size_cv * s.village_size_cv));
    std::vector<double> w(static_cast<std::size_t>(s.villages));
    double total = 0;
    for (double& x : w) {
        const double u1 = rng.uniform();
        const double u2 = rng.uniform();
        const double z =
            std::sqrt(-2.0 * sim::det::log(u1)) * sim::det::cos(2.0 * std::numbers::pi * u2);
        x = sim::det::exp(sigma * z);
        total += x;
    }
    std::vector<std::int64_t> pop(w.size());
    std::vector<std::pair<double, std::size_t>> rem(w.size());
    std::int64_t assigned = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const double exact = w[i] / total * static_cast<double>(s.population);
        pop[i] = static_cast<std::int64_t>(std::floor(exact));
        assigned += pop[i];
        rem[i] = {exact - std::floor(exact), i};
    }
    std::stable_sort(rem.begin(), rem.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < s.population; ++k, ++assigned)
        ++pop[rem[k % rem.size()].second];
    for (auto& p : pop) p = std::max<std::int64_t>(p, 1);
    return pop;
}

Facility grassroots_facility(const FacilityTemplate& t, Level level, const std::string& id,
                             const std::string& place, std::int64_t served) {
    Facility f;
    f.id = id;
    f.name = t.name_prefix.empty() ? id : t.name_prefix + " " + place;
    f.level = level;
    f.place = place;
    f.alliance = true;
    f.doctors = std::max(
        t.min_doctors,
        static_cast<int>(std::lround(t.doctors_per_1000 * static_cast<double>(served) / 1000.0)));
    f.beds = static_cast<int>(std::lround(t.beds_per_1000 * static_cast<double>(served) / 1000.0));
    f.opening = t.opening;
    f.quality = t.quality;
    f.constant = t.constant;
    if (t.emergency) f.emergency = true;
    return f;
}

double jittered_share(double share, sim::RandomStream& rng) {
    return std::clamp(share * (0.8 + 0.4 * rng.uniform()), 0.0, 1.0);
}

/// Township seats on a ring around the county seat, each joined to the county seat and to the
/// previous township by road; their positions.
std::vector<Point> add_townships(Scenario& scenario, const SyntheticCounty& s,
                                 sim::RandomStream& rng, double side) {
    const Point seat{0, 0};
    std::vector<Point> seats(static_cast<std::size_t>(s.townships));
    for (int i = 0; i < s.townships; ++i) {
        const double angle = 2.0 * std::numbers::pi * (i + 0.3 * rng.uniform()) / s.townships;
        const double radius = side * (0.15 + 0.3 * rng.uniform());
        seats[static_cast<std::size_t>(i)] = {radius * sim::det::cos(angle),
                                              radius * sim::det::sin(angle)};
        const std::string id = township_id(i);
        scenario.places.push_back({id, "Township seat " + id});
        scenario.townships.push_back({id, "Township " + id, id});
        scenario.roads.push_back(
            road(id, "county_seat", road_minutes(seats[static_cast<std::size_t>(i)], seat, s)));
        if (i > 0) {
            scenario.roads.push_back(road(township_id(i - 1), id,
                                          road_minutes(seats[static_cast<std::size_t>(i - 1)],
                                                       seats[static_cast<std::size_t>(i)], s)));
        }
    }
    return seats;
}

/// Village v (the j-th of township t, population `population`), with its road to the township
/// seat at `c` and its clinic.
void add_village(Scenario& scenario, const SyntheticCounty& s, sim::RandomStream& rng, int t, int j,
                 Point c, double township_radius, std::int64_t population) {
    const double angle = 2.0 * std::numbers::pi * rng.uniform();
    const double radius = township_radius * std::sqrt(rng.uniform());
    const Point p{c.x + radius * sim::det::cos(angle), c.y + radius * sim::det::sin(angle)};
    const std::string tid = township_id(t);
    const std::string vid = village_id(tid, j);
    Village village;
    village.id = vid;
    village.name = "Village " + vid;
    village.township = tid;
    village.population = population;
    village.aged_share = jittered_share(s.aged_share, rng);
    village.contract_share = jittered_share(s.contract_share, rng);
    scenario.villages.push_back(village);
    scenario.roads.push_back(road(vid, tid, road_minutes(p, c, s)));
    Facility clinic = grassroots_facility(s.village_clinic, Level::Village, "clinic_" + vid, vid,
                                          village.population);
    clinic.township = tid;
    clinic.village = vid;
    scenario.facilities.push_back(clinic);
}

}  // namespace

std::vector<Hamlet> synthetic_hamlets(const SyntheticCounty& s, int v, std::int64_t population) {
    std::vector<Hamlet> out;
    if (s.hamlets_per_village <= 0 || s.population <= 0) return out;
    // Its own stream per village: the hamlets leave every other draw of the county as it was.
    sim::RandomStream rng({s.seed, 0}, kSyntheticPurpose, 1 + static_cast<std::uint64_t>(v));
    const double land =
        s.area_km2 * static_cast<double>(population) / static_cast<double>(s.population);
    const double radius = std::sqrt(land / std::numbers::pi);
    const double share = 1.0 / s.hamlets_per_village;
    for (int h = 0; h < s.hamlets_per_village; ++h) {
        const double km = radius * std::sqrt(rng.uniform()) * s.road_winding;
        out.push_back({share, std::round(km / s.in_village_speed_kmh * 60.0)});
    }
    return out;
}

void expand_synthetic(Scenario& scenario) {
    if (!scenario.synthetic) return;
    const SyntheticCounty& s = *scenario.synthetic;
    sim::RandomStream rng({s.seed, 0}, kSyntheticPurpose, 0);
    const double side = std::sqrt(s.area_km2);
    scenario.places.push_back({"county_seat", "County seat"});
    scenario.places.push_back({"city", "City (outside the county)"});
    scenario.roads.push_back(road("county_seat", "city", s.city_minutes));

    const std::vector<Point> seats = add_townships(scenario, s, rng, side);
    const double township_radius = side / (2.0 * std::sqrt(static_cast<double>(s.townships)));
    const auto pops = village_populations(s, rng);
    std::vector<std::int64_t> township_pop(seats.size(), 0);
    for (int v = 0; v < s.villages; ++v) {
        const int t = v % s.townships;
        const std::int64_t population = pops[static_cast<std::size_t>(v)];
        add_village(scenario, s, rng, t, v / s.townships, seats[static_cast<std::size_t>(t)],
                    township_radius, population);
        scenario.villages.back().hamlets = synthetic_hamlets(s, v, population);
        township_pop[static_cast<std::size_t>(t)] += population;
    }
    for (int t = 0; t < s.townships; ++t) {
        const std::string tid = township_id(t);
        Facility center = grassroots_facility(s.township_center, Level::Township, "center_" + tid,
                                              tid, township_pop[static_cast<std::size_t>(t)]);
        center.township = tid;
        scenario.facilities.push_back(center);
    }
}

}  // namespace cmasim::scenario
