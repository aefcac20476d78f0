#include "cmasim/model/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cmasim::model {
namespace {

const char* level_name(int l) {
    return to_string(static_cast<Level>(l));
}

double ratio(double num, double den) {
    return den > 0 ? num / den : 0.0;
}
double yuan(scenario::Fen f) {
    return static_cast<double>(f) / 100.0;
}

void count_visit(VisitCounts& c, Level level) {
    ++c.visits;
    if (level <= Level::Township) ++c.visits_grassroots;
    if (level != Level::External) ++c.visits_in_county;
}

void count_admission(VisitCounts& c, Level level) {
    ++c.admissions;
    if (level != Level::External) ++c.admissions_in_county;
}

/// The q-quantile of waits in minutes from the histogram: zero waits are exact (bin 0 holds only
/// them), positive waits are interpolated linearly inside their one-minute bin.
double quantile_minutes(const std::vector<std::uint64_t>& hist, double q) {
    std::uint64_t n = 0;
    for (auto h : hist) n += h;
    if (n == 0) return 0;
    const double need = q * static_cast<double>(n);
    double cum = 0;
    for (std::size_t b = 0; b < hist.size(); ++b) {
        const auto h = static_cast<double>(hist[b]);
        if (cum + h >= need && h > 0) {
            if (b == 0) return 0;
            return static_cast<double>(b - 1) + (need - cum) / h;
        }
        cum += h;
    }
    return static_cast<double>(hist.size() - 1);
}

}  // namespace

std::size_t MetricsCollector::run_month(sim::SimTime t) const {
    std::size_t m = 0;
    for (sim::SimTime end = c_.next_month_start(c_.warmup); end <= t;
         end = c_.next_month_start(end))
        ++m;
    return m;
}

/// In a timeline run, the period in force on month m's first day marks its rows (from `first`).
void MetricsCollector::mark_period(indicators::ReplicationResult& r, std::size_t first,
                                   std::size_t m) const {
    if (c_.periods.empty()) return;
    sim::SimTime start = c_.warmup;
    for (std::size_t k = 0; k < m; ++k) start = c_.next_month_start(start);
    const std::string& period = c_.period_name(c_.period_at(start));
    for (std::size_t i = first; i < r.groups.size(); ++i) r.groups[i].name = period;
}

std::string MetricsCollector::month_label(std::size_t m) const {
    char label[24];
    if (!run_months_) {
        std::snprintf(label, sizeof label, "%02d", static_cast<int>(m) + 1);
        return label;
    }
    const int from_start = c_.scenario.horizon_start_month - 1 + static_cast<int>(m);
    const int month = from_start % 12 + 1;
    if (c_.scenario.start_date.size() >= 4) {
        const int year = std::stoi(c_.scenario.start_date.substr(0, 4)) + from_start / 12;
        std::snprintf(label, sizeof label, "%04d-%02d", year, month);
    } else {
        std::snprintf(label, sizeof label, "y%d-%02d", from_start / 12 + 1, month);
    }
    return label;
}

MetricsCollector::MetricsCollector(const County& county)
    : MetricsCollector(county, county.warmup, county.warmup + county.horizon) {
    settle_ = true;
}

MetricsCollector::MetricsCollector(const County& county, sim::SimTime from, sim::SimTime to)
    : settle_(false), c_(county), from_(from), to_(to) {
    run_months_ = !c_.periods.empty() || c_.horizon > 365 * sim::kDay;
    year_end_ = c_.warmup + 365 * sim::kDay;
    month_.resize(run_months_ ? run_month(c_.warmup + c_.horizon - 1) + 1 : 12);
    init_funds(static_cast<std::size_t>((c_.horizon - 1) / (365 * sim::kDay)) + 1);
    township_.resize(c_.townships.size());
    for (auto& h : wait_hist_) h.assign(kWaitBins, 0);
    const std::size_t nf = c_.facilities.size();
    facility_visits_.assign(nf, 0);
    facility_admissions_.assign(nf, 0);
    facility_wait_sum_.assign(nf, 0);
    facility_busy_.assign(nf, 0);
    facility_bed_time_.assign(nf, 0);
    facility_queue_area_.assign(nf, 0);
    facility_sojourn_sum_.assign(nf, 0);
    condition_.resize(c_.conditions.size());
    init_points();
    init_capitation_per_diem();
    init_sent_down();
}

void MetricsCollector::on(const EpisodeStarted& e) {
    ++episodes_started_all_;
    if (!in_window(e.at)) return;
    ++episodes_;
    ++condition_[e.patient.condition.index()].episodes;
    if (e.patient.low_income) ++layers_.low_income_episodes;
    if (e.patient.managed) count_managed_episode(e);
}

void MetricsCollector::on(const FacilityChosen& e) {
    const PatientRef& p = e.patient;
    if (e.kind != VisitKind::FirstContact || !in_window(p.episode_start)) return;
    if (!c_.condition(p.condition).grassroots_treatable) return;
    ++first_contacts_gt_;
    if (c_.facility(e.facility).level >= Level::County) ++bypass_;
}

void MetricsCollector::on(const Consultation& e) {
    const std::uint32_t f = e.facility.index();
    const Level level = c_.facilities[f].level;
    // Emergency consultations hold no outpatient doctor.
    if (!c_.facilities[f].unlimited && !e.emergency) facility_busy_[f] += clipped(e.at, e.duration);
    facility_queue_area_[f] += static_cast<double>(clipped(e.at - e.wait, e.wait));
    if (!in_window(e.at)) return;
    facility_sojourn_sum_[f] += static_cast<double>(e.wait + e.duration) / 60.0;
    count_visit(total_, level);
    count_visit(township_[e.patient.township.index()], level);
    count_visit(month_[month_at(e.at)], level);
    auto& condition = condition_[e.patient.condition.index()];
    count_visit(condition.counts, level);
    if (e.patient.contracted) count_visit(contracted_.counts, level);
    if (e.patient.low_income) count_visit(layers_.low_income, level);
    if (e.patient.scheduled) ++managed_follow_ups_;
    if (e.emergency) {
        ++emergency_visits_;
        ++condition.emergency_visits;
    }
    ++visits_by_level_[static_cast<std::size_t>(idx(level))];
    const double minutes = static_cast<double>(e.wait) / 60.0;
    wait_sum_[static_cast<std::size_t>(idx(level))] += minutes;
    // Bin 0: no wait at all; bin b >= 1: a wait in [b - 1, b) minutes; the last bin is open.
    const auto bin = e.wait == 0 ? std::size_t{0}
                                 : std::min<std::size_t>(static_cast<std::size_t>(e.wait / 60) + 1,
                                                         kWaitBins - 1);
    ++wait_hist_[static_cast<std::size_t>(idx(level))][bin];
    ++facility_visits_[f];
    facility_wait_sum_[f] += minutes;
    if (sent_down_at_[f] && !e.emergency) count_sent_down(e);
}

void MetricsCollector::on(const Admitted& e) {
    const std::uint32_t f = e.facility.index();
    if (e.home_bed) count_home_bed(e);
    if (!c_.facilities[f].unlimited && !e.home_bed) facility_bed_time_[f] += clipped(e.at, e.stay);
    if (!in_window(e.at)) return;
    const Level level = c_.facilities[f].level;
    count_admission(total_, level);
    count_admission(township_[e.patient.township.index()], level);
    count_admission(month_[month_at(e.at)], level);
    count_admission(condition_[e.patient.condition.index()].counts, level);
    if (e.patient.contracted) count_admission(contracted_.counts, level);
    if (e.patient.low_income) count_admission(layers_.low_income, level);
    ++admissions_by_level_[static_cast<std::size_t>(idx(level))];
    ++facility_admissions_[f];
    bed_wait_sum_ += static_cast<double>(e.bed_wait) / 3600.0;
    if (capitation_per_diem_.on) count_per_diem(e);
}

void MetricsCollector::on(const Referred& e) {
    if (in_window(e.at)) count_referral(e);
}

void MetricsCollector::on(const Balked& e) {
    if (in_window(e.at)) ++balked_;
}

void MetricsCollector::on(const Reneged& e) {
    facility_queue_area_[e.facility.index()] +=
        static_cast<double>(clipped(e.at - e.waited, e.waited));
    if (in_window(e.at)) ++reneged_;
}

void MetricsCollector::on(const RemoteConsultation& e) {
    if (in_window(e.at)) ++remote_;
}

void MetricsCollector::on(const AdmissionDeclined& e) {
    if (in_window(e.at)) ++admissions_declined_;
}

void MetricsCollector::on(const Billed& e) {
    if (e.inpatient && home_beds_.bill_pending) {  // the bill of the home bed just taken
        home_beds_.bill_pending = false;
        if (in_window(e.at)) home_beds_.fen += e.bill.total;
    }
    if (!in_window(e.at)) return;
    total_fen_ += e.bill.total;
    fund_fen_ += e.bill.fund;
    const std::size_t year = insurance_year(e.at);
    count_fund(e, year);
    if (dip_ && e.inpatient) count_points(e, year);
    if (capitation_per_diem_.on) count_capitated(e, year);
    oop_fen_ += e.bill.out_of_pocket;
    if (e.bill.catastrophic > 0) ++layers_.catastrophic_bills;
    layers_.catastrophic_fen += e.bill.catastrophic;
    layers_.assistance_fen += e.bill.assistance;
    if (e.patient.low_income) layers_.low_income_oop_fen += e.bill.out_of_pocket;
    const auto& f = c_.facility(e.facility);
    const auto l = static_cast<std::size_t>(idx(f.level));
    if (f.level == Level::External)
        external_fund_fen_[static_cast<std::size_t>(idx(f.place_class))] += e.bill.fund;
    if (e.exam) exams_.fen += e.bill.total;  // part of the outpatient spending, not a visit
    if (!e.exam) ++(e.inpatient ? bills_.inpatient : bills_.outpatient)[l];
    (e.inpatient ? bills_.inpatient_fen : bills_.outpatient_fen)[l] += e.bill.total;
}

void MetricsCollector::on(const EpisodeEnded& e) {
    const PatientRef& p = e.patient;
    ++episodes_ended_all_;
    if (!in_window(p.episode_start)) return;
    if (e.how == EpisodeEnd::NoVisit) {
        ++condition_[p.condition.index()].no_visit;  // no time in the system: not sought
        return;
    }
    ++episodes_ended_in_window_;
    time_in_system_sum_ += static_cast<double>(e.at - p.episode_start) / 60.0;
    if (e.how == EpisodeEnd::LeftUntreated) ++left_;
}

MetricsCollector::LevelFigures MetricsCollector::level_figures(int l) const {
    LevelFigures out;
    const auto li = static_cast<std::size_t>(l);
    out.visits = static_cast<double>(visits_by_level_[li]);
    out.admissions = static_cast<double>(admissions_by_level_[li]);
    out.wait_mean = ratio(wait_sum_[li], out.visits);
    out.wait_p90 = quantile_minutes(wait_hist_[li], 0.9);
    double busy = 0, avail = 0, bed = 0, beds = 0;
    for (std::size_t f = 0; f < c_.facilities.size(); ++f) {
        const auto& fi = c_.facilities[f];
        if (idx(fi.level) != l || fi.unlimited) continue;
        busy += static_cast<double>(facility_busy_[f]);
        avail += doctor_seconds(f);
        bed += static_cast<double>(facility_bed_time_[f]);
        beds += bed_seconds(f);
    }
    out.utilisation = ratio(busy, avail);
    out.bed_occupancy = ratio(bed, beds);
    return out;
}

indicators::ReplicationResult MetricsCollector::result(std::uint64_t replication) const {
    indicators::ReplicationResult r;
    r.replication = replication;
    add_county_rows(r);
    add_official_rows(r);
    add_reform_rows(r);
    add_capitation_per_diem_rows(r);
    add_emergency_rows(r);
    add_exam_rows(r);
    add_home_bed_rows(r);
    add_sent_down_rows(r);
    add_group_rows(r);
    return r;
}

void MetricsCollector::add_county_rows(indicators::ReplicationResult& r) const {
    const double pop = static_cast<double>(c_.population);
    const double years = static_cast<double>(to_ - from_) / (365.0 * 86400.0);
    const double per_year = years > 0 ? 1.0 / years : 0.0;
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    const auto& t = total_;
    add("in_county_rate", ratio(static_cast<double>(t.visits_in_county + t.admissions_in_county),
                                static_cast<double>(t.visits + t.admissions)));
    add("in_county_inpatient_rate",
        ratio(static_cast<double>(t.admissions_in_county), static_cast<double>(t.admissions)));
    add("admission_share_township",
        ratio(static_cast<double>(
                  admissions_by_level_[static_cast<std::size_t>(idx(Level::Township))]),
              static_cast<double>(t.admissions)));
    add("grassroots_share", grassroots_share(t));
    add("grassroots_rate",
        ratio(static_cast<double>(t.visits_grassroots), static_cast<double>(t.visits)));
    add("visits_per_capita", ratio(static_cast<double>(t.visits), pop) * per_year);
    add("admissions_per_100", ratio(100.0 * static_cast<double>(t.admissions), pop) * per_year);
    add("bypass_rate",
        ratio(static_cast<double>(bypass_), static_cast<double>(first_contacts_gt_)));
    const std::pair<const char*, std::uint64_t> refs[] = {
        {"up_referrals", up_},
        {"down_referrals", down_},
        {"out_of_county_referrals", out_of_county_},
        {"self_referrals", self_}};
    for (const auto& [name, n] : refs) add(name, static_cast<double>(n));
    for (const auto& [name, n] : refs)
        add(std::string(name) + "_per_10k", ratio(1e4 * static_cast<double>(n), pop) * per_year);
    add_wait_and_load_rows(r);
    add("balked", static_cast<double>(balked_));
    add("reneged", static_cast<double>(reneged_));
    add("left_untreated", static_cast<double>(left_));
    add("episodes", static_cast<double>(episodes_));
    add_no_visit_rows(r);
    add("visits", static_cast<double>(t.visits));
    for (int l = 0; l < 4; ++l)
        add(std::string("visits_") + level_name(l),
            static_cast<double>(visits_by_level_[static_cast<std::size_t>(l)]));
    add("admissions", static_cast<double>(t.admissions));
    add("admissions_declined", static_cast<double>(admissions_declined_));
    add("admission_decline_share", ratio(static_cast<double>(admissions_declined_),
                                         static_cast<double>(admissions_declined_ + t.admissions)));
    add("spending_total", yuan(total_fen_));
    add("fund_spending", yuan(fund_fen_));
    add("out_of_pocket", yuan(oop_fen_));
    add("out_of_pocket_per_episode", ratio(yuan(oop_fen_), static_cast<double>(episodes_)));
    add("out_of_pocket_per_resident", ratio(yuan(oop_fen_), pop) * per_year);
    add("remote_consultations", static_cast<double>(remote_));
    add("time_in_system_minutes",
        ratio(time_in_system_sum_, static_cast<double>(episodes_ended_in_window_)));
    add("within_15_min", c_.within_15_min);
    add("mean_travel_minutes", c_.mean_travel_minutes);
    add_budget_rows(r);
}

/// Waits, bed waits, utilisation and bed occupancy by level.
void MetricsCollector::add_wait_and_load_rows(indicators::ReplicationResult& r) const {
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    std::array<LevelFigures, 4> lf;
    for (int l = 0; l < 4; ++l) lf[static_cast<std::size_t>(l)] = level_figures(l);
    for (int l = 0; l < 4; ++l)
        add(std::string("wait_minutes_mean_") + level_name(l),
            lf[static_cast<std::size_t>(l)].wait_mean);
    for (int l = 0; l < 4; ++l)
        add(std::string("wait_minutes_p90_") + level_name(l),
            lf[static_cast<std::size_t>(l)].wait_p90);
    add("bed_wait_hours_mean", ratio(bed_wait_sum_, static_cast<double>(total_.admissions)));
    for (int l = 0; l < 3; ++l) {
        add(std::string("utilisation_") + level_name(l),
            lf[static_cast<std::size_t>(l)].utilisation);
        if (l > 0)
            add(std::string("bed_occupancy_") + level_name(l),
                lf[static_cast<std::size_t>(l)].bed_occupancy);
    }
}

void MetricsCollector::add_group_rows(indicators::ReplicationResult& r) const {
    const double years = static_cast<double>(to_ - from_) / (365.0 * 86400.0);
    auto rates = [&](const std::string& dim, const std::string& group, const std::string& name,
                     const VisitCounts& v, double pop) {
        auto add = [&](const char* key, double value) {
            r.groups.push_back({dim, group, key, value, name});
        };
        add("visits", static_cast<double>(v.visits));
        add("admissions", static_cast<double>(v.admissions));
        add("in_county_rate",
            ratio(static_cast<double>(v.visits_in_county + v.admissions_in_county),
                  static_cast<double>(v.visits + v.admissions)));
        add("in_county_inpatient_rate",
            ratio(static_cast<double>(v.admissions_in_county), static_cast<double>(v.admissions)));
        add("grassroots_rate",
            ratio(static_cast<double>(v.visits_grassroots), static_cast<double>(v.visits)));
        add("grassroots_share", grassroots_share(v));
        if (pop > 0 && years > 0) {
            add("visits_per_capita", static_cast<double>(v.visits) / pop / years);
            add("admissions_per_100", 100.0 * static_cast<double>(v.admissions) / pop / years);
        }
    };
    for (std::size_t k = 0; k < c_.townships.size(); ++k) {
        rates("township", c_.townships[k].id, c_.townships[k].name, township_[k],
              static_cast<double>(c_.townships[k].population));
    }
    for (int l = 0; l < 4; ++l) {
        const LevelFigures f = level_figures(l);
        auto add = [&](const char* key, double value) {
            r.groups.push_back({"level", level_name(l), key, value, {}});
        };
        add("visits", f.visits);
        add("admissions", f.admissions);
        add("wait_minutes_mean", f.wait_mean);
        add("wait_minutes_p90", f.wait_p90);
        if (l < 3) add("utilisation", f.utilisation);
        if (l == 1 || l == 2) add("bed_occupancy", f.bed_occupancy);
    }
    for (std::size_t m = 0; m < month_.size(); ++m) {
        if (month_[m].visits == 0 && month_[m].admissions == 0) continue;
        const std::size_t first = r.groups.size();
        rates("month", month_label(m), {}, month_[m], 0);
        mark_period(r, first, m);
    }
    add_facility_rows(r);
}

/// Episodes that took the outside option (no formal visit), county-wide.
void MetricsCollector::add_no_visit_rows(indicators::ReplicationResult& r) const {
    std::uint64_t no_visit = 0;
    for (const auto& n : condition_) no_visit += n.no_visit;
    r.county.push_back({"episodes_no_visit", static_cast<double>(no_visit)});
    r.county.push_back(
        {"no_visit_share", ratio(static_cast<double>(no_visit), static_cast<double>(episodes_))});
}

void MetricsCollector::add_facility_rows(indicators::ReplicationResult& r) const {
    const double window_minutes = static_cast<double>(to_ - from_) / 60.0;
    for (std::size_t f = 0; f < c_.facilities.size(); ++f) {
        const auto& fi = c_.facilities[f];
        auto add = [&](const char* key, double value) {
            r.groups.push_back({"facility", fi.id, key, value, fi.name});
        };
        const auto visits = static_cast<double>(facility_visits_[f]);
        add("visits", visits);
        add("admissions", static_cast<double>(facility_admissions_[f]));
        add("throughput_per_minute", ratio(visits, window_minutes));
        add("wait_minutes_mean", ratio(facility_wait_sum_[f], visits));
        add("sojourn_minutes_mean", ratio(facility_sojourn_sum_[f], visits));
        add("queue_length_mean", ratio(facility_queue_area_[f], static_cast<double>(to_ - from_)));
        if (fi.unlimited) continue;
        add("utilisation", ratio(static_cast<double>(facility_busy_[f]), doctor_seconds(f)));
        if (fi.beds > 0)
            add("bed_occupancy", ratio(static_cast<double>(facility_bed_time_[f]), bed_seconds(f)));
    }
}

}  // namespace cmasim::model
