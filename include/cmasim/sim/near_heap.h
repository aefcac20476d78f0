// EventCalendar's near heap: the pending events before the boundary T, in a 4-ary min-heap.
//
//   operation   time          notes
//   ---------   -----------   -----------------------------------------------------------
//   push        O(log4 m)     a new event later than its parent stays at the leaf
//   pop         O(4 log4 m)   per level: 3 branch-free comparisons pick the earliest of the
//                             4 children, 1 more against the moving entry
//   heapify     O(m)          Floyd's bottom-up construction, for a bucket taken in whole
//
// Why 4-ary: a pop walks half the levels of a binary heap, and a family of 4 children of 32-byte
// entries is exactly two cache lines (FamilyAlignedAllocator offsets the storage so that
// families start on a line). Sifts move a "hole" rather than swapping, so each level costs one
// entry copy instead of three. Below the first ~32 KiB (a heap swollen by a burst or a fixed
// window) a pop prefetches the grandchildren while it compares the children. The measurements
// behind these choices are in docs/performance.md ("Event calendar: design and rejected
// alternatives").
#pragma once

#include <cstddef>
#include <utility>

#include "cmasim/sim/calendar_key.h"
#include "cmasim/sim/family_aligned_allocator.h"

namespace cmasim::sim::detail {

/// A 4-ary min-heap of calendar entries ordered by their packed keys.
template <class Entry>
class NearHeap {
  public:
    using Storage = EntryVector<Entry>;

    bool empty() const { return v_.empty(); }
    std::size_t size() const { return v_.size(); }
    /// The earliest entry. Precondition: !empty().
    const Entry& front() const { return v_.front(); }
    typename Storage::const_iterator begin() const { return v_.begin(); }
    typename Storage::const_iterator end() const { return v_.end(); }

    /// Adds an entry, keeping the heap order. May throw std::bad_alloc (then nothing changed).
    void push(const Entry& e) {
        v_.push_back(e);
        sift_up(v_.size() - 1);
    }

    /// Removes and returns the earliest entry. Precondition: !empty().
    Entry pop() {
        Entry result = std::move(v_.front());
        Entry last = std::move(v_.back());
        v_.pop_back();
        if (!v_.empty()) {
            refill_root(std::move(last));
        }
        return result;
    }

    /// Adds an entry without ordering it: call heapify() before the next front() or pop().
    void add_unordered(const Entry& e) { v_.push_back(e); }
    /// Replaces the contents by [first, last) and orders them. May throw std::bad_alloc (then
    /// nothing changed).
    template <class It>
    void assign(It first, It last) {
        v_.assign(first, last);
        heapify();
    }
    /// Floyd's bottom-up heap construction: O(m) for m unordered entries.
    void heapify() {
        const std::size_t n = v_.size();
        if (n < 2) {
            return;
        }
        for (std::size_t i = parent(n - 1) + 1; i-- > 0;) {
            sift_down(v_[i], i);
        }
    }
    void clear() { v_.clear(); }
    void swap(NearHeap& other) noexcept { v_.swap(other.v_); }

    /// True when every entry is no earlier than its parent. O(m); for tests.
    bool is_heap() const {
        for (std::size_t i = 1; i < v_.size(); ++i) {
            if (key(v_[i]) < key(v_[parent(i)])) {
                return false;
            }
        }
        return true;
    }

  private:
    static constexpr std::size_t kArity = 4;
    /// Prefetch only below this index: the first ~32 KiB of the heap (the top levels, touched by
    /// every pop) stay in L1, where prefetches would be wasted instructions.
    static constexpr std::size_t kPrefetchFrom = 1024;

    static std::size_t parent(std::size_t i) { return (i - 1) / kArity; }
    static std::size_t first_child(std::size_t i) { return kArity * i + 1; }
    static CalendarKey key(const Entry& e) { return EntryAccess::key(e); }

    /// Moves the entry at `hole` towards the root until its parent is earlier.
    void sift_up(std::size_t hole) {
        Entry* const h = v_.data();
        if (hole == 0 || !(key(h[hole]) < key(h[parent(hole)]))) {
            return;  // fast path: a new event that is not the earliest stays at the leaf
        }
        Entry moving = std::move(h[hole]);
        do {
            const std::size_t up = parent(hole);
            h[hole] = std::move(h[up]);
            hole = up;
        } while (hole > 0 && key(moving) < key(h[parent(hole)]));
        h[hole] = std::move(moving);
    }

    /// Index of the earliest of the N (a power of two, >= 2) entries starting at `first`: a
    /// knockout tournament whose selects compile to adc/cmov rather than unpredictable branches.
    /// (Written as index arithmetic in the first round: GCC 12 turns `? first + 1 : first` for
    /// the second pair of a family into a branch.)
    template <std::size_t N>
    static std::size_t earliest_of(const Entry* h, std::size_t first) {
        if constexpr (N == 2) {
            return first + static_cast<std::size_t>(key(h[first + 1]) < key(h[first]));
        } else {
            const std::size_t a = earliest_of<N / 2>(h, first);
            const std::size_t b = earliest_of<N / 2>(h, first + N / 2);
            return key(h[b]) < key(h[a]) ? b : a;
        }
    }

    /// The full family of children at `first`, n entries in all: starts loading the
    /// grandchildren's families (contiguous) while this level's comparisons run.
    static void prefetch_grandchildren(const Entry* h, std::size_t first, std::size_t n) {
        const std::size_t grandchildren = first_child(first);
        if (grandchildren >= kPrefetchFrom && grandchildren + kArity * kArity <= n) {
            const auto* lines = reinterpret_cast<const char*>(h + grandchildren);
            for (std::size_t b = 0; b < kArity * kArity * sizeof(Entry); b += kCacheLine) {
                __builtin_prefetch(lines + b);
            }
        }
    }

    /// The earliest of the children starting at `first` (n entries in all), or n when there
    /// are none (first >= n).
    static std::size_t earliest_child(const Entry* h, std::size_t first, std::size_t n) {
        if (first + kArity <= n) {  // a full family (all but one per level)
            prefetch_grandchildren(h, first, n);
            return earliest_of<kArity>(h, first);
        }
        std::size_t child = first < n ? first : n;  // the one partial family: 1-3 children
        for (std::size_t c = first + 1; c < n; ++c) {
            if (key(h[c]) < key(h[child])) {
                child = c;
            }
        }
        return child;
    }

    /// Places `moving` into `hole` or below it, pulling earlier children up.
    void sift_down(Entry moving, std::size_t hole) {
        Entry* const h = v_.data();
        const std::size_t n = v_.size();
        for (;;) {
            const std::size_t child = earliest_child(h, first_child(hole), n);
            if (child == n || !(key(h[child]) < key(moving))) {
                break;
            }
            h[hole] = std::move(h[child]);
            hole = child;
        }
        h[hole] = std::move(moving);
    }

    /// Fills the root after a pop with `moving`, the former last entry: the hole goes down to a
    /// leaf along the earliest children, then `moving` goes up from there (Floyd's bottom-up
    /// variant). The former last entry is usually among the latest and belongs near the leaves
    /// (three entries in four of a 4-ary heap are leaves), so this saves sift_down's comparison
    /// with it at every level. Keys are unique, so the heap pops the same order either way.
    void refill_root(Entry moving) {
        Entry* const h = v_.data();
        const std::size_t n = v_.size();
        std::size_t hole = 0;
        for (std::size_t child = earliest_child(h, first_child(hole), n); child != n;
             child = earliest_child(h, first_child(hole), n)) {
            h[hole] = std::move(h[child]);
            hole = child;
        }
        h[hole] = std::move(moving);
        sift_up(hole);
    }

    Storage v_;
};

}  // namespace cmasim::sim::detail
