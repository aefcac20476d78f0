// Engine part 2: what happens at a facility — doors, queues, consultations, beds, referrals and
// the bills each encounter produces.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "cmasim/model/policy.h"
#include "engine_impl.h"

namespace cmasim::model::detail {
namespace {

int idx(Level l) { return static_cast<int>(l); }

/// Referred patients hold a referral slip and never balk or walk away from a closed door.
bool holds_referral(VisitKind k) {
    return k == VisitKind::Referred || k == VisitKind::DownReferred || k == VisitKind::FollowUp;
}

/// Year-to-date fund payments after one more bill, saturated at 2^32 - 1 fen. Saturation never
/// changes a bill: caps are at most 10^9 fen and any total at or above the cap leaves nothing to
/// pay (case-based payments may push a total past its cap).
std::uint32_t ledger_total(Fen used, Fen fund) {
    return static_cast<std::uint32_t>(std::min<Fen>(used + fund, std::numeric_limits<std::uint32_t>::max()));
}

}  // namespace

void Engine::reach_facility(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    auto& fs = fac_[pat.facility];
    if (!fi.unlimited && !fs.open) {
        const SimTime opens = fi.next_staffed(sim_.now());
        if (opens == WeeklySchedule::kNever) {
            retry(p);  // nobody will ever be on duty here
        } else if (s_.behaviour.closed_facility == scenario::ClosedAction::ChooseAgain && !holds_referral(pat.kind)) {
            retry(p);
        } else {
            sim_.schedule_at(opens, kMove, {EventKind::ReachFacility, p, 0, 0});
        }
        return;
    }
    if (fi.unlimited || (fs.queued == 0 && may_take_doctor(pat.facility, is_walkin(pat)))) {
        start_consultation(p, 0);
        return;
    }
    const double balk_at = s_.behaviour.balk_queue_per_doctor * fs.doctors;
    if (balk_at > 0 && fs.queued >= balk_at && !holds_referral(pat.kind)) {
        obs_.balked(sim_.now(), pat.ref, pat.facility);
        retry(p);
        return;
    }
    enqueue(p);
    // A referred patient may take a reserved doctor that waiting walk-ins may not.
    serve_next(pat.facility);
}

void Engine::enqueue(std::uint32_t p) {
    auto& pat = patients_[p];
    auto& fs = fac_[pat.facility];
    pat.stage = Stage::Queued;
    pat.queued_at = sim_.now();
    fs.queue[is_walkin(pat) ? 1 : 0].push_back({p, pat.generation});
    ++fs.queued;
    if (s_.behaviour.patience_minutes && !holds_referral(pat.kind)) {
        const double minutes = sample(pat, StreamPurpose::Behaviour, *s_.behaviour.patience_minutes);
        sim_.schedule_in(sim::round_half_away(minutes * 60.0), kMove,
                         {EventKind::Renege, p, pat.generation, 0});
    }
}

void Engine::renege(std::uint32_t p, std::uint32_t gen) {
    auto& pat = patients_[p];
    if (pat.generation != gen || pat.stage != Stage::Queued) return;  // served meanwhile
    ++pat.generation;  // its queue entry is now stale and will be skipped
    --fac_[pat.facility].queued;
    obs_.reneged(sim_.now(), pat.ref, pat.facility, sim_.now() - pat.queued_at);
    if (s_.behaviour.renege_action == scenario::RenegeAction::Leave) {
        end_episode(p, EpisodeEnd::LeftUntreated);
    } else {
        retry(p);
    }
}

/// Patients holding a referral (up or down) count as referred: they may use reserved capacity.
bool Engine::is_walkin(const Patient& pat) const {
    return !(pat.kind == VisitKind::Referred || pat.kind == VisitKind::DownReferred);
}

bool Engine::may_take_doctor(std::uint32_t f, bool walkin) const {
    const auto& fs = fac_[f];
    return fs.open && may_take_server(fs.busy, fs.busy_walkin, fs.doctors, c_.facilities[f].reserved_doctors, walkin);
}

bool Engine::may_take_bed(std::uint32_t f, bool walkin) const {
    const auto& fi = c_.facilities[f];
    const auto& fs = fac_[f];
    return fi.unlimited || may_take_server(fs.beds_used, fs.beds_walkin, fi.beds, fi.reserved_beds, walkin);
}

/// Drops reneged entries from the front of a queue.
static void skip_stale(std::deque<QueueEntry>& q, const std::vector<Patient>& patients) {
    while (!q.empty()) {
        const auto& pat = patients[q.front().patient];
        if (pat.generation == q.front().generation && pat.stage == Stage::Queued) return;
        q.pop_front();
    }
}

/// Starts consultations while doctors are free. Referred patients (queue 0) go first when
/// referred_priority is on, else the earlier arrival of the two queue heads; walk-ins never
/// take a doctor reserved for referred patients.
void Engine::serve_next(std::uint32_t f) {
    auto& fs = fac_[f];
    for (;;) {
        // Nobody can start while every doctor on duty is busy (the common case after an arrival
        // joins a queue); stale entries are dropped on a later call, which changes nothing.
        if (!fs.open || fs.busy >= fs.doctors || fs.queued == 0) return;
        skip_stale(fs.queue[0], patients_);
        skip_stale(fs.queue[1], patients_);
        const bool referred_ok = !fs.queue[0].empty() && may_take_doctor(f, false);
        const bool walkin_ok = !fs.queue[1].empty() && may_take_doctor(f, true);
        if (!referred_ok && !walkin_ok) return;
        int pick = referred_ok ? 0 : 1;
        if (referred_ok && walkin_ok && !s_.referral.referred_priority) {
            const SimTime a = patients_[fs.queue[0].front().patient].queued_at;
            const SimTime b = patients_[fs.queue[1].front().patient].queued_at;
            pick = b < a ? 1 : 0;
        }
        const QueueEntry e = fs.queue[static_cast<std::size_t>(pick)].front();
        fs.queue[static_cast<std::size_t>(pick)].pop_front();
        --fs.queued;
        start_consultation(e.patient, sim_.now() - patients_[e.patient].queued_at);
    }
}

void Engine::start_consultation(std::uint32_t p, SimTime wait) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    auto& fs = fac_[pat.facility];
    ++pat.generation;
    pat.stage = Stage::InService;
    pat.walkin_doctor = !fi.unlimited && is_walkin(pat);
    if (!fi.unlimited) ++fs.busy;
    if (pat.walkin_doctor) ++fs.busy_walkin;
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    const double minutes =
        fi.service_minutes > 0
            ? sample(pat, StreamPurpose::Service, station_service_[pat.facility])
            : sample(pat, StreamPurpose::Service, cond.consult_minutes[idx(fi.level)]);
    const SimTime duration = std::max<SimTime>(1, sim::round_half_away(minutes * 60.0));
    double& expected = expected_wait_[pat.facility];
    expected += s_.choice.wait_smoothing * (static_cast<double>(wait) / 60.0 - expected);
    if (c_.stations.empty() && s_.choice.b_wait != 0) {
        wait_weight_[pat.facility] = std::exp(s_.choice.b_wait * expected);  // read by choose()
    }
    obs_.consultation(sim_.now(), pat.ref, pat.facility, pat.kind, wait, duration);
    if (c_.stations.empty()) bill_outpatient(p);
    sim_.schedule_in(duration, kRelease, {EventKind::ServiceEnd, p, 0, 0});
}

void Engine::service_end(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t f = pat.facility;
    if (!c_.facilities[f].unlimited) {
        --fac_[f].busy;
        if (pat.walkin_doctor) --fac_[f].busy_walkin;
        pat.walkin_doctor = false;
        serve_next(f);
    }
    if (!c_.stations.empty()) {
        route_onward(p);
        return;
    }
    pat.remote_done = false;
    outcome(p);
}

void Engine::schedule_visit(std::uint32_t p, SimTime at) {
    auto& pat = patients_[p];
    pat.stage = Stage::Away;
    sim_.schedule_at(at, kMove, {EventKind::ReachFacility, p, 0, 0});
}

void Engine::outcome(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    const SimTime interval = c_.conditions[pat.ref.condition].follow_up_interval;
    if (pat.kind == VisitKind::DownReferred && !pat.down_admission_drawn) {
        // The first visit after a down-referral may lead to a rehabilitation stay here.
        pat.down_admission_drawn = true;
        if (cond.down_referral_admission > 0 &&
            uniform(pat, StreamPurpose::Clinical) < cond.down_referral_admission &&
            may_take_bed(pat.facility, false)) {
            pat.remaining_visits = 0;
            admit(p, 0);
            return;
        }
    }
    if (pat.kind == VisitKind::FollowUp || pat.kind == VisitKind::DownReferred) {
        if (pat.remaining_visits > 0) {
            --pat.remaining_visits;
            schedule_visit(p, sim_.now() + interval);
        } else {
            end_episode(p, pat.kind == VisitKind::DownReferred ? EpisodeEnd::Discharged : EpisodeEnd::Treated);
        }
        return;
    }
    if (!fi.can_treat[pat.ref.condition]) {
        if (!fi.remote_treat[pat.ref.condition]) {
            refer_up(p);
            return;
        }
        if (!pat.remote_done) {  // ask the county for a remote consultation, then treat here
            obs_.remote_consultation(sim_.now(), pat.ref, pat.facility);
            pat.stage = Stage::Away;
            sim_.schedule_in(fi.remote_delay, kMove, {EventKind::RemoteDone, p, 0, 0});
            return;
        }
    }
    treat(p);
}

/// The facility treats the condition: admission, or outpatient care with follow-ups.
void Engine::treat(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    const SimTime interval = c_.conditions[pat.ref.condition].follow_up_interval;
    if (pat.inpatient_transfer ||
        uniform(pat, StreamPurpose::Clinical) < cond.admission_probability[idx(fi.level)]) {
        pat.inpatient_transfer = false;
        if (may_take_bed(pat.facility, is_walkin(pat))) {
            admit(p, 0);
        } else if (fi.beds > 0 && s_.behaviour.full_ward == scenario::FullWardAction::Wait) {
            pat.stage = Stage::BedQueue;
            pat.queued_at = sim_.now();
            fac_[pat.facility].bed_queue.push_back(p);
        } else if (fi.referral_target[pat.ref.condition] != kNone) {
            refer_up(p);
        } else if (fi.beds == 0) {
            end_episode(p, EpisodeEnd::LeftUntreated);  // no ward and nowhere to send the patient
        } else {
            pat.stage = Stage::BedQueue;  // nowhere to go: wait for a bed here
            pat.queued_at = sim_.now();
            fac_[pat.facility].bed_queue.push_back(p);
        }
        return;
    }
    if (cond.follow_ups > 0) {
        pat.kind = VisitKind::FollowUp;
        pat.remaining_visits = static_cast<std::uint16_t>(cond.follow_ups - 1);
        schedule_visit(p, sim_.now() + interval);
        return;
    }
    end_episode(p, EpisodeEnd::Treated);
}

void Engine::refer_up(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t from = pat.facility;
    const auto& fi = c_.facilities[from];
    pat.tried = 0;
    pat.attempts = 0;
    if (s_.behaviour.self_referral_probability > 0 &&
        uniform(pat, StreamPurpose::Behaviour) < s_.behaviour.self_referral_probability) {
        const auto above = static_cast<Level>(idx(fi.level) + 1);
        if (fi.level != Level::External) {
            pat.referred = false;
            if (choose(p, VisitKind::SelfReferred, above, fi.place)) {
                obs_.referred(sim_.now(), pat.ref, ReferralKind::Self, from, pat.facility);
                return;
            }
        }
    }
    const std::uint32_t target = fi.referral_target[pat.ref.condition];
    if (target == kNone) {
        end_episode(p, EpisodeEnd::LeftUntreated);
        return;
    }
    obs_.referred(sim_.now(), pat.ref, ReferralKind::Up, from, target);
    pat.referred = true;
    pat.up_referred_in_episode = true;
    travel(p, target, fi.place, VisitKind::Referred);
}

void Engine::admit(std::uint32_t p, SimTime bed_wait) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    pat.walkin_bed = !fi.unlimited && is_walkin(pat);
    if (!fi.unlimited) ++fac_[pat.facility].beds_used;
    if (pat.walkin_bed) ++fac_[pat.facility].beds_walkin;
    pat.stage = Stage::Admitted;
    const double days = sample(pat, StreamPurpose::Clinical, cond.stay_days[idx(fi.level)]);
    const SimTime stay = std::max<SimTime>(sim::kHour, sim::round_half_away(days * sim::kDay));
    obs_.admitted(sim_.now(), pat.ref, pat.facility, bed_wait, stay);
    bill_inpatient(p, stay);
    sim_.schedule_in(stay, kRelease, {EventKind::Discharge, p, 0, 0});
}

void Engine::discharge(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t from = pat.facility;
    const auto& fi = c_.facilities[from];
    obs_.discharged(sim_.now(), pat.ref, from);
    if (!fi.unlimited) {
        auto& fs = fac_[from];
        --fs.beds_used;
        if (pat.walkin_bed) --fs.beds_walkin;
        pat.walkin_bed = false;
        // The first waiting patient who may take the freed bed (walk-ins cannot take reserved ones).
        for (auto it = fs.bed_queue.begin(); it != fs.bed_queue.end(); ++it) {
            if (!may_take_bed(from, is_walkin(patients_[*it]))) continue;
            const std::uint32_t next = *it;
            fs.bed_queue.erase(it);
            admit(next, sim_.now() - patients_[next].queued_at);
            break;
        }
    }
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    const std::uint32_t up = fi.referral_target[pat.ref.condition];
    const double p_up = cond.transfer_up_probability[idx(fi.level)];
    if (p_up > 0 && up != kNone && uniform(pat, StreamPurpose::Clinical) < p_up) {
        // Transferred up as an inpatient: referred by the rules, admitted on arrival.
        obs_.referred(sim_.now(), pat.ref, ReferralKind::Up, from, up);
        pat.referred = true;
        pat.up_referred_in_episode = true;
        pat.inpatient_transfer = true;
        travel(p, up, fi.place, VisitKind::Referred);
        return;
    }
    const auto& village = c_.villages[pat.ref.village];
    const std::uint32_t home = cond.down_referral_to == Level::Village ? village.own_clinic : village.own_center;
    if (cond.down_referral_probability > 0 && home != kNone && c_.facilities[home].level < fi.level &&
        uniform(pat, StreamPurpose::Clinical) < cond.down_referral_probability &&
        cond.down_referral_visits > 0) {
        obs_.referred(sim_.now(), pat.ref, ReferralKind::Down, from, home);
        pat.referred = true;
        pat.down_referred = true;
        pat.remaining_visits = static_cast<std::uint16_t>(cond.down_referral_visits - 1);
        travel(p, home, fi.place, VisitKind::DownReferred);
        return;
    }
    end_episode(p, EpisodeEnd::Discharged);
}

void Engine::bill_outpatient(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    const CareRoute route{pat.referred, pat.down_referred, pat.up_referred_in_episode, pat.gatekept};
    const bool capped = s_.insurance.outpatient_cap > 0;
    const Fen used = capped ? paid_outpatient_[pat.person] : 0;
    const Bill bill = outpatient_bill(cond.outpatient_fee[idx(fi.level)], fi.level, route, s_.insurance, used);
    if (capped) paid_outpatient_[pat.person] = ledger_total(used, bill.fund);
    obs_.billed(sim_.now(), pat.ref, pat.facility, false, bill);
}

void Engine::bill_inpatient(std::uint32_t p, SimTime stay) {
    auto& pat = patients_[p];
    const auto& fi = c_.facilities[pat.facility];
    const auto& cond = c_.conditions[pat.ref.condition].spec;
    const int l = idx(fi.level);
    const double days = static_cast<double>(stay) / static_cast<double>(sim::kDay);
    const Fen fee = cond.inpatient_fee_stay[l] +
                    static_cast<Fen>(sim::round_half_away(static_cast<double>(cond.inpatient_fee_day[l]) * days));
    const CareRoute route{pat.referred, pat.down_referred, pat.up_referred_in_episode, pat.gatekept};
    const bool capped = s_.insurance.inpatient_cap > 0;
    const Fen used = capped ? paid_inpatient_[pat.person] : 0;
    Bill bill = inpatient_bill(fee, fi.level, route, s_.insurance, pat.deductible_paid, used);
    bill = case_based(bill, c_.conditions[pat.ref.condition].case_rate[l]);
    if (capped) paid_inpatient_[pat.person] = ledger_total(used, bill.fund);
    pat.deductible_paid += bill.deductible;
    obs_.billed(sim_.now(), pat.ref, pat.facility, true, bill);
}

}  // namespace cmasim::model::detail
