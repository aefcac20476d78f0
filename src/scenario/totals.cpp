// Limits on the scenario as a whole (src/scenario/limits.h): how many records of each kind, how
// many residents, how much demand. Each record was within its own bounds; these are the totals
// the model sizes its tables and counters by.
#include <string>

#include "checks.h"
#include "limits.h"

namespace cmasim::scenario::detail {

namespace {

std::string count_text(double n) {
    return format_number(n);
}

class TotalsChecker {
  public:
    TotalsChecker(const Scenario& s, Reader& r)
        : s_(s), r_(r), top_(r.locate("", SourceRef{r.file(), 0, 0})) {}

    void run() {
        const std::size_t places = s_.places.size() + s_.villages.size();
        list("villages", s_.villages.size(), kMaxVillages, "villages");
        list("places", places, kMaxPlaces, "places (villages included)");
        list("townships", s_.townships.size(), kMaxTownships, "townships");
        list("facilities", s_.facilities.size(), kMaxFacilities, "facilities");
        list("conditions", s_.conditions.size(), kMaxConditions, "conditions");
        list("roads", s_.roads.size(), kMaxRoads, "roads");
        list("episodes", s_.episodes.size(), kMaxEpisodes, "scripted episodes");
        list("policy.facility_changes", s_.policy.changes.size(), kMaxFacilityChanges,
             "facility changes");
        list("queueing_network.stations", s_.network.stations.size(), kMaxStations, "stations");
        list("referral.rules", s_.referral.rules.size(), kMaxFacilities + 3, "referral rules");
        if (r_.has_errors()) return;
        population();
        demand();
    }

  private:
    /// Where a total is reported: the synthetic county when it generated the records, else the
    /// list itself (or the top of the file).
    SourceRef at(const std::string& list) const {
        if (s_.synthetic) return r_.locate("synthetic_county", top_);
        return r_.locate(list, top_);
    }
    std::string path(const std::string& list) const {
        return s_.synthetic && (list == "villages" || list == "places") ? "synthetic_county" : list;
    }

    void list(const std::string& key, std::size_t n, std::size_t limit, const std::string& what) {
        if (n <= limit) return;
        r_.report(at(key), path(key),
                  count_text(static_cast<double>(n)) + " " + what + ", more than the limit of " +
                      count_text(static_cast<double>(limit)),
                  "split the county into several scenarios, or merge small records; the limits "
                  "are listed in docs/scenario-reference.md");
    }

    void population() {
        std::int64_t total = 0;  // each village is at most kMaxPopulation: no overflow
        for (const auto& v : s_.villages) total += v.population;
        if (total <= kMaxPopulation) return;
        r_.report(at("villages"), path("villages"),
                  "the county has " + count_text(static_cast<double>(total)) +
                      " residents, more than the limit of " +
                      count_text(static_cast<double>(kMaxPopulation)),
                  "check the villages' populations (persons, not households or yuan)");
    }

    /// Expected episodes a year at the yearly rates (seasonality averages to 1 over a year).
    void demand() {
        double rate_young = 0, rate_aged = 0;
        for (const auto& c : s_.conditions) {
            const double rate = c.episodes_per_person_year + c.emergency_episodes_per_person_year;
            rate_young += rate;
            rate_aged += rate * c.aged_multiplier;
        }
        const double years = (s_.warmup_days + s_.horizon_days) / 365.0;
        double county = 0;
        for (std::size_t i = 0; i < s_.villages.size(); ++i) {
            const Village& v = s_.villages[i];
            const double a = v.aged_share;
            const double yearly =
                static_cast<double>(v.population) * ((1 - a) * rate_young + a * rate_aged);
            county += yearly;
            if (yearly * years > kMaxVillageEpisodes) {
                const RecordLocator locate(r_, s_.synthetic.has_value());
                r_.report(locate.where("villages", i, "population"),
                          RecordLocator::path("villages", v.id, "population"),
                          "village '" + v.id + "' would have about " + count_text(yearly * years) +
                              " episodes over the run, more than the limit of " +
                              count_text(kMaxVillageEpisodes),
                          "lower episodes_per_person_year or the run length, or split the village");
                return;
            }
        }
        if (county <= kMaxEpisodesPerYear) return;
        r_.report(r_.locate("conditions", top_), "conditions",
                  "the county would have about " + count_text(county) +
                      " episodes of illness a year, more than the limit of " +
                      count_text(kMaxEpisodesPerYear),
                  "check episodes_per_person_year and aged_multiplier (episodes per person and "
                  "year) and the villages' populations");
    }

    const Scenario& s_;
    Reader& r_;
    SourceRef top_;
};

}  // namespace

void check_totals(const Scenario& s, Reader& r) {
    TotalsChecker(s, r).run();
}

}  // namespace cmasim::scenario::detail
