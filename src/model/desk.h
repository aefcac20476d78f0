// The front desk of one facility: who is on duty, who is busy, who waits for a doctor or a bed.
// Shared by the county engine and the queueing-network engine; it knows capacity, not patients
// (queue entries are slot numbers the engine resolves). Not a public header.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

#include "cmasim/model/county.h"
#include "cmasim/model/pathway.h"
#include "cmasim/model/policy.h"

namespace cmasim::model::detail {

/// A waiting patient: its slot, and the slot's generation when it joined (a stale entry, whose
/// patient reneged meanwhile, no longer matches and is skipped).
struct QueueEntry {
    std::uint32_t patient;
    std::uint32_t generation;
};

class FacilityDesk {
  public:
    FacilityDesk() = default;
    explicit FacilityDesk(const FacilityInfo& f)
        : unlimited_(f.unlimited),
          beds_(f.beds),
          reserved_doctors_(f.reserved_doctors),
          reserved_beds_(f.reserved_beds) {}

    /// Opening hours and staffing changed: `doctors` on duty now (0 when closed).
    void staff(bool open, int doctors) {
        open_ = open;
        doctors_ = doctors;
    }
    /// The capacity a retained surplus bought for this insurance year (docs/model.md), in place
    /// of last year's: extra beds now, extra doctors from the next staffing (staff_all).
    void invest(int doctors, int beds) {
        beds_ += beds - invested_beds_;
        invested_beds_ = beds;
        invested_doctors_ = doctors;
    }
    int invested_doctors() const { return invested_doctors_; }
    int invested_beds() const { return invested_beds_; }
    bool open() const { return open_; }
    int doctors() const { return doctors_; }
    bool unlimited() const { return unlimited_; }
    int beds() const { return beds_; }
    /// Live patients in the doctor queues (entries of reneged patients not counted).
    int queued() const { return queued_; }

    bool may_take_doctor(bool walkin) const {
        return open_ && may_take_server(busy_, busy_walkin_, doctors_, reserved_doctors_, walkin);
    }
    bool may_take_bed(bool walkin) const {
        return unlimited_ ||
               may_take_server(beds_used_, beds_walkin_, beds_, reserved_beds_, walkin);
    }
    /// Would a patient who may use reserved capacity, taking a doctor (bed) now, take one the
    /// reservation kept free? Yes when walk-ins hold every doctor (bed) they may use.
    bool doctor_is_reserved() const {
        return reserved_doctors_ > 0 && busy_walkin_ >= doctors_ - reserved_doctors_;
    }
    bool bed_is_reserved() const {
        return reserved_beds_ > 0 && beds_walkin_ >= beds_ - reserved_beds_;
    }
    /// Takes a doctor; returns whether the patient holds one of the walk-in doctors (to give back).
    bool take_doctor(bool walkin) { return take(busy_, busy_walkin_, walkin); }
    void release_doctor(bool walkin_held) { release(busy_, busy_walkin_, walkin_held); }
    /// Takes a bed; returns whether the patient holds one of the walk-in beds.
    bool take_bed(bool walkin) { return take(beds_used_, beds_walkin_, walkin); }
    void release_bed(bool walkin_held) { release(beds_used_, beds_walkin_, walkin_held); }

    /// Joins the referred (reserved-capacity) or the walk-in queue.
    void join_queue(QueueEntry e, bool walkin) {
        queue_[walkin ? 1 : 0].push_back(e);
        ++queued_;
    }
    /// A queued patient walked away; its entry goes stale.
    void left_queue() { --queued_; }

    /// The next patient to start a consultation now, if a doctor may take one: the head of the
    /// queue serve_order() picks. live(entry) tells a live entry from a stale one;
    /// queued_at(patient) is when a patient joined.
    template <class Live, class QueuedAt>
    std::optional<QueueEntry> next_to_serve(bool referred_priority, Live live, QueuedAt queued_at);

    void wait_for_bed(std::uint32_t patient) { bed_queue_.push_back(patient); }
    /// The first patient waiting for a bed who may take a free one (walk-ins cannot take a bed
    /// reserved for referred patients), removed from the bed queue; nullopt if none.
    template <class IsWalkin>
    std::optional<std::uint32_t> next_for_bed(IsWalkin walkin);

  private:
    bool take(int& used, int& used_walkin, bool walkin) const {
        if (unlimited_) return false;
        ++used;
        if (walkin) ++used_walkin;
        return walkin;
    }
    void release(int& used, int& used_walkin, bool walkin_held) const {
        if (unlimited_) return;
        --used;
        if (walkin_held) --used_walkin;
    }
    template <class Live>
    static void skip_stale(std::deque<QueueEntry>& q, Live live) {
        while (!q.empty() && !live(q.front())) q.pop_front();
    }

    bool unlimited_ = false;
    int beds_ = 0;
    int reserved_doctors_ = 0;  ///< kept for referred patients (walk-ins use the rest)
    int reserved_beds_ = 0;
    bool open_ = true;
    int doctors_ = 0;  ///< on duty now
    int busy_ = 0;
    int busy_walkin_ = 0;  ///< of busy, serving walk-ins
    int beds_used_ = 0;
    int beds_walkin_ = 0;  ///< of beds_used, held by walk-ins
    int queued_ = 0;
    int invested_doctors_ = 0;  ///< bought with last year's surplus, on duty in opening hours
    int invested_beds_ = 0;     ///< bought with last year's surplus (included in beds_)
    std::array<std::deque<QueueEntry>, 2> queue_;  ///< [0] referred, [1] walk-ins
    std::deque<std::uint32_t> bed_queue_;
};

template <class Live, class QueuedAt>
std::optional<QueueEntry> FacilityDesk::next_to_serve(bool referred_priority, Live live,
                                                      QueuedAt queued_at) {
    // Nobody can start while every doctor on duty is busy (the common case after an arrival joins
    // a queue); stale entries are dropped on a later call, which changes nothing.
    if (!open_ || busy_ >= doctors_ || queued_ == 0) return std::nullopt;
    skip_stale(queue_[0], live);
    skip_stale(queue_[1], live);
    ServeOrderFacts facts;
    facts.referred_waiting = !queue_[0].empty() && may_take_doctor(false);
    facts.walkin_waiting = !queue_[1].empty() && may_take_doctor(true);
    facts.referred_priority = referred_priority;
    if (facts.referred_waiting && facts.walkin_waiting) {
        facts.referred_since = queued_at(queue_[0].front().patient);
        facts.walkin_since = queued_at(queue_[1].front().patient);
    }
    const ServeFrom from = serve_order(facts);
    if (from == ServeFrom::Nobody) return std::nullopt;
    auto& q = queue_[from == ServeFrom::Referred ? 0 : 1];
    const QueueEntry e = q.front();
    q.pop_front();
    --queued_;
    return e;
}

template <class IsWalkin>
std::optional<std::uint32_t> FacilityDesk::next_for_bed(IsWalkin walkin) {
    for (auto it = bed_queue_.begin(); it != bed_queue_.end(); ++it) {
        if (!may_take_bed(walkin(*it))) continue;
        const std::uint32_t next = *it;
        bed_queue_.erase(it);
        return next;
    }
    return std::nullopt;
}

}  // namespace cmasim::model::detail
