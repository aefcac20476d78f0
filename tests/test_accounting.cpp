// Accounting identities (docs/model.md §9) over real runs of scenarios/tiny.yaml and a shortened
// scenarios/baseline.yaml: every episode ends exactly once; visits by level add up to the total;
// spending_total == fund_spending + out_of_pocket, exactly in fen; every bill adds up.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/metrics.h"
#include "cmasim/model/trace.h"
#include "cmasim/scenario/loader.h"

namespace {

using cmasim::model::Bill;
using cmasim::model::County;
using cmasim::model::EpisodeEnd;
using cmasim::model::PatientRef;
using cmasim::model::VisitKind;
using cmasim::scenario::Fen;
using cmasim::sim::SimTime;

const char* const kTiny = CMASIM_SOURCE_DIR "/scenarios/tiny.yaml";
const char* const kBaseline = CMASIM_SOURCE_DIR "/scenarios/baseline.yaml";

/// Keeps the books of a run independently of MetricsCollector: which episodes are open, which
/// ended, every bill as integers, and notifications about episodes that are not open.
class Ledger final : public cmasim::model::EveryEvent<Ledger> {
  public:
    Ledger(const County& county, SimTime from, SimTime to)
        : county_(&county), from_(from), to_(to) {}

    /// Any event but those below: it must be about an open episode.
    template <class Event>
    void handle(const Event& e) {
        touch(e.patient);
    }
    void handle(const cmasim::model::EpisodeStarted& e) {
        ++started;
        const std::uint64_t episode = e.patient.episode.value();
        if (!open_.insert(episode).second || ended_.count(episode) > 0) ++started_twice;
    }
    void handle(const cmasim::model::Consultation& e) {
        touch(e.patient);
        if (e.at >= from_ && e.at < to_) ++visits_in_window;
        if (e.at >= from_ && e.at < to_ && e.emergency) ++emergency_in_window;
        if (e.emergency && !(county_->facility(e.facility).emergency && e.patient.emergency))
            ++emergency_without_service;
    }
    void handle(const cmasim::model::Billed& e) {
        const Bill& b = e.bill;
        touch(e.patient);
        ++bills;
        const Fen by_layers = b.catastrophic + b.assistance;
        if (b.fund + by_layers + b.out_of_pocket != b.total) ++bills_not_adding_up;
        if (b.fund < 0 || b.out_of_pocket < 0 || b.total < 0 || b.deductible < 0 ||
            b.catastrophic < 0 || b.assistance < 0)
            ++bills_negative;
        // The layers pay part of what the basic scheme left, deductible included.
        if (b.deductible > b.out_of_pocket + by_layers || (!e.inpatient && b.deductible != 0))
            ++bills_bad_deductible;
        if (e.at >= from_ && e.at < to_) {
            total += b.total;
            fund += b.fund;
            out_of_pocket += b.out_of_pocket;
            layers += by_layers;
        }
    }
    void handle(const cmasim::model::EpisodeEnded& e) {
        ++ended;
        const std::uint64_t episode = e.patient.episode.value();
        if (open_.erase(episode) == 0) {
            if (ended_.count(episode) > 0) {
                ++ended_twice;
            } else {
                ++ended_unstarted;
            }
        }
        ended_.insert(episode);
    }

    std::size_t still_open() const { return open_.size(); }

    std::uint64_t started = 0, ended = 0;
    std::uint64_t started_twice = 0, ended_twice = 0, ended_unstarted = 0;
    std::uint64_t about_closed_episode = 0;  ///< notifications about an episode not open
    std::uint64_t visits_in_window = 0;
    std::uint64_t emergency_in_window = 0;
    /// Emergency consultations of a non-emergency episode or at a facility without the service.
    std::uint64_t emergency_without_service = 0;
    std::uint64_t bills = 0, bills_not_adding_up = 0, bills_negative = 0, bills_bad_deductible = 0;
    Fen total = 0, fund = 0, out_of_pocket = 0;  ///< bills inside the statistics window
    Fen layers = 0;  ///< paid by the catastrophic and assistance layers, in the window

  private:
    void touch(const PatientRef& p) {
        if (open_.count(p.episode.value()) == 0) ++about_closed_episode;
    }
    const County* county_;
    SimTime from_, to_;
    std::unordered_set<std::uint64_t> open_, ended_;
};

double indicator(const cmasim::indicators::ReplicationResult& r, const std::string& key) {
    for (const auto& row : r.county) {
        if (row.indicator == key) return row.value;
    }
    ADD_FAILURE() << "no indicator " << key;
    return 0;
}

/// Yuan as reported back to integer fen; exact for every sum a run can produce (< 2^53 fen).
Fen fen(double yuan) {
    return static_cast<Fen>(std::llround(yuan * 100.0));
}

/// Every episode ends exactly once, and nothing happens to an episode that is not open.
void expect_episodes_balance(const Ledger& ledger, const cmasim::model::ReplicationStats& stats) {
    ASSERT_GT(ledger.started, 0U) << "the run should see some episodes";
    EXPECT_EQ(ledger.started, ledger.ended);
    EXPECT_EQ(ledger.started_twice, 0U);
    EXPECT_EQ(ledger.ended_twice, 0U);
    EXPECT_EQ(ledger.ended_unstarted, 0U);
    EXPECT_EQ(ledger.still_open(), 0U);
    EXPECT_EQ(ledger.about_closed_episode, 0U);
    EXPECT_EQ(stats.episodes_started, stats.episodes_ended);
    EXPECT_EQ(stats.episodes_started, ledger.started);
}

/// Visits by level add up to visits, and to what the ledger saw in the window.
void expect_visits_add_up(const cmasim::indicators::ReplicationResult& result,
                          const Ledger& ledger) {
    const double visits = indicator(result, "visits");
    EXPECT_GT(visits, 0);
    EXPECT_EQ(indicator(result, "visits_village") + indicator(result, "visits_township") +
                  indicator(result, "visits_county") + indicator(result, "visits_external"),
              visits);
    EXPECT_EQ(visits, static_cast<double>(ledger.visits_in_window));
}

/// The sum of a breakdown's rows for one indicator (conditions.csv, levels.csv).
double group_sum(const cmasim::indicators::ReplicationResult& r, const std::string& dimension,
                 const std::string& key) {
    double sum = 0;
    for (const auto& row : r.groups) {
        if (row.dimension == dimension && row.indicator == key) sum += row.value;
    }
    return sum;
}

/// The official indicators and the breakdown by condition agree with the counts they divide:
/// 基层诊疗量占比 is grassroots visits over in-county visits; the conditions' rows add up to the
/// county's; emergency consultations happen only at an emergency service.
void expect_official_indicators_add_up(const cmasim::indicators::ReplicationResult& result,
                                       const Ledger& ledger) {
    const double grassroots =
        indicator(result, "visits_village") + indicator(result, "visits_township");
    const double in_county = indicator(result, "visits") - indicator(result, "visits_external");
    EXPECT_DOUBLE_EQ(indicator(result, "grassroots_share"),
                     in_county > 0 ? grassroots / in_county : 0);
    EXPECT_DOUBLE_EQ(indicator(result, "grassroots_rate"),
                     grassroots / indicator(result, "visits"));
    for (const char* key : {"visits", "admissions", "episodes", "emergency_visits", "up_referrals",
                            "out_of_county_referrals"}) {
        EXPECT_EQ(group_sum(result, "condition", key), indicator(result, key)) << key;
    }
    EXPECT_EQ(indicator(result, "emergency_visits"),
              static_cast<double>(ledger.emergency_in_window));
    EXPECT_EQ(ledger.emergency_without_service, 0U);
    EXPECT_DOUBLE_EQ(indicator(result, "out_of_county_referral_rate"),
                     indicator(result, "out_of_county_referrals") / indicator(result, "episodes"));
}

/// Every bill adds up; the totals are fund + layers + out-of-pocket, exactly, in fen.
void expect_money_adds_up(const cmasim::indicators::ReplicationResult& result,
                          const Ledger& ledger) {
    EXPECT_GT(ledger.bills, 0U);
    EXPECT_EQ(ledger.bills_not_adding_up, 0U);
    EXPECT_EQ(ledger.bills_negative, 0U);
    EXPECT_EQ(ledger.bills_bad_deductible, 0U);
    EXPECT_EQ(ledger.fund + ledger.layers + ledger.out_of_pocket, ledger.total);
    const Fen total = fen(indicator(result, "spending_total"));
    const Fen fund = fen(indicator(result, "fund_spending"));
    const Fen oop = fen(indicator(result, "out_of_pocket"));
    Fen layers = 0;
    for (const auto& row : result.county) {
        if (row.indicator == "catastrophic_spending" || row.indicator == "assistance_spending")
            layers += fen(row.value);
    }
    EXPECT_GT(total, 0);
    EXPECT_EQ(total, fund + layers + oop);
    EXPECT_EQ(layers, ledger.layers);
    EXPECT_EQ(total, ledger.total);
    EXPECT_EQ(fund, ledger.fund);
    EXPECT_EQ(oop, ledger.out_of_pocket);
}

/// Runs one replication with metrics and a ledger and checks every identity.
void check_identities(const County& county, std::uint64_t replication) {
    SCOPED_TRACE("replication " + std::to_string(replication));
    cmasim::model::MetricsCollector metrics(county);
    Ledger ledger(county, county.warmup, county.warmup + county.horizon);
    cmasim::model::ObserverList both(metrics);
    both.add(ledger);
    const auto stats = cmasim::model::simulate_replication(county, replication, both);
    const auto result = metrics.result(replication);
    expect_episodes_balance(ledger, stats);
    expect_visits_add_up(result, ledger);
    expect_money_adds_up(result, ledger);
    expect_official_indicators_add_up(result, ledger);
}

County compile_file(const char* file, double horizon_days = 0, double warmup_days = -1) {
    auto s = cmasim::scenario::load_scenario(file);
    if (horizon_days > 0) s.horizon_days = horizon_days;
    if (warmup_days >= 0) s.warmup_days = warmup_days;
    return cmasim::model::compile_county(s);
}

TEST(AccountingTiny, IdentitiesHoldInFourReplications) {
    const County county = compile_file(kTiny);
    for (std::uint64_t r = 0; r < 4; ++r) check_identities(county, r);
}

// Tiny with every behaviour that ends or restarts an episode early switched on hard (balking,
// reneging, leaving, choosing again at closed doors, referring at full wards, self-referral),
// and every cost-sharing rule (continuous deductible, waiver, penalties, gatekeeping).
TEST(AccountingTiny, IdentitiesHoldUnderBalkingRenegingAndLeaving) {
    auto s = cmasim::scenario::load_scenario(kTiny);
    s.behaviour.balk_queue_per_doctor = 1;
    s.behaviour.patience_minutes = cmasim::sim::Distribution::exponential(20);
    s.behaviour.renege_action = cmasim::scenario::RenegeAction::Leave;
    s.behaviour.closed_facility = cmasim::scenario::ClosedAction::ChooseAgain;
    s.behaviour.full_ward = cmasim::scenario::FullWardAction::Refer;
    s.behaviour.self_referral_probability = 0.5;
    s.insurance.continuous_deductible = true;
    s.insurance.down_referral_waiver = true;
    s.insurance.unreferred_penalty = {0, 0, 0.1, 0.3};
    s.insurance.gatekeeping.enabled = true;
    s.insurance.gatekeeping.penalty = {0, 0, 0.3, 0.6};
    const County county = cmasim::model::compile_county(s);
    for (std::uint64_t r = 0; r < 2; ++r) check_identities(county, r);
}

TEST(AccountingTiny, EpisodesIndicatorCountsWindowStarts) {
    const County county = compile_file(kTiny);
    cmasim::model::MetricsCollector metrics(county);
    struct Starts final : cmasim::model::ModelObserver {
        SimTime from = 0, to = 0;
        std::uint64_t in_window = 0;
        using ModelObserver::on;
        void on(const cmasim::model::EpisodeStarted& e) override {
            if (e.at >= from && e.at < to) ++in_window;
        }
    } starts;
    starts.from = county.warmup;
    starts.to = county.warmup + county.horizon;
    cmasim::model::ObserverList both(metrics);
    both.add(starts);
    cmasim::model::simulate_replication(county, 0, both);
    EXPECT_GT(starts.in_window, 0U);
    EXPECT_EQ(indicator(metrics.result(0), "episodes"), static_cast<double>(starts.in_window));
}

// The full-size county, one replication, horizon cut to 60 days and warm-up to 10 to keep the
// test short.
TEST(AccountingBaseline, IdentitiesHoldInShortRun) {
    const County county = compile_file(kBaseline, 60, 10);
    check_identities(county, 0);
}

// Every shipped what-if scenario (the validation networks have no bills), 10 days after 2 of
// warm-up: the identities do not depend on the lever.
TEST(AccountingShipped, IdentitiesHoldInEveryWhatIf) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(CMASIM_SOURCE_DIR "/scenarios/whatif"))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    ASSERT_GE(files.size(), 10U);
    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        check_identities(compile_file(file.string().c_str(), 10, 2), 0);
    }
}

/// Out-of-pocket fen over the whole run, and how many inpatient bills went to down-referred care.
struct DownReferredBills final : cmasim::model::ModelObserver {
    Fen out_of_pocket = 0;
    std::uint64_t down_referrals = 0;
    using ModelObserver::on;
    void on(const cmasim::model::Referred& e) override {
        if (e.kind == cmasim::model::ReferralKind::Down) ++down_referrals;
    }
    void on(const cmasim::model::Billed& e) override { out_of_pocket += e.bill.out_of_pocket; }
};

// docs/model.md §5 lever 2: with the down-referral waiver on, down-referred admissions pay no
// deductible, so patients pay less. Tiny down-refers 30% of its serious inpatients; here half
// of them stay at the township for rehabilitation.
TEST(AccountingLevers, DownReferralWaiverLowersWhatPatientsPay) {
    auto s = cmasim::scenario::load_scenario(kTiny);
    // Down-referred patients of the serious condition may stay for rehabilitation at the
    // township; only those stays have a deductible that the waiver can remove.
    for (auto& cond : s.conditions) {
        if (cond.id == "serious") {
            cond.down_referral_admission = 0.5;
            cond.stay_days[1] = cmasim::sim::Distribution::gamma(8, 3);
            cond.inpatient_fee_stay[1] = 250000;  // 2,500 yuan: above the 200-yuan deductible
        }
    }
    s.insurance.down_referral_waiver = false;
    const County without = cmasim::model::compile_county(s);
    s.insurance.down_referral_waiver = true;
    const County with = cmasim::model::compile_county(s);
    DownReferredBills a, b;
    cmasim::model::simulate_replication(without, 0, a);
    cmasim::model::simulate_replication(with, 0, b);
    ASSERT_GT(a.down_referrals, 0U);
    EXPECT_LT(b.out_of_pocket, a.out_of_pocket);
}

}  // namespace
