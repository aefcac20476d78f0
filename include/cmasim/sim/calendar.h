// The pending-event set, ordered by (time, priority, seq): a small 4-ary heap for the near future
// (near_heap.h) in front of a calendar queue, a ring of unsorted buckets, one per window of time
// (bucket_ring.h), and an unordered overflow beyond the ring. The window is chosen by
// window_tuner.h; the order key is packed as calendar_key.h describes.
//
// Cost of each operation, n = pending events, m = events in the near heap (about 128 with the
// automatic window), in the style of ns-3's scheduler.h:
//
//   operation   time            notes
//   ---------   -------------   ---------------------------------------------------------
//   push        O(1)            beyond the boundary T: an append to the bucket of its window
//                               (or to the overflow, beyond the ring); before T (the near
//                               future, ~9% of the engine's pushes): O(log4 m) into the heap
//   pop         O(4 log4 m)     plus the refill below, amortised
//   top         O(1)            amortised: when the near heap has run dry, top() and pop()
//                               first take in the next non-empty bucket (a bitmap finds it;
//                               Floyd's heap construction, O(m)), or, once per turn of the
//                               ring, deal out the overflow (O(size of the overflow))
//   memory      <= ~5n * 32 B   with a 16-byte payload: the overflow's and the heap's vectors
//                               and one per bucket, each keeping its capacity for the next use
//                               (a bucket's up to 8 KiB); no per-event allocation
//
// The order is exactly the single heap's: the near heap holds exactly the pending events before
// T and compares full keys; everything else is later than T. The window and the tiers only
// decide how much work a pop does, never which event it returns.
//
// Why two tiers: a pop from one heap of all pending events walks log4 n levels, and in the
// engine n is large (~38,000 at the baseline county, 606,000 at 16x its population) while most
// of it is far away and most events are near (half of all pushes are under 14 minutes ahead).
// The deep levels leave the cache as the county grows. Here a far event costs an append, and is
// touched again only when its bucket comes due (plus about once per ring turn while it waits in
// the overflow); every pop is from a heap of ~100 events that stays in L1. The price: a push
// beyond T writes to a bucket last touched long ago (a cache miss, where a heap appended to its
// hot end). Figures, and the designs measured and rejected (one heap of 2, 4 or 8 children, a
// near and a far heap, sorted buckets, batched pushes): docs/performance.md, "Event calendar:
// design and rejected alternatives".
//
// The ring has about one bucket per 128 pending events (64 to 65,536), so a turn spans about the
// time the pending events take to come due (Little's law) and the overflow is dealt out about
// once per pending event.
//
// Exceptions: push, top and pop throw std::bad_alloc when memory runs out, and then nothing was
// added (push) or removed (top, pop): events move between tiers only after the allocation they
// need has succeeded, or are given back (so Payload must copy without throwing).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "cmasim/sim/bucket_ring.h"
#include "cmasim/sim/calendar_key.h"
#include "cmasim/sim/family_aligned_allocator.h"
#include "cmasim/sim/near_heap.h"
#include "cmasim/sim/time.h"
#include "cmasim/sim/window_tuner.h"

namespace cmasim::sim {

/// Min-priority queue of events keyed by (time, priority, seq). Payload should be small and
/// cheap to copy (entries are copied level by level during sifts and between tiers); a 16-byte
/// payload makes a 32-byte entry, the size the layout is tuned for.
///
/// Not thread-safe, not even for concurrent const calls: top() may move events between tiers.
template <class Payload>
class EventCalendar {
    using Key = detail::CalendarKey;

  public:
    /// Smallest and largest priority push() accepts (8 bits of the packed key).
    static constexpr std::int32_t kMinPriority = detail::kMinPriority;
    static constexpr std::int32_t kMaxPriority = detail::kMaxPriority;
    /// Number of pushes a calendar accepts over its lifetime (56 bits of the packed key).
    static constexpr std::uint64_t kMaxPushes = detail::kMaxPushes;
    /// set_window(kAutoWindow): the calendar chooses (and keeps adjusting) its window.
    static constexpr SimTime kAutoWindow = 0;

    /// One pending event: time(), priority(), seq() and the payload (calendar_key.h).
    using Entry = detail::CalendarEntry<Payload>;

    /// Events move between tiers in loops that must not throw half-way.
    static_assert(std::is_nothrow_copy_constructible_v<Payload> &&
                  std::is_nothrow_copy_assignable_v<Payload>);

    /// Number of pending events in each tier (see the top of calendar.h); for tests and tuning.
    struct TierSizes {
        std::size_t near = 0;      ///< in the near heap: time < near_end()
        std::size_t ring = 0;      ///< in the ring of buckets
        std::size_t overflow = 0;  ///< beyond the ring
    };

    /// A calendar that chooses its own window (kAutoWindow). Allocates nothing.
    EventCalendar() = default;
    /// A calendar with a fixed window of `window` seconds (see set_window).
    explicit EventCalendar(SimTime window) { set_window(window); }
    EventCalendar(const EventCalendar&) = default;
    EventCalendar& operator=(const EventCalendar&) = default;
    /// Leaves `other` empty and usable, like a new calendar (its sequence numbers restart).
    EventCalendar(EventCalendar&& other) noexcept { swap(other); }
    EventCalendar& operator=(EventCalendar&& other) noexcept {
        EventCalendar taken(std::move(other));
        swap(taken);
        return *this;
    }
    ~EventCalendar() = default;

    void swap(EventCalendar& other) noexcept {
        using std::swap;
        near_.swap(other.near_);
        ring_.swap(other.ring_);
        swap(overflow_, other.overflow_);
        swap(near_end_, other.near_end_);
        swap(ring_end_, other.ring_end_);
        swap(overflow_min_, other.overflow_min_);
        tuner_.swap(other.tuner_);
        swap(next_seq_, other.next_seq_);
    }

    /// Adds an event; returns its insertion sequence number (unique for this calendar, never
    /// reused, even across clear()). Throws std::out_of_range, and changes nothing, if priority
    /// is outside [kMinPriority, kMaxPriority]; std::overflow_error after kMaxPushes pushes.
    /// O(1) beyond the boundary; O(log4 m) for a near event, m = events in the near heap.
    [[gnu::always_inline]] std::uint64_t push(SimTime time, std::int32_t priority,
                                              const Payload& p) {
        if (priority < kMinPriority || priority > kMaxPriority) [[unlikely]] {
            throw_bad_priority(priority);
        }
        if (next_seq_ == kMaxPushes) [[unlikely]] {
            throw_seq_exhausted();
        }
        const std::uint64_t seq = next_seq_++;
        const Key key = detail::pack_key(time, priority, seq);
        const std::uint64_t bucket = bucket_of(key);
        if (bucket < near_end_) {
            near_.push(detail::EntryAccess::make(key, p));
            if (near_.size() > tuner_.near_limit()) [[unlikely]] {
                near_overgrown();
            }
        } else if (bucket < ring_end_) {
            ring_.add(bucket, detail::EntryAccess::make(key, p));
        } else {
            overflow_.push_back(detail::EntryAccess::make(key, p));
            overflow_min_ = std::min(overflow_min_, detail::time_bits(key));
        }
        return seq;
    }

    /// The earliest event (smallest (time, priority, seq)). Precondition: !empty() (else throws
    /// std::logic_error). O(1), except when the near heap has run dry: then it first takes in
    /// the next bucket, or starts a new turn (amortised O(1) per event).
    const Entry& top() const {
        if (near_.empty()) [[unlikely]] {
            refill();
        }
        return near_.front();
    }

    /// Removes and returns the earliest event. Precondition: !empty() (else throws
    /// std::logic_error). O(4 log4 m), m = events in the near heap, plus top()'s refill.
    Entry pop() {
        if (near_.empty()) [[unlikely]] {
            refill();
        }
        return near_.pop();
    }

    /// True when no event is pending.
    bool empty() const { return near_.empty() && ring_.count() == 0 && overflow_.empty(); }
    /// Number of pending events.
    std::size_t size() const { return near_.size() + ring_.count() + overflow_.size(); }

    /// Drops every pending event. Sequence numbers keep counting (they stay unique); the window
    /// (fixed, or as tuned so far) and the memory of every tier are kept.
    void clear() {
        near_.clear();
        ring_.drain([](const Entry&) {});
        overflow_.clear();
        overflow_min_ = detail::kNoTime;
        tuner_.forget_turn();
        go_cold();
    }

    /// Pre-allocates room for n pending events, so that filling a new or cleared calendar with up
    /// to n events before the first top() or pop() never reallocates (they wait in the overflow).
    void reserve(std::size_t n) { overflow_.reserve(n); }

    /// Fixes the window (the width of a bucket) at `window` seconds, rounded down to a power of
    /// two, at least 2; kAutoWindow lets the calendar choose and adjust it. The window changes
    /// speed and memory only, never the order. Moves every pending event: O(n). Throws
    /// std::invalid_argument for a negative window (and changes nothing).
    void set_window(SimTime window) {
        if (window < 0) {
            throw std::invalid_argument("EventCalendar::set_window: negative window " +
                                        std::to_string(window));
        }
        gather_into_overflow();  // may throw std::bad_alloc, before anything changed
        tuner_.set_window(window);
    }

    /// The current window (bucket width), seconds; with kAutoWindow, as tuned so far.
    SimTime window() const { return SimTime{1} << tuner_.shift(); }
    /// True when the window is chosen by the calendar (kAutoWindow).
    bool auto_window() const { return tuner_.automatic(); }

    /// The boundary T: every pending event earlier than T is in the near heap, and only those.
    /// A multiple of window(); std::numeric_limits<SimTime>::min() while everything waits in the
    /// overflow (before the first top() or pop(), after clear() or a retune).
    SimTime near_end() const {
        if (near_end_ > (detail::kNoTime >> tuner_.shift())) {
            return std::numeric_limits<SimTime>::max();  // the last bucket: max() is near too
        }
        return static_cast<SimTime>((near_end_ << tuner_.shift()) ^ detail::kTimeSignBit);
    }

    /// How the pending events are spread over the tiers; for tests and tuning.
    TierSizes tier_sizes() const { return {near_.size(), ring_.count(), overflow_.size()}; }

    /// True when the near heap is a heap, every event is in the tier its time says (near: before
    /// near_end(); ring: in the bucket of its time, within the ring's span; overflow: beyond it),
    /// the counts add up, and every seq was issued by this calendar. O(n); for tests and debugging.
    bool check_invariants() const {
        const unsigned shift = tuner_.shift();
        if (near_end_ > ring_end_ || shift < detail::WindowTuner::kMinShift ||
            shift > detail::WindowTuner::kMaxShift || !near_.is_heap() ||
            !ring_.check(near_end_, ring_end_,
                         [this](const Entry& e) { return bucket_of(key(e)); })) {
            return false;
        }
        bool ok = true;
        const auto seq_ok = [&](const Entry& e) { ok = ok && e.seq() < next_seq_; };
        ring_.for_each(seq_ok);
        std::uint64_t least = detail::kNoTime;
        for (const Entry& e : near_) {
            seq_ok(e);
            ok = ok && bucket_of(key(e)) < near_end_;
        }
        for (const Entry& e : overflow_) {
            seq_ok(e);
            ok = ok && bucket_of(key(e)) >= ring_end_;
            least = std::min(least, detail::time_bits(key(e)));
        }
        return ok && (overflow_.empty() || overflow_min_ == least);
    }

  private:
    using Bucket = detail::EntryVector<Entry>;

    static Key key(const Entry& e) { return detail::EntryAccess::key(e); }
    std::uint64_t bucket_of(Key key) const { return detail::time_bits(key) >> tuner_.shift(); }

    [[noreturn, gnu::cold, gnu::noinline]] static void throw_bad_priority(std::int32_t priority) {
        throw std::out_of_range("EventCalendar::push: priority " + std::to_string(priority) +
                                " is outside [" + std::to_string(kMinPriority) + ", " +
                                std::to_string(kMaxPriority) + "]");
    }

    [[noreturn, gnu::cold, gnu::noinline]] static void throw_seq_exhausted() {
        throw std::overflow_error("EventCalendar::push: all 2^56 sequence numbers are used");
    }

    /// The near heap ran dry (and events are pending): take in the next non-empty bucket, or,
    /// when the ring is empty too, start a new turn from the overflow.
    [[gnu::noinline]] void refill() const {
        if (empty()) {
            throw std::logic_error("EventCalendar: top() or pop() on an empty calendar");
        }
        do {
            if (ring_.count() > 0) {
                near_end_ += ring_.take_earliest(near_end_, near_);
            } else {
                new_turn();
            }
            if (near_.size() > tuner_.near_limit()) {
                near_overgrown();  // may empty the near heap again, with a narrower window
            }
        } while (near_.empty());
    }

    /// The near heap and the ring are empty: every pending event is in the overflow. Choose the
    /// window (when automatic) and the ring size, then deal the overflow out: the earliest
    /// bucket into the near heap, the next ring_.slots() buckets into the ring, the rest stays.
    [[gnu::noinline]] void new_turn() const {
        go_cold();  // valid whatever the window, and what an exception below leaves behind
        const std::size_t n = overflow_.size();
        tuner_.before_turn(next_seq_, n, overflow_min_, overflow_);
        ring_.resize(detail::BucketRing<Entry>::buckets_for(n));  // may throw: cold and whole
        const std::uint64_t first = overflow_min_ >> tuner_.shift();
        const std::uint64_t ring_end = first + 1 + ring_.slots();
        const std::size_t keep = deal_out_overflow(first, ring_end);
        ring_.set_count(n - near_.size() - keep);
        near_end_ = first + 1;
        ring_end_ = ring_end;
        near_.heapify();
        tuner_.turn_started(next_seq_, n, first << tuner_.shift());
    }

    /// Moves each overflow entry of bucket `first` into the near heap (unordered), of the buckets
    /// before `ring_end` into the ring, and keeps the rest at the front of the overflow; returns
    /// how many it kept. On std::bad_alloc, gives everything back to the overflow and rethrows.
    std::size_t deal_out_overflow(std::uint64_t first, std::uint64_t ring_end) const {
        const std::size_t n = overflow_.size();
        std::uint64_t least = detail::kNoTime;
        std::size_t keep = 0;
        std::size_t i = 0;
        try {
            for (; i < n; ++i) {
                const Entry& e = overflow_[i];
                const std::uint64_t bucket = bucket_of(key(e));
                if (bucket == first) {
                    near_.add_unordered(e);
                } else if (bucket < ring_end) {
                    ring_.place(bucket, e);
                } else {
                    least = std::min(least, detail::time_bits(key(e)));
                    overflow_[keep++] = e;
                }
            }
        } catch (...) {
            give_back(keep);
            throw;
        }
        overflow_.erase(overflow_.begin() + static_cast<std::ptrdiff_t>(keep), overflow_.end());
        overflow_min_ = least;
        return keep;
    }

    /// Out of memory half-way through dealing out the overflow: the i - keep entries dealt out so
    /// far go back into the i - keep stale slots [keep, i), and the calendar stays cold.
    void give_back(std::size_t keep) const {
        const auto back = [&](const Entry& e) { overflow_[keep++] = e; };
        for (const Entry& e : near_) {
            back(e);
        }
        near_.clear();
        ring_.drain(back);
    }

    /// The near heap holds more than its limit: with an automatic window, the window is far too
    /// wide. Narrow it to spread the heap's events over buckets of about 128 and start over,
    /// unless that would not split them (a burst of equal times): then only raise the limit.
    [[gnu::noinline, gnu::cold]] void near_overgrown() const {
        const unsigned shift = tuner_.narrower_shift(near_);
        if (shift == tuner_.shift()) {
            tuner_.raise_near_limit();
            return;
        }
        try {
            gather_into_overflow();
        } catch (const std::bad_alloc&) {
            tuner_.raise_near_limit();  // only an optimisation: carry on with the wide window
            return;
        }
        tuner_.narrow_to(shift);
    }

    /// Moves every pending event into the overflow and goes cold (the next top() or pop() starts
    /// a turn). Throws std::bad_alloc before anything changed when the overflow cannot grow.
    void gather_into_overflow() const {
        overflow_.reserve(size());
        for (const Entry& e : near_) {
            overflow_.push_back(e);
        }
        near_.clear();
        ring_.drain([this](const Entry& e) { overflow_.push_back(e); });
        overflow_min_ = detail::kNoTime;
        for (const Entry& e : overflow_) {
            overflow_min_ = std::min(overflow_min_, detail::time_bits(key(e)));
        }
        go_cold();
    }

    /// Nothing in the near heap or the ring may be pending: everything waits in the overflow.
    void go_cold() const {
        near_end_ = 0;
        ring_end_ = 0;
    }

    // The near heap: exactly the pending events with bucket number < near_end_ (time before
    // near_end()). The ring: those with near_end_ <= bucket < ring_end_. The overflow: the rest,
    // unordered. Mutable because top() may move events between tiers (never changing the order).
    mutable detail::NearHeap<Entry> near_;
    mutable detail::BucketRing<Entry> ring_;
    mutable Bucket overflow_;
    mutable std::uint64_t near_end_ = 0;
    mutable std::uint64_t ring_end_ = 0;
    mutable std::uint64_t overflow_min_ = detail::kNoTime;  ///< least time_bits in the overflow
    mutable detail::WindowTuner tuner_;
    std::uint64_t next_seq_ = 0;
};

}  // namespace cmasim::sim
