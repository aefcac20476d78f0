// The indicators of the capacity the alliance moves (docs/model.md, indicators): the reserved
// capacity used and by whom (预留号源、住院床位, docs/levers.md 05b), and the visits seen by the
// doctors sent down — stationed physicians and circuit clinics (派驻、巡回诊疗, levers 06 and 09).
// Emitted only when a period of the scenario switches the lever on, so other scenarios' outputs
// keep their keys.
#include <algorithm>
#include <string>

#include "cmasim/model/metrics.h"

namespace cmasim::model {

void MetricsCollector::init_sent_down() {
    sent_down_at_.assign(c_.facilities.size(), false);
    for (std::size_t k = 0; k <= c_.periods.size(); ++k) {
        const County& period = c_.period(k);
        const auto& policy = period.scenario.policy;
        reserved_on_ |= policy.reserved_share > 0;
        stationed_on_ |= policy.stationed.per_township > 0;
        circuit_on_ |= policy.circuit.enabled;
        for (std::size_t f = 0; f < period.facilities.size(); ++f) {
            const auto& fi = period.facilities[f];
            if (fi.stationed_doctors > 0 || !fi.extra_staff.empty()) sent_down_at_[f] = true;
        }
    }
}

void MetricsCollector::on(const ReservedCapacityUsed& e) {
    if (!in_window(e.at)) return;
    ++(e.bed ? reserved_use_.beds : reserved_use_.doctors);
    if (e.family_referral && e.kind == VisitKind::Referred) ++reserved_use_.family;
    if (e.kind == VisitKind::DownReferred) ++reserved_use_.down;
}

/// Patients queue for the facility, not for a doctor, so a visit is seen by any doctor on duty
/// with equal chance: it counts for each group of doctors in proportion to their number on duty
/// when it starts (the expected number each group saw, without a random draw). Stationed doctors
/// work the facility's own hours; circuit doctors their weekly window.
void MetricsCollector::count_sent_down(const Consultation& e) {
    const auto& fi = c_.period(c_.period_at(e.at)).facilities[e.facility.index()];
    if (fi.unlimited) return;
    const int on_duty = fi.doctors_at(e.at);
    if (on_duty <= 0) return;
    int circuit = 0;
    for (const auto& w : fi.extra_staff) {
        if (w.when.is_open(e.at)) circuit += w.doctors;
    }
    const int stationed = fi.schedule.is_open(e.at) ? std::min(fi.stationed_doctors, on_duty) : 0;
    stationed_visits_ += static_cast<double>(stationed) / static_cast<double>(on_duty);
    circuit_visits_ += static_cast<double>(circuit) / static_cast<double>(on_duty);
}

void MetricsCollector::add_sent_down_rows(indicators::ReplicationResult& r) const {
    auto add = [&](const std::string& key, double v) { r.county.push_back({key, v}); };
    if (reserved_on_) {
        const auto& u = reserved_use_;
        add("reserved_doctors_used", static_cast<double>(u.doctors));
        add("reserved_beds_used", static_cast<double>(u.beds));
        add("reserved_used_family_referrals", static_cast<double>(u.family));
        add("reserved_used_down_referrals", static_cast<double>(u.down));
    }
    if (stationed_on_) add("stationed_physician_visits", stationed_visits_);
    if (circuit_on_) add("circuit_clinic_visits", circuit_visits_);
}

}  // namespace cmasim::model
