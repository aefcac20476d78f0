// What both engines do with the facility desks: staff them at the start and at every change of
// opening hours, and start consultations while a doctor may take the next patient. Not a public
// header.
#pragma once

#include <vector>

#include "desk.h"
#include "kernel.h"

namespace cmasim::model::detail {

/// One desk per facility, staffed for time 0, with each facility's first staffing change on the
/// calendar. Same-time events keep their scheduling order, so this runs first at the start.
inline std::vector<FacilityDesk> open_desks(const County& c, sim::Simulator<Event>& sim) {
    std::vector<FacilityDesk> desks;
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        const auto& fi = c.facilities[f];
        desks.emplace_back(fi);
        desks.back().staff(fi.open_at(0), fi.doctors_at(0));
        const SimTime next = fi.next_change(0);
        if (next != WeeklySchedule::kNever)
            sim.schedule_at(next, kSchedule, {EventKind::ScheduleChange, f, 0, 0});
    }
    return desks;
}

/// Staffs a desk for time t: the schedule's doctors, and in the facility's own opening hours
/// the doctors a retained surplus bought (docs/model.md).
inline void staff_desk(const FacilityInfo& fi, FacilityDesk& desk, SimTime t) {
    const int bought = fi.schedule.is_open(t) ? desk.invested_doctors() : 0;
    desk.staff(fi.open_at(t), fi.doctors_at(t) + bought);
}

/// A facility's staffing changes now: restaff its desk, let `serve` start what may start, then
/// put the next change on the calendar (in that order: it decides same-time ties).
template <class Serve>
void restaff_desk(const County& c, std::vector<FacilityDesk>& desks, sim::Simulator<Event>& sim,
                  std::uint32_t f, Serve serve) {
    const auto& fi = c.facilities[f];
    staff_desk(fi, desks[f], sim.now());
    if (desks[f].open()) serve(f);
    sim.schedule_at(fi.next_change(sim.now()), kSchedule, {EventKind::ScheduleChange, f, 0, 0});
}

/// Starts consultations at desk f while a doctor may take the next patient (serve_order()).
/// Pool holds patients with generation, stage and queued_at; start(p, wait) starts one.
template <class Pool, class Start>
void serve_queue(FacilityDesk& desk, const Pool& pool, bool referred_priority, SimTime now,
                 Start start) {
    auto live = [&pool](const QueueEntry& e) {
        const auto& pat = pool[e.patient];
        return pat.generation == e.generation && pat.stage == Stage::Queued;
    };
    auto queued_at = [&pool](std::uint32_t p) { return pool[p].queued_at; };
    while (const auto next = desk.next_to_serve(referred_priority, live, queued_at)) {
        start(next->patient, now - pool[next->patient].queued_at);
    }
}

}  // namespace cmasim::model::detail
