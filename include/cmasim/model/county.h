// The compiled county: a scenario turned into dense, index-addressed tables that the engine reads
// on its hot path. Immutable after compile_county(); shared read-only by all replications.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cmasim/model/emergency.h"
#include "cmasim/model/exams.h"
#include "cmasim/model/ids.h"
#include "cmasim/model/insurance.h"
#include "cmasim/model/provider_response.h"
#include "cmasim/scenario/spec.h"
#include "cmasim/sim/time.h"

namespace cmasim::model {

using scenario::Fen;
using scenario::Level;
using scenario::PerLevel;

/// Weekly opening timetable: sorted, non-overlapping [open, close) intervals in seconds since
/// Monday 00:00, or always open.
struct WeeklySchedule {
    bool always = true;
    std::vector<std::pair<sim::SimTime, sim::SimTime>> intervals;
    /// Open at time t (seconds since the run's start, which is a Monday 00:00)?
    bool is_open(sim::SimTime t) const;
    /// The next open/close transition strictly after t; kNever when always open.
    sim::SimTime next_transition(sim::SimTime t) const;
    /// Open seconds in [from, to).
    sim::SimTime open_seconds(sim::SimTime from, sim::SimTime to) const;
    static constexpr sim::SimTime kNever = INT64_MAX;
};

/// Extra doctors on duty during a weekly window (village circuit clinics).
struct StaffWindow {
    WeeklySchedule when;
    int doctors = 0;
};

/// Where a station of a queueing network sends a customer next (cumulative probabilities).
struct Route {
    std::uint32_t facility = 0;
    double cumulative = 0;
};

/// A station of the queueing-network validation mode: a facility whose doctors serve external
/// Poisson arrivals and routed customers.
struct StationInfo {
    std::uint32_t facility = 0;
    double arrivals_per_minute = 0;
    double service_minutes = 0;  ///< mean of the exponential service time
    std::vector<Route> routes;   ///< in the scenario's order; the rest leave the network
};

struct FacilityInfo {
    std::string id;
    std::string name;
    Level level = Level::Village;
    std::uint32_t place = 0;
    std::uint32_t township = kNone;  ///< for grassroots facilities
    std::uint32_t village = kNone;   ///< for village clinics
    bool alliance = true;
    bool lead = false;
    bool sub_center = false;
    bool in_county = true;  ///< every level but external
    /// Where an external hospital stands (picks its insurance terms); in_prefecture otherwise.
    scenario::PlaceClass place_class = scenario::PlaceClass::InPrefecture;
    bool unlimited = false;
    bool emergency = false;  ///< an emergency service sees emergency patients on arrival
    int doctors = 1;
    int beds = 0;
    WeeklySchedule schedule;
    double quality = 0;
    double constant = 0;
    std::vector<bool> can_treat;  ///< by condition index
    /// Where a patient with condition c is referred up from here; kNone when nowhere.
    std::vector<std::uint32_t> referral_target;
    std::vector<StaffWindow> extra_staff;  ///< circuit clinics
    /// Of `doctors`, stationed here from another facility (policy.stationed_physicians).
    int stationed_doctors = 0;
    int reserved_doctors = 0;  ///< kept for referred patients (walk-ins use the rest)
    int reserved_beds = 0;
    std::vector<bool> remote_treat;  ///< by condition: treated after a remote consultation
    sim::SimTime remote_delay = 0;   ///< seconds
    int home_bed_slots = 0;          ///< policy.home_beds: patients it cares for at home at once
    std::uint32_t alliance_index = kNone;  ///< into County::alliances; kNone: in none

    /// Open at time t: a doctor is on duty (its own doctors in opening hours, or a circuit clinic).
    bool open_at(sim::SimTime t) const;
    /// Doctors on duty at time t (0 when closed).
    int doctors_at(sim::SimTime t) const;
    /// A facility that never has a doctor on duty (and is not unlimited) sees no patients.
    bool ever_staffed() const;
    /// The first time >= t at which a doctor is on duty; kNever if never.
    sim::SimTime next_staffed(sim::SimTime t) const;
    /// Next time after t at which the opening or the staffing changes; kNever if never.
    sim::SimTime next_change(sim::SimTime t) const;
    /// Doctor-seconds on duty in [from, to).
    double doctor_seconds(sim::SimTime from, sim::SimTime to) const;
};

/// A facility a village's residents may choose for first contact.
struct Candidate {
    std::uint32_t facility = 0;
    Level level = Level::Village;  ///< the facility's level (copied: the choice loop reads it)
    double travel_minutes = 0;
    bool contract_facility = false;  ///< where the village's contracted family doctors sit
};

struct VillageInfo {
    std::string id;
    std::uint32_t place = 0;
    std::uint32_t township = 0;
    std::int64_t population = 0;
    std::int64_t aged = 0;           ///< residents aged 65+
    std::uint64_t first_person = 0;  ///< global index of the village's first resident
    double contract_share = 0;
    std::uint32_t own_clinic = kNone;
    std::uint32_t own_center = kNone;
    std::vector<Candidate> candidates;
    /// Candidate bits of the facilities without an emergency service: an emergency patient's
    /// first choice starts with these marked as tried (when any candidate has one).
    std::uint64_t no_emergency = 0;
    /// Static part of the choice utility, flat [low_income][gatekept][condition][candidate] (rows
    /// found by static_row()): gatekept = 1 is for contracted residents under gatekeeping (their
    /// unreferred care costs more), low_income = 1 for residents whose medical assistance lowers
    /// the cost (present only with the assistance layer). One array, so a choice reads one
    /// contiguous row.
    std::vector<double> static_utility;
    /// exp(static utility - the largest static utility of its row), same layout: the static
    /// factor of each candidate's logit weight, so a choice multiplies instead of calling exp.
    std::vector<double> static_weight;
    /// Offset of the row (one entry per candidate) for a condition in the two tables above.
    std::size_t static_row(bool gatekept, bool low_income, std::uint32_t condition,
                           std::size_t conditions) const {
        return outside_row(gatekept, low_income, condition, conditions) * candidates.size();
    }
    /// The outside option's logit weight per row, [low_income][gatekept][condition]: exp(its
    /// utility - the row's largest static utility), on the scale of static_weight; 0 when the
    /// condition has none (docs/model.md: the outside option).
    std::vector<double> outside_weight;
    std::size_t outside_row(bool gatekept, bool low_income, std::uint32_t condition,
                            std::size_t conditions) const {
        return ((low_income ? 2 : 0) + (gatekept ? 1 : 0)) * conditions + condition;
    }
    /// Where a patient who starts at a candidate is referred for a condition, when the candidate
    /// cannot treat it; kNone otherwise. Flat [condition][candidate].
    std::vector<std::uint32_t> onward;
    const std::uint32_t* onward_row(std::uint32_t condition) const {
        return onward.data() + condition * candidates.size();
    }
    /// Cumulative episode rate per second by month: [month 0..11][2*condition + aged].
    std::array<std::vector<double>, 12> cumulative_rate;
    /// The same for emergency episodes (arriving at any hour); empty rows when there are none.
    std::array<std::vector<double>, 12> emergency_rate;
};

/// Is f where the family doctors of village `vi` (in township `township`) sit, for contracts at
/// `contract_level`?
inline bool family_doctor_at(const FacilityInfo& f, std::uint32_t vi, std::uint32_t township,
                             Level contract_level) {
    return f.level == contract_level &&
           (f.level == Level::Village ? f.village == vi : f.township == township);
}

struct ConditionInfo {
    scenario::Condition spec;
    bool grassroots_treatable = false;    ///< lowest level is village or township
    sim::SimTime follow_up_interval = 0;  ///< follow_up_interval_days in whole seconds
    PerLevel<Fen> case_rate{};            ///< case-based payment per admission; 0 = fee-for-service
    PerLevel<double> dip_points{};        ///< DIP points per admission; 0 = fee-for-service
    PerLevel<Fen> per_diem{};             ///< payment per bed-day; 0 = fee-for-service
    /// The scheme's terms for this condition (its insurance.by_condition entry applied): the
    /// terms at in-county facilities and at hospitals in the prefecture (place_terms[0]).
    scenario::Insurance insurance;
    /// The same terms with the external level's replaced by each place class's
    /// (insurance.external_by_class): what a bill at an external hospital of that class uses.
    PlaceTerms place_terms;
    const scenario::Insurance& terms(scenario::PlaceClass p) const {
        return place_terms[static_cast<std::size_t>(idx(p))];
    }
    bool own_outpatient_cap = false;  ///< its visits count against the condition groups' own pot
    /// policy.medicine_list: share of the condition's patients whose medicine each level has.
    PerLevel<double> medicine_availability{1, 1, 1, 1};
    bool managed_acute = false;  ///< policy.chronic_management makes it rarer for the managed
    bool home_bed = false;       ///< policy.home_beds may take its admissions
};

struct ScriptedEpisodeInfo {
    sim::SimTime at = 0;
    std::uint32_t village = 0;
    std::uint32_t condition = 0;
    bool aged = false;
    bool emergency = false;
};

struct TownshipInfo {
    std::string id;
    std::string name;
    std::int64_t population = 0;
    std::uint32_t alliance = kNone;  ///< the alliance responsible for its residents
};

/// A medical alliance: the scenario's `alliances:`, or the implicit one of every alliance
/// facility (docs/model.md, "More than one alliance").
struct AllianceInfo {
    std::string id;
    std::string name;
    std::uint32_t lead = kNone;
    std::uint32_t sub_center = kNone;  ///< a county-level member with sub_center: true
};

struct County;

/// A later period of a policy timeline: from `start` on, episodes that start run under `county`.
struct CountyPeriod {
    sim::SimTime start = 0;  ///< seconds since the run's start
    std::string name;
    std::shared_ptr<const County> county;
};

/// The whole compiled county.
struct County {
    scenario::Scenario scenario;  ///< the source, for settings not copied below
    std::vector<std::string> place_ids;
    std::vector<std::vector<double>> place_minutes;  ///< shortest travel, [from][to]
    std::vector<FacilityInfo> facilities;
    std::vector<VillageInfo> villages;
    std::vector<TownshipInfo> townships;
    std::vector<ConditionInfo> conditions;
    std::vector<ScriptedEpisodeInfo> scripted;  ///< non-empty: these replace Poisson demand
    std::vector<StationInfo> stations;          ///< non-empty: queueing-network validation mode
    std::int64_t population = 0;
    /// policy.chronic_management.condition: the scheduled follow-ups' condition (kNone: off).
    std::uint32_t managed_condition = kNone;
    EmergencyPathwayInfo emergency;  ///< policy.emergency_pathway (off: no condition takes it)
    ExamSetup exams;                 ///< policy.exam_centers and policy.exams (off: no exams)
    sim::SimTime warmup = 0;         ///< seconds
    sim::SimTime horizon = 0;        ///< seconds, counted after warm-up
    int first_month_offset = 0;      ///< day-of-year (non-leap) at which the horizon starts
    double within_15_min = 0;        ///< static access indicator
    double mean_travel_minutes = 0;  ///< to the nearest grassroots facility, resident-weighted
    double contract_weight = 1;      ///< exp(b_contract): a contracted doctor's logit factor
    /// The policy timeline's later periods, in order (empty: one policy for the whole run); this
    /// county is period 0, in force until the first of them. Each is compiled from the whole
    /// scenario in force then, and shares this county's places, capacity and demand (the
    /// loader refuses changes to those).
    std::vector<CountyPeriod> periods;
    std::string first_period;  ///< period 0's name: start_date, or "day 0"

    /// The period in force at time t: 0 before the first change.
    std::size_t period_at(sim::SimTime t) const {
        std::size_t k = 0;
        while (k < periods.size() && periods[k].start <= t) ++k;
        return k;
    }
    /// Period k's county (period 0 is this one).
    const County& period(std::size_t k) const { return k == 0 ? *this : *periods[k - 1].county; }
    const std::string& period_name(std::size_t k) const {
        return k == 0 ? first_period : periods[k - 1].name;
    }
    ProviderResponse response;            ///< the payment mode's responses (provider_response.h)
    std::vector<AllianceInfo> alliances;  ///< at least one when any facility is in an alliance

    const FacilityInfo& facility(FacilityId f) const { return facilities[f.index()]; }
    const VillageInfo& village(VillageId v) const { return villages[v.index()]; }
    const ConditionInfo& condition(ConditionId k) const { return conditions[k.index()]; }
    /// How a facility's care for a condition responds to payment: `response` where it
    /// responds (responds() in provider_response.h), else all 1.
    const ProviderResponse& response_at(std::uint32_t facility, std::uint32_t condition) const;
    double minutes(std::uint32_t from_place, std::uint32_t to_place) const {
        return place_minutes[from_place][to_place];
    }
    /// Calendar month 0..11 of time t (non-leap years, the horizon starting at
    /// horizon_start_month). Inline and table-driven: demand asks for it at every arrival.
    int month_of(sim::SimTime t) const {
        return kMonthOfDay[static_cast<std::size_t>(day_of_year(t))];
    }
    /// Start of the month after the one containing t.
    sim::SimTime next_month_start(sim::SimTime t) const;

    /// First day-of-year of each month, non-leap; [12] = 365.
    static constexpr std::array<int, 13> kMonthStart = {0,   31,  59,  90,  120, 151, 181,
                                                        212, 243, 273, 304, 334, 365};

  private:
    static constexpr std::array<std::uint8_t, 365> kMonthOfDay = [] {
        std::array<std::uint8_t, 365> m{};
        for (std::size_t month = 0; month < 12; ++month) {
            for (int d = kMonthStart[month]; d < kMonthStart[month + 1]; ++d) {
                m[static_cast<std::size_t>(d)] = static_cast<std::uint8_t>(month);
            }
        }
        return m;
    }();
    /// Whole days from the end of the warm-up to time t, rounded down (negative in the warm-up).
    sim::SimTime day_index(sim::SimTime t) const {
        const sim::SimTime rel = t - warmup;
        return rel >= 0 ? rel / sim::kDay : -((-rel + sim::kDay - 1) / sim::kDay);
    }
    /// Day of the (non-leap) year 0..364 of time t.
    int day_of_year(sim::SimTime t) const {
        return static_cast<int>(((first_month_offset + day_index(t)) % 365 + 365) % 365);
    }
};

/// Compiles a loaded scenario. Throws std::runtime_error for what the loader cannot see (e.g. a
/// facility whose referral chain ends nowhere for a condition it cannot treat is allowed, but an
/// unreachable place is not).
County compile_county(const scenario::Scenario& scenario);

/// Where facility `from` refers up, given that its rules send it to `to`: a township center of
/// an alliance with a county-level sub-center is sent there in place of a county hospital
/// (docs/model.md, "More than one alliance"); otherwise `to`.
std::uint32_t via_sub_center(const County& c, std::uint32_t from, std::uint32_t to);

/// The index of the facility with `id`, kNone if there is none (ids were checked at loading).
std::uint32_t facility_index(const County& c, const std::string& id);

}  // namespace cmasim::model
