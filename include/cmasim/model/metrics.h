// The indicators of docs/model.md §7, collected by observing the engine's events. Only what
// happens inside the statistics window [warm-up, warm-up + horizon) counts; episodes count when
// they start there.
#pragma once

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "cmasim/indicators/results.h"
#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/observer.h"
#include "cmasim/model/policy.h"

namespace cmasim::model {

/// Counts that can be broken down by township or month.
struct VisitCounts {
    std::uint64_t visits = 0;
    std::uint64_t visits_grassroots = 0;
    std::uint64_t visits_in_county = 0;
    std::uint64_t admissions = 0;
    std::uint64_t admissions_in_county = 0;
};

/// 基层诊疗量占比: visits at village clinics and township centers / visits at in-county
/// facilities (outpatient and emergency visits both count); 0 without in-county visits.
inline double grassroots_share(const VisitCounts& v) {
    return v.visits_in_county > 0
               ? static_cast<double>(v.visits_grassroots) / static_cast<double>(v.visits_in_county)
               : 0.0;
}

/// Per condition: the breakdown by disease the documents set targets on (conditions.csv).
struct ConditionCounts {
    std::uint64_t episodes = 0;
    std::uint64_t no_visit = 0;  ///< episodes that took the outside option
    VisitCounts counts;          ///< visits and admissions of the condition, wherever made
    std::uint64_t emergency_visits = 0;
    std::uint64_t up_referrals = 0;
    std::uint64_t out_of_county_referrals = 0;
};

/// Bills by level: what 次均门诊费用 and 次均住院费用 divide.
struct LevelBills {
    std::array<std::uint64_t, 4> outpatient{}, inpatient{};  ///< bills settled
    std::array<scenario::Fen, 4> outpatient_fen{}, inpatient_fen{};
};

/// What the contracted residents did (the family-doctor contract's indicators).
struct ContractedCounts {
    VisitCounts counts;
    std::uint64_t up_referrals = 0, down_referrals = 0;
};

/// The insurance layers (大病保险, 医疗救助) and the low-income residents they serve.
struct LayerCounts {
    std::uint64_t catastrophic_bills = 0;  ///< bills the catastrophic layer paid on
    scenario::Fen catastrophic_fen = 0, assistance_fen = 0;
    std::uint64_t low_income_episodes = 0;
    VisitCounts low_income;
    scenario::Fen low_income_oop_fen = 0;
};

class MetricsCollector final : public ModelObserver {
  public:
    /// Counts what happens in the run's statistics window [warm-up, warm-up + horizon).
    explicit MetricsCollector(const County& county);
    /// Counts what happens in [from, to) only (a timeline's period); no budget settlement.
    MetricsCollector(const County& county, sim::SimTime from, sim::SimTime to);

    using ModelObserver::on;
    void on(const EpisodeStarted& e) override;
    void on(const FacilityChosen& e) override;
    void on(const Consultation& e) override;
    void on(const Admitted& e) override;
    void on(const Referred& e) override;
    void on(const Balked& e) override;
    void on(const Reneged& e) override;
    void on(const RemoteConsultation& e) override;
    void on(const MedicineMissing& e) override;
    void on(const AdmissionDeclined& e) override;
    void on(const EmergencyTreatment& e) override;
    void on(const ExamOrdered& e) override;
    void on(const ReservedCapacityUsed& e) override;
    void on(const Billed& e) override;
    void on(const EpisodeEnded& e) override;
    void on(const HomeBedVisit& e) override;

    /// The engine's yearly settlements and the capacity they bought (ReplicationStats), given
    /// before result(): the capacity-based rows count the bought doctors and beds in the year
    /// they served, and the investment has rows of its own.
    void set_settlements(std::vector<YearSettlement> s) { settlements_ = std::move(s); }

    /// The replication's indicators, in a fixed order.
    indicators::ReplicationResult result(std::uint64_t replication) const;

  private:
    bool in_window(sim::SimTime t) const { return t >= from_ && t < to_; }
    /// The part of [start, start + length) inside the window, in seconds.
    sim::SimTime clipped(sim::SimTime start, sim::SimTime length) const {
        return std::max<sim::SimTime>(0, std::min(start + length, to_) - std::max(start, from_));
    }
    /// The month row of time t, remembered for the rest of the month: every visit asks for it.
    /// Calendar months 0..11 (a year or less without a timeline), else months of the run.
    std::size_t month_at(sim::SimTime t) {
        if (t < month_from_ || t >= month_to_) {
            cached_month_ = run_months_ ? run_month(t) : static_cast<std::size_t>(c_.month_of(t));
            month_from_ = t;
            month_to_ = c_.next_month_start(t);
        }
        return cached_month_;
    }
    /// Months of the run from the horizon's first one (0) to the one holding t (t in window).
    std::size_t run_month(sim::SimTime t) const;
    /// The name of month row m ("01".."12", or "2025-07" / "y1-07" for months of the run).
    std::string month_label(std::size_t m) const;
    /// The insurance year of time t (years start at the end of the warm-up, every 365 days);
    /// bills come in time order, so the year only moves on.
    std::size_t insurance_year(sim::SimTime t) {
        while (t >= year_end_) {
            ++year_;
            year_end_ += 365 * sim::kDay;
        }
        return year_;
    }
    std::size_t year_ = 0;
    sim::SimTime year_end_ = 0;  ///< end of insurance year year_
    bool run_months_ = false;    ///< a timeline, or more than a year: a row per month of the run
    bool settle_ = true;         ///< emits the global budget's settlement
    std::size_t cached_month_ = 0;
    sim::SimTime month_from_ = 0;
    sim::SimTime month_to_ = 0;  ///< [month_from_, month_to_) lies in cached_month_
    /// Per-level figures, shared by the county rows and the "level" breakdown.
    struct LevelFigures {
        double visits = 0, admissions = 0, wait_mean = 0, wait_p90 = 0, utilisation = 0,
               bed_occupancy = 0;
    };
    LevelFigures level_figures(int level) const;
    void add_county_rows(indicators::ReplicationResult& r) const;
    void add_wait_and_load_rows(indicators::ReplicationResult& r) const;
    void add_budget_rows(indicators::ReplicationResult& r) const;
    // metrics_invest.cpp: capacity bought with a retained surplus
    double doctor_seconds(std::size_t facility) const;
    double bed_seconds(std::size_t facility) const;
    void add_invest_rows(indicators::ReplicationResult& r) const;
    std::vector<YearSettlement> settlements_;
    void mark_period(indicators::ReplicationResult& r, std::size_t first, std::size_t m) const;
    void add_facility_rows(indicators::ReplicationResult& r) const;
    void add_group_rows(indicators::ReplicationResult& r) const;
    // metrics_official.cpp: the indicators the evaluations define, and the condition breakdown.
    void add_official_rows(indicators::ReplicationResult& r) const;
    void add_cost_rows(indicators::ReplicationResult& r) const;
    void add_resource_rows(indicators::ReplicationResult& r) const;
    void add_condition_rows(indicators::ReplicationResult& r) const;
    void add_layer_rows(indicators::ReplicationResult& r) const;
    // DIP points (metrics_official.cpp): per insurance year, the points earned and the fund's
    // share of the fees of the admissions that earned them.
    void init_points();
    void count_points(const Billed& e, std::size_t year);
    void add_points_rows(indicators::ReplicationResult& r) const;
    // metrics_payment.cpp: the grassroots' outpatient capitation and the per-diem admissions.
    void init_capitation_per_diem();
    void count_capitated(const Billed& e, std::size_t year);
    void count_per_diem(const Admitted& e);
    void add_capitation_per_diem_rows(indicators::ReplicationResult& r) const;
    /// The payment terms of insurance year y (those in force on its first day) and its length
    /// in years (a last, shorter year gets its share).
    std::pair<const scenario::ProviderPayment*, double> year_terms(std::size_t y) const;
    // metrics_alliance.cpp: the fund's payments per alliance, and the alliances' rows.
    void init_funds(std::size_t years);
    void count_fund(const Billed& e, std::size_t year);
    std::int64_t alliance_population(std::uint32_t a) const;
    void add_alliance_rows(indicators::ReplicationResult& r) const;
    void add_alliance_budget_rows(indicators::ReplicationResult& r,
                                  const std::vector<BudgetSettlement>& settled) const;
    void count_referral(const Referred& e);
    void add_no_visit_rows(indicators::ReplicationResult& r) const;
    // metrics_reform.cpp: chronic-disease management and the medicine lists
    void count_managed_episode(const EpisodeStarted& e);
    void add_reform_rows(indicators::ReplicationResult& r) const;
    void add_place_rows(indicators::ReplicationResult& r) const;
    void add_emergency_rows(indicators::ReplicationResult& r) const;
    void add_exam_rows(indicators::ReplicationResult& r) const;
    void count_home_bed(const Admitted& e);
    void add_home_bed_rows(indicators::ReplicationResult& r) const;
    // metrics_sent_down.cpp: reserved capacity used, and the visits of the doctors sent down.
    void init_sent_down();
    void count_sent_down(const Consultation& e);
    void add_sent_down_rows(indicators::ReplicationResult& r) const;

    static constexpr int kWaitBins =
        24 * 60 + 2;  ///< zero, then one-minute bins; the last open-ended
    const County& c_;
    sim::SimTime from_;
    sim::SimTime to_;
    VisitCounts total_;
    std::vector<VisitCounts> township_;
    std::vector<VisitCounts> month_;  ///< 12 calendar months, or the months of the run
    std::array<std::uint64_t, 4> visits_by_level_{};
    std::array<std::uint64_t, 4> admissions_by_level_{};
    std::array<double, 4> wait_sum_{};
    std::array<std::vector<std::uint64_t>, 4> wait_hist_;
    double bed_wait_sum_ = 0;
    std::vector<std::uint64_t> facility_visits_;
    std::vector<std::uint64_t> facility_admissions_;
    std::vector<double> facility_wait_sum_;
    std::vector<sim::SimTime> facility_busy_;
    std::vector<sim::SimTime> facility_bed_time_;
    std::vector<double> facility_queue_area_;   ///< waiting patient-seconds in the window
    std::vector<double> facility_sojourn_sum_;  ///< minutes of wait + consultation
    double time_in_system_sum_ = 0;             ///< minutes, episodes started in the window
    std::uint64_t episodes_ended_in_window_ = 0;
    std::uint64_t remote_ = 0;
    std::uint64_t admissions_declined_ = 0;
    std::uint64_t up_ = 0, down_ = 0, out_of_county_ = 0, self_ = 0;
    std::uint64_t first_contacts_gt_ = 0, bypass_ = 0;
    std::uint64_t balked_ = 0, reneged_ = 0, left_ = 0;
    std::uint64_t episodes_ = 0;
    std::uint64_t episodes_started_all_ = 0, episodes_ended_all_ = 0;
    scenario::Fen total_fen_ = 0, fund_fen_ = 0, oop_fen_ = 0;
    std::vector<scenario::Fen> fund_by_year_;  ///< fund payments per insurance year (window)
    /// The same for each alliance's residents, [alliance][year].
    std::vector<std::vector<scenario::Fen>> alliance_fund_;
    bool dip_ = false;  ///< some period pays DIP points
    std::vector<double> points_by_year_;
    std::vector<scenario::Fen> points_fee_fund_by_year_;
    /// Outpatient capitation and per-diem admissions (policy.payment.mode: capitation_per_diem).
    struct CapitationPerDiem {
        bool on = false;  ///< some period pays this way
        std::vector<std::uint64_t> visits_by_year;
        std::vector<scenario::Fen> fee_fund_by_year;  ///< the fund's share of the visits' fees
        std::uint64_t admissions = 0;
        double bed_days = 0;
        scenario::Fen paid = 0;  ///< the per-diem admissions' bills (fund and patient)
    } capitation_per_diem_;
    std::vector<ConditionCounts> condition_;
    LevelBills bills_;
    ContractedCounts contracted_;
    LayerCounts layers_;
    /// The basic scheme's payments at external hospitals, by place class (fen, in the window).
    std::array<scenario::Fen, scenario::kPlaceClasses> external_fund_fen_{};
    std::uint64_t emergency_visits_ = 0;
    std::uint64_t managed_episodes_ = 0, managed_acute_ = 0, scheduled_episodes_ = 0;
    std::uint64_t managed_follow_ups_ = 0;
    std::array<std::uint64_t, 4> medicine_referrals_{};
    /// Reserved capacity used (ReservedCapacityUsed), in the window.
    struct ReservedUse {
        std::uint64_t doctors = 0, beds = 0;
        std::uint64_t family = 0, down = 0;  ///< of doctors + beds: by whom
    } reserved_use_;
    bool reserved_on_ = false;        ///< some period reserves capacity
    bool stationed_on_ = false;       ///< some period stations physicians at township centers
    bool circuit_on_ = false;         ///< some period runs circuit clinics
    std::vector<bool> sent_down_at_;  ///< facilities with stationed or circuit doctors (any period)
    double stationed_visits_ = 0, circuit_visits_ = 0;  ///< expected visits they saw
    /// The emergency pathway's treated patients (episodes started in the window).
    struct EmergencyTimes {
        std::uint64_t treated = 0, within = 0, ambulance = 0, center = 0;
        double to_door_sum = 0, door_sum = 0;  ///< seconds
    } emergency_times_;
    /// The exams (policy.exams) ordered in the window.
    struct ExamCounts {
        std::uint64_t exams = 0, center_reads = 0, repeats = 0, avoided = 0;
        double center_turnaround_sum = 0;  ///< seconds
        scenario::Fen fen = 0;             ///< their fees
    } exams_;
    /// Home beds (policy.home_beds): admissions in the window, their days and fees, the slots'
    /// occupied time in the window, the doctors' visits.
    struct HomeBedCounts {
        std::uint64_t admissions = 0, visits = 0;
        double days = 0, occupied = 0, doctor_hours = 0;  ///< occupied: seconds in the window
        scenario::Fen fen = 0;
        bool bill_pending = false;  ///< the next inpatient bill is a home bed's
    } home_beds_;
};

}  // namespace cmasim::model
