// The pending-event set: an array-based 4-ary min-heap of (time, priority, seq, payload).
//
// Cost of each operation, n = number of pending events (in the style of ns-3's scheduler.h):
//
//   operation   time            notes
//   ---------   -------------   ---------------------------------------------------------
//   push        O(log4 n)       at most one parent comparison per level; usually O(1) when
//                               new events land late (the common case in simulation)
//   pop         O(4 log4 n)     up to 4 child comparisons per level, half the levels of a
//                               binary heap, so fewer cache misses for the same work
//   top         O(1)
//   memory      n * sizeof(Entry), one contiguous std::vector, no per-event allocation
//
// Why 4-ary: a pop in a binary heap walks log2 n levels, each touching a new cache line; four
// children of 40-byte entries span 2-3 lines but the walk is half as deep, and the children are
// compared without data-dependent branches. Sifts move a "hole" rather than swapping, so each
// level costs one entry copy instead of three.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cmasim/sim/time.h"

namespace cmasim::sim {

/// Min-priority queue of events keyed by (time, priority, seq). Payload should be small and
/// cheap to copy (entries are moved level by level during sifts).
template <class Payload>
class EventCalendar {
public:
    /// One pending event. `seq` is the insertion number assigned by push().
    struct Entry {
        SimTime time;            ///< when the event fires, seconds
        std::int32_t priority;   ///< among equal times, smaller fires first
        std::uint64_t seq;       ///< among equal (time, priority), earlier push fires first
        Payload payload;         ///< what the event is about (opaque to the calendar)
    };

    /// Adds an event; returns its insertion sequence number (unique for this calendar, never
    /// reused, even across clear()). O(log4 n).
    std::uint64_t push(SimTime time, std::int32_t priority, const Payload& p) {
        const std::uint64_t seq = next_seq_++;
        heap_.push_back(Entry{time, priority, seq, p});
        sift_up(heap_.size() - 1);
        return seq;
    }

    /// The earliest event (smallest (time, priority, seq)). Precondition: !empty(). O(1).
    const Entry& top() const { return heap_.front(); }

    /// Removes and returns the earliest event. Precondition: !empty(). O(4 log4 n).
    Entry pop() {
        Entry result = std::move(heap_.front());
        Entry last = std::move(heap_.back());
        heap_.pop_back();
        if (!heap_.empty()) {
            sift_down(std::move(last));
        }
        return result;
    }

    /// True when no event is pending.
    bool empty() const { return heap_.empty(); }
    /// Number of pending events.
    std::size_t size() const { return heap_.size(); }
    /// Drops every pending event. Sequence numbers keep counting (they stay unique).
    void clear() { heap_.clear(); }
    /// Pre-allocates room for n pending events, so pushes up to n never reallocate.
    void reserve(std::size_t n) { heap_.reserve(n); }

    /// True when every entry is no earlier than its parent and every seq was issued by this
    /// calendar. O(n); for tests and debugging.
    bool check_invariants() const {
        for (std::size_t i = 0; i < heap_.size(); ++i) {
            if (heap_[i].seq >= next_seq_) {
                return false;
            }
            if (i > 0 && before(heap_[i], heap_[parent(i)])) {
                return false;
            }
        }
        return true;
    }

private:
    static constexpr std::size_t kArity = 4;

    static std::size_t parent(std::size_t i) { return (i - 1) / kArity; }
    static std::size_t first_child(std::size_t i) { return kArity * i + 1; }

    /// Strict total order on entries. A heap is not stable: entries with equal (time, priority)
    /// would come out in an order that depends on the heap's shape, i.e. on unrelated events.
    /// Breaking ties on the insertion counter makes the order total, so a run is reproducible
    /// and simultaneous events fire first-scheduled first-fired.
    static bool before(const Entry& a, const Entry& b) {
        if (a.time != b.time) {
            return a.time < b.time;
        }
        if (a.priority != b.priority) {
            return a.priority < b.priority;
        }
        return a.seq < b.seq;
    }

    /// Moves the entry at `hole` towards the root until its parent is earlier.
    void sift_up(std::size_t hole) {
        if (hole == 0 || !before(heap_[hole], heap_[parent(hole)])) {
            return;  // fast path: a new event that is not the earliest stays at the leaf
        }
        Entry moving = std::move(heap_[hole]);
        do {
            const std::size_t up = parent(hole);
            heap_[hole] = std::move(heap_[up]);
            hole = up;
        } while (hole > 0 && before(moving, heap_[parent(hole)]));
        heap_[hole] = std::move(moving);
    }

    /// Index of the earliest of the children starting at `first` (count of them: 1..4).
    std::size_t earliest_child(std::size_t first, std::size_t n) const {
        if (first + kArity <= n) {
            // Full family (all but one node per level): a two-round tournament whose selects
            // compile to conditional moves rather than unpredictable branches.
            const std::size_t a = first + (before(heap_[first + 1], heap_[first]) ? 1 : 0);
            const std::size_t b = first + 2 + (before(heap_[first + 3], heap_[first + 2]) ? 1 : 0);
            return before(heap_[b], heap_[a]) ? b : a;
        }
        std::size_t best = first;
        for (std::size_t c = first + 1; c < n; ++c) {
            if (before(heap_[c], heap_[best])) {
                best = c;
            }
        }
        return best;
    }

    /// Places `moving` into the hole left at the root, pulling earlier children up.
    void sift_down(Entry moving) {
        const std::size_t n = heap_.size();
        std::size_t hole = 0;
        for (;;) {
            const std::size_t first = first_child(hole);
            if (first >= n) {
                break;
            }
            const std::size_t child = earliest_child(first, n);
            if (!before(heap_[child], moving)) {
                break;
            }
            heap_[hole] = std::move(heap_[child]);
            hole = child;
        }
        heap_[hole] = std::move(moving);
    }

    std::vector<Entry> heap_;
    std::uint64_t next_seq_ = 0;
};

}  // namespace cmasim::sim
