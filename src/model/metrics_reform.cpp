// The indicators of the reform measures on chronic care, medicines, emergencies and exams
// (docs/levers.md), emitted only when the scenario switches the measure on, so other scenarios'
// outputs keep their keys.
#include <string>

#include "cmasim/model/metrics.h"

namespace cmasim::model {

void MetricsCollector::count_managed_episode(const EpisodeStarted& e) {
    if (e.patient.scheduled) {
        ++scheduled_episodes_;
        return;
    }
    ++managed_episodes_;
    if (c_.condition(e.patient.condition).managed_acute) ++managed_acute_;
}

void MetricsCollector::on(const MedicineMissing& e) {
    if (in_window(e.at))
        ++medicine_referrals_[static_cast<std::size_t>(idx(c_.facility(e.facility).level))];
}

void MetricsCollector::on(const EmergencyTreatment& e) {
    if (!in_window(e.patient.episode_start)) return;
    auto& t = emergency_times_;
    ++t.treated;
    t.to_door_sum += static_cast<double>(e.to_door);
    t.door_sum += static_cast<double>(e.door_to_treatment);
    if (e.to_door + e.door_to_treatment <= c_.emergency.threshold) ++t.within;
    if (e.ambulance) ++t.ambulance;
    if (e.center) ++t.center;
}

void MetricsCollector::add_emergency_rows(indicators::ReplicationResult& r) const {
    if (!c_.emergency.on()) return;
    const auto& t = emergency_times_;
    const double n = static_cast<double>(t.treated);
    auto share = [n](std::uint64_t k) { return n > 0 ? static_cast<double>(k) / n : 0.0; };
    auto mean_minutes = [n](double seconds) { return n > 0 ? seconds / n / 60.0 : 0.0; };
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    add("emergency_treatments", n);
    add("time_to_treatment_minutes", mean_minutes(t.to_door_sum + t.door_sum));
    add("time_to_treatment_within", share(t.within));
    add("onset_to_door_minutes", mean_minutes(t.to_door_sum));
    add("door_to_treatment_minutes", mean_minutes(t.door_sum));
    add("emergency_ambulance_share", share(t.ambulance));
    add("emergency_center_share", share(t.center));
}

void MetricsCollector::on(const ExamOrdered& e) {
    if (!in_window(e.at)) return;
    if (e.recognised) {
        ++exams_.avoided;
        return;
    }
    ++exams_.exams;
    if (e.repeat) ++exams_.repeats;
    if (!e.center.valid()) return;
    ++exams_.center_reads;
    exams_.center_turnaround_sum += static_cast<double>(e.turnaround);
}

/// Utilisation: the centers' reads over the reads they could make in the window; 0 when a center
/// has no daily limit.
void MetricsCollector::add_exam_rows(indicators::ReplicationResult& r) const {
    if (!c_.exams.on()) return;
    const auto& x = exams_;
    double capacity = 0;
    const double days = static_cast<double>(to_ - from_) / static_cast<double>(sim::kDay);
    for (const auto& center : c_.exams.centers) {
        if (center.reads_per_day == 0) capacity = -1;  // no limit: no utilisation
        if (capacity >= 0) capacity += center.reads_per_day * days;
    }
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    const auto reads = static_cast<double>(x.center_reads);
    add("exams", static_cast<double>(x.exams));
    add("exam_spending", static_cast<double>(x.fen) / 100.0);
    add("exam_center_reads", reads);
    add("exam_center_utilisation", capacity > 0 ? reads / capacity : 0.0);
    add("exam_center_turnaround_hours", reads > 0 ? x.center_turnaround_sum / reads / 3600.0 : 0);
    add("repeat_exams", static_cast<double>(x.repeats));
    add("repeat_exams_avoided", static_cast<double>(x.avoided));
}

void MetricsCollector::count_home_bed(const Admitted& e) {
    home_beds_.bill_pending = true;
    home_beds_.occupied += static_cast<double>(clipped(e.at, e.stay));
    if (!in_window(e.at)) return;
    ++home_beds_.admissions;
    home_beds_.days += static_cast<double>(e.stay) / static_cast<double>(sim::kDay);
}

void MetricsCollector::on(const HomeBedVisit& e) {
    if (!in_window(e.at)) return;
    ++home_beds_.visits;
    home_beds_.doctor_hours += static_cast<double>(e.doctor_time) / 3600.0;
}

/// Occupancy: the slots' occupied time in the window over every slot's time in the window.
void MetricsCollector::add_home_bed_rows(indicators::ReplicationResult& r) const {
    if (c_.scenario.policy.home_beds.slots_per_center <= 0) return;
    const auto& h = home_beds_;
    double slots = 0;
    for (const auto& fi : c_.facilities) slots += fi.home_bed_slots;
    const double window = slots * static_cast<double>(to_ - from_);
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    add("home_bed_admissions", static_cast<double>(h.admissions));
    add("home_bed_days", h.days);
    add("home_bed_occupancy", window > 0 ? h.occupied / window : 0.0);
    add("home_bed_cost_per_day", h.days > 0 ? static_cast<double>(h.fen) / 100.0 / h.days : 0.0);
    add("home_bed_visits", static_cast<double>(h.visits));
    add("home_bed_doctor_hours", h.doctor_hours);
}

/// Only when some external hospital stands outside the prefecture: other counties keep their keys.
void MetricsCollector::add_place_rows(indicators::ReplicationResult& r) const {
    using scenario::PlaceClass;
    std::array<double, scenario::kPlaceClasses> admissions{}, visits{};
    bool elsewhere = false;
    for (std::size_t f = 0; f < c_.facilities.size(); ++f) {
        const auto& fi = c_.facilities[f];
        if (fi.level != Level::External) continue;
        const auto p = static_cast<std::size_t>(idx(fi.place_class));
        elsewhere |= fi.place_class != PlaceClass::InPrefecture;
        admissions[p] += static_cast<double>(facility_admissions_[f]);
        visits[p] += static_cast<double>(facility_visits_[f]);
    }
    if (!elsewhere) return;
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    const auto in = static_cast<std::size_t>(idx(PlaceClass::InPrefecture));
    const auto out = static_cast<std::size_t>(idx(PlaceClass::OutOfPrefecture));
    const auto far = static_cast<std::size_t>(idx(PlaceClass::OutOfProvince));
    const auto all_admissions = static_cast<double>(total_.admissions);
    const auto all_visits = static_cast<double>(total_.visits);
    add("admissions_out_of_prefecture_share",
        all_admissions > 0 ? (admissions[out] + admissions[far]) / all_admissions : 0.0);
    add("admissions_out_of_province_share",
        all_admissions > 0 ? admissions[far] / all_admissions : 0.0);
    add("admissions_in_prefecture_external", admissions[in]);
    add("admissions_out_of_prefecture", admissions[out]);
    add("admissions_out_of_province", admissions[far]);
    add("visits_out_of_prefecture_share",
        all_visits > 0 ? (visits[out] + visits[far]) / all_visits : 0.0);
    add("fund_spending_out_of_prefecture",
        static_cast<double>(external_fund_fen_[out] + external_fund_fen_[far]) / 100.0);
    add("fund_spending_out_of_province", static_cast<double>(external_fund_fen_[far]) / 100.0);
}

void MetricsCollector::add_reform_rows(indicators::ReplicationResult& r) const {
    add_place_rows(r);
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    const auto& policy = c_.scenario.policy;
    if (policy.chronic.managed_share > 0) {
        const auto illnesses = static_cast<double>(episodes_ - scheduled_episodes_);
        add("managed_episode_share",
            illnesses > 0 ? static_cast<double>(managed_episodes_) / illnesses : 0.0);
        add("managed_acute_episodes", static_cast<double>(managed_acute_));
        add("managed_follow_up_visits", static_cast<double>(managed_follow_ups_));
    }
    if (policy.medicines.availability.empty()) return;
    std::uint64_t total = 0;
    for (auto n : medicine_referrals_) total += n;
    add("medicine_referrals", static_cast<double>(total));
    for (const Level level : {Level::Village, Level::Township, Level::County}) {
        add(std::string("medicine_referrals_") + to_string(level),
            static_cast<double>(medicine_referrals_[static_cast<std::size_t>(idx(level))]));
    }
}

}  // namespace cmasim::model
