// The pending-event set: an array-based 4-ary min-heap of events ordered by (time, priority, seq).
//
// Cost of each operation, n = number of pending events (in the style of ns-3's scheduler.h):
//
//   operation   time            notes
//   ---------   -------------   ---------------------------------------------------------
//   push        O(log4 n)       at most one parent comparison per level; usually O(1) when
//                               new events land late (the common case in simulation)
//   pop         O(4 log4 n)     per level: 3 branch-free comparisons pick the earliest of the
//                               4 children, 1 more against the moving entry; below the top
//                               ~32 KiB of the heap, 8 prefetches (see below)
//   top         O(1)
//   memory      n * 32 bytes    with a 16-byte payload; one contiguous std::vector, no
//                               per-event allocation
//
// The key: (time, priority, seq) is packed into one unsigned 128-bit integer, so comparing two
// events is a single 128-bit compare (cmp/sbb, no branches) instead of up to three:
//
//   high 64 bits   time with its sign bit flipped (maps signed order onto unsigned order)
//   low 64 bits    (priority + 128) in the top 8 bits, seq in the low 56 bits
//
// This limits priority to [-128, 127] (push throws std::out_of_range otherwise) and a calendar
// to 2^56 pushes over its lifetime (7.2e16: two years of pushing a billion events per second;
// push throws std::overflow_error beyond). Within those limits the order is exactly lexicographic
// (time, priority, seq), for every SimTime including negative and extreme values.
//
// Why 4-ary: a pop walks half the levels of a binary heap, and a family of 4 children of
// 32-byte entries is exactly two cache lines (the storage is offset so that families start on
// a line). Sifts move a "hole" rather than swapping, so each level costs one entry copy instead
// of three. Measured (bench/bench_calendar.cpp, hold model, million pop+push/s at 10^4 / 10^5
// / 10^6 pending, shared 2-core machine, medians of 3): binary 19.0 / 9.3 / 1.4, 4-ary 21.1 /
// 12.1 / 2.2, 8-ary 23.7 / 15.3 / 3.3; with prefetching, binary 19.2 / 11.9 / 3.0, 4-ary 21.7
// / 16.6 / 4.5, 8-ary 21.9 / 12.6 / 4.5. 8-ary wins while the heap fits in L2, but spends 7
// comparisons per level: in the engine (~38,000 pending) its run loop executed 17% more
// instructions than 4-ary's, and the run was no faster than with this heap. Its prefetch
// blocks would be 2 KiB (8-ary with prefetching was slower in the engine still).
//
// Why prefetch: below the top levels (which stay in cache), the next level's loads depend on
// this level's comparisons, so an out-of-cache pop is a chain of serial cache misses. While
// picking among a hole's children, pop() prefetches all their children (the 16 grandchildren
// are contiguous, 512 bytes, 8 lines), so the next level's loads are already under way. That
// fetches 4x the lines a pop needs and costs ~30 instructions per pop, but latency, not
// bandwidth or instructions, is what limits a large heap: 2x faster at 10^6 pending, ~3% less
// run time for the engine even though it executes ~2% more instructions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cmasim/sim/time.h"

#if !defined(__SIZEOF_INT128__)
#error "EventCalendar needs unsigned __int128 (GCC or Clang on a 64-bit target)"
#endif

namespace cmasim::sim {

namespace detail {

inline constexpr std::size_t kCacheLine = 64;

/// std::allocator, except that blocks start sizeof(T) bytes (mod 64) before a cache line, so
/// element 1 starts on a line. For EventCalendar's 4-ary heap (children of i at 4i+1..4i+4,
/// entries a multiple of 16 bytes) that puts every family of children on line boundaries: two
/// lines per family rather than (usually) three, and aligned blocks to prefetch.
template <class T>
class FamilyAlignedAllocator {
    static_assert(alignof(T) <= kCacheLine);

public:
    using value_type = T;

    FamilyAlignedAllocator() = default;
    template <class U>
    FamilyAlignedAllocator(const FamilyAlignedAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > (static_cast<std::size_t>(-1) - kOffset) / sizeof(T)) {
            throw std::bad_array_new_length();
        }
        auto* block = static_cast<std::byte*>(
            ::operator new(n * sizeof(T) + kOffset, std::align_val_t{kCacheLine}));
        return static_cast<T*>(static_cast<void*>(block + kOffset));
    }
    // Unsized delete: Clang 14 declares the sized forms only with -fsized-deallocation.
    void deallocate(T* p, std::size_t /*n*/) noexcept {
        std::byte* block = static_cast<std::byte*>(static_cast<void*>(p)) - kOffset;
        ::operator delete(block, std::align_val_t{kCacheLine});
    }

    friend bool operator==(const FamilyAlignedAllocator&, const FamilyAlignedAllocator&) {
        return true;
    }

private:
    // A multiple of alignof(T) (sizeof(T) is one, and 64 is one for any alignment up to 64).
    static constexpr std::size_t kOffset = (kCacheLine - sizeof(T) % kCacheLine) % kCacheLine;
};

}  // namespace detail

/// Min-priority queue of events keyed by (time, priority, seq). Payload should be small and
/// cheap to copy (entries are copied level by level during sifts); a 16-byte payload makes a
/// 32-byte entry, the size the layout is tuned for.
template <class Payload>
class EventCalendar {
    __extension__ using Key = unsigned __int128;  // __extension__: no -Wpedantic warning

public:
    /// Smallest and largest priority push() accepts (8 bits of the packed key).
    static constexpr std::int32_t kMinPriority = -128;
    static constexpr std::int32_t kMaxPriority = 127;
    /// Number of pushes a calendar accepts over its lifetime (56 bits of the packed key).
    static constexpr std::uint64_t kMaxPushes = std::uint64_t{1} << 56;

    /// One pending event; time, priority and seq are unpacked from the order key on demand.
    class Entry {
    public:
        /// When the event fires, seconds.
        SimTime time() const {
            return static_cast<SimTime>(static_cast<std::uint64_t>(key_ >> 64) ^ kTimeSignBit);
        }
        /// Among equal times, smaller fires first. In [kMinPriority, kMaxPriority].
        std::int32_t priority() const {
            return static_cast<std::int32_t>(static_cast<std::uint64_t>(key_) >> kSeqBits) +
                   kMinPriority;
        }
        /// Among equal (time, priority), earlier push fires first: the number push() returned.
        std::uint64_t seq() const { return static_cast<std::uint64_t>(key_) & (kMaxPushes - 1); }

        Payload payload;  ///< what the event is about (opaque to the calendar)

    private:
        friend class EventCalendar;
        Entry(Key key, const Payload& p) : payload(p), key_(key) {}

        Key key_;  ///< (time, priority, seq) packed so that < on keys is the event order
    };

    /// Adds an event; returns its insertion sequence number (unique for this calendar, never
    /// reused, even across clear()). Throws std::out_of_range, and changes nothing, if priority
    /// is outside [kMinPriority, kMaxPriority]; std::overflow_error after kMaxPushes pushes.
    /// O(log4 n).
    std::uint64_t push(SimTime time, std::int32_t priority, const Payload& p) {
        if (priority < kMinPriority || priority > kMaxPriority) [[unlikely]] {
            throw_bad_priority(priority);
        }
        if (next_seq_ == kMaxPushes) [[unlikely]] {
            throw_seq_exhausted();
        }
        const std::uint64_t seq = next_seq_++;
        heap_.push_back(Entry(pack(time, priority, seq), p));
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
            if (heap_[i].seq() >= next_seq_) {
                return false;
            }
            if (i > 0 && heap_[i].key_ < heap_[parent(i)].key_) {
                return false;
            }
        }
        return true;
    }

private:
    static constexpr std::size_t kArity = 4;
    static constexpr unsigned kSeqBits = 56;
    static constexpr std::uint64_t kTimeSignBit = std::uint64_t{1} << 63;
    static constexpr std::size_t kCacheLine = detail::kCacheLine;
    /// Prefetch only below this index: the first ~32 KiB of the heap (the top levels, touched by
    /// every pop) stay in L1, where prefetches would be wasted instructions.
    static constexpr std::size_t kPrefetchFrom = 1024;

    static std::size_t parent(std::size_t i) { return (i - 1) / kArity; }
    static std::size_t first_child(std::size_t i) { return kArity * i + 1; }

    /// A heap is not stable: entries with equal (time, priority) would come out in an order that
    /// depends on the heap's shape, i.e. on unrelated events. Breaking ties on the insertion
    /// counter makes the order total, so a run is reproducible and simultaneous events fire
    /// first-scheduled first-fired. Flipping the time's sign bit turns two's complement order
    /// into unsigned order; the priority is biased by 128 for the same reason.
    static Key pack(SimTime time, std::int32_t priority, std::uint64_t seq) {
        const std::uint64_t hi = static_cast<std::uint64_t>(time) ^ kTimeSignBit;
        const std::uint64_t lo =
            (static_cast<std::uint64_t>(priority - kMinPriority) << kSeqBits) | seq;
        return (Key{hi} << 64) | lo;
    }

    [[noreturn, gnu::cold, gnu::noinline]] static void throw_bad_priority(std::int32_t priority) {
        throw std::out_of_range("EventCalendar::push: priority " + std::to_string(priority) +
                                " is outside [" + std::to_string(kMinPriority) + ", " +
                                std::to_string(kMaxPriority) + "]");
    }

    [[noreturn, gnu::cold, gnu::noinline]] static void throw_seq_exhausted() {
        throw std::overflow_error("EventCalendar::push: all 2^56 sequence numbers are used");
    }

    /// Moves the entry at `hole` towards the root until its parent is earlier.
    void sift_up(std::size_t hole) {
        Entry* const h = heap_.data();
        if (hole == 0 || !(h[hole].key_ < h[parent(hole)].key_)) {
            return;  // fast path: a new event that is not the earliest stays at the leaf
        }
        Entry moving = std::move(h[hole]);
        do {
            const std::size_t up = parent(hole);
            h[hole] = std::move(h[up]);
            hole = up;
        } while (hole > 0 && moving.key_ < h[parent(hole)].key_);
        h[hole] = std::move(moving);
    }

    /// Index of the earliest of the N (a power of two, >= 2) entries starting at `first`: a
    /// knockout tournament whose selects compile to adc/cmov rather than unpredictable branches.
    /// (Written as index arithmetic in the first round: GCC 12 turns `? first + 1 : first` for
    /// the second pair of a family into a branch.)
    template <std::size_t N>
    static std::size_t earliest_of(const Entry* h, std::size_t first) {
        if constexpr (N == 2) {
            return first + static_cast<std::size_t>(h[first + 1].key_ < h[first].key_);
        } else {
            const std::size_t a = earliest_of<N / 2>(h, first);
            const std::size_t b = earliest_of<N / 2>(h, first + N / 2);
            return h[b].key_ < h[a].key_ ? b : a;
        }
    }

    /// Places `moving` into the hole left at the root, pulling earlier children up.
    void sift_down(Entry moving) {
        Entry* const h = heap_.data();
        const std::size_t n = heap_.size();
        std::size_t hole = 0;
        for (;;) {
            const std::size_t first = first_child(hole);
            std::size_t child;
            if (first + kArity <= n) {
                // Full family (all but one per level). Its children's families are contiguous:
                // start loading them now, while this level's comparisons run.
                const std::size_t grandchildren = first_child(first);
                if (grandchildren >= kPrefetchFrom && grandchildren + kArity * kArity <= n) {
                    const auto* lines = reinterpret_cast<const char*>(h + grandchildren);
                    for (std::size_t b = 0; b < kArity * kArity * sizeof(Entry); b += kCacheLine) {
                        __builtin_prefetch(lines + b);
                    }
                }
                child = earliest_of<kArity>(h, first);
            } else if (first < n) {
                child = first;  // the one partial family: the last parent's 1-3 children
                for (std::size_t c = first + 1; c < n; ++c) {
                    if (h[c].key_ < h[child].key_) {
                        child = c;
                    }
                }
            } else {
                break;
            }
            if (!(h[child].key_ < moving.key_)) {
                break;
            }
            h[hole] = std::move(h[child]);
            hole = child;
        }
        h[hole] = std::move(moving);
    }

    std::vector<Entry, detail::FamilyAlignedAllocator<Entry>> heap_;
    std::uint64_t next_seq_ = 0;
};

}  // namespace cmasim::sim
