// The pending-event set, ordered by (time, priority, seq): a small 4-ary heap for the near future
// in front of a calendar queue (a ring of unsorted buckets, one per window of time) for the rest.
//
// Cost of each operation, n = pending events, m = events in the near heap (about 128 with the
// automatic window), in the style of ns-3's scheduler.h:
//
//   operation   time            notes
//   ---------   -------------   ---------------------------------------------------------
//   push        O(1)            beyond the boundary T: an append to the bucket of its window
//                               (or to the overflow, beyond the ring); before T (the near
//                               future, ~9% of the engine's pushes): O(log4 m) into the heap
//   pop         O(4 log4 m)     per level: 3 branch-free comparisons pick the earliest of the
//                               4 children, 1 more against the moving entry; plus the refill
//                               below, amortised
//   top         O(1)            amortised: when the near heap has run dry, top() and pop()
//                               first take in the next non-empty bucket (a bitmap finds it;
//                               Floyd's heap construction, O(m)), or, once per turn of the
//                               ring, deal out the overflow (O(size of the overflow))
//   memory      <= ~5n * 32 B   with a 16-byte payload: the overflow's and the heap's vectors
//                               and one per bucket, each keeping its capacity for the next use
//                               (a bucket's up to 8 KiB); 6.4 MB allocated at the baseline
//                               county's 39,000 pending (one heap: 2.1 MB), mostly untouched
//                               (peak RSS +2 MB of 33); no per-event allocation
//
// The order is exactly the single heap's: the near heap holds exactly the pending events before
// T and compares full keys; everything else is later than T. The window and the tiers only
// decide how much work a pop does, never which event it returns.
//
// Why two tiers: a pop from one heap of all pending events walks log4 n levels, and in the
// engine n is large (~38,000 at the baseline county; 152,000 at 4x its population, 606,000 at
// 16x) while most of it is far away (follow-up visits weeks ahead, discharges days ahead) and
// most events are near (travel, consultations, reneging: half of all pushes are under 14
// minutes ahead). The deep levels leave the cache at 4x and 16x, so the cost per event grew
// with the county. Here a far event costs an append, and is touched again only when its
// bucket comes due (plus about once per ring turn while it waits in the overflow: 0.9 entries
// dealt per pop in the engine); every pop is from a heap of ~100 events that stays in L1.
// Measured (the engine's own push/pop sequence, baseline x1 and x4, traced and replayed into
// each queue; seconds for 10.8 M / 46.9 M events on the shared 2-core machine, load ~2.5): one
// 4-ary heap 0.82 / 3.7-4.0; this calendar 0.45 / 2.1-2.7 (Callgrind: 457 -> 294 instructions
// per event); the other two-tier design, a near and a far heap split at a moving boundary T,
// 0.98 / 3.9-5.0 (worse than one heap: every far event, ~70% of them, still pays a pop from
// the large far heap). In the engine itself the pops got cheaper still, but a push beyond T
// now writes to a bucket last touched hours of simulated time ago (a cache miss, where the
// heap appended to its hot end): whole runs gained 4% at x1, 10% at x4 and 22% at x16.
// Sorting each bucket instead of heapifying it cut instructions further (153 per event) but
// took longer (mispredicted comparisons); staging pushes to deal them out in batches did not
// measurably help.
//
// The window W: a power of two of seconds (2 s at least), so a time's bucket is a shift of its
// key. It trades the near heap's depth (W too wide) against the per-bucket work and empty
// buckets (W too narrow), and is best at about 100 events per bucket: 256 s for the baseline
// county, 64 s at 4x. By default the calendar chooses it, because the right value scales with
// the event rate: at the start of each ring turn W is set so that, at the pop rate of the last
// few turns (weighted 1/2, 1/4, ... so a quiet night does not set the window for a busy day),
// a bucket's worth of time holds about 128 events; with no history yet, from how densely the
// pending events crowd the earliest ones (a sample of 64); and when the near heap outgrows 8192
// events W is narrowed at once (unless that would not split it: a burst at one instant). The
// ring has about one bucket per 128 pending events (64 to 65,536), so a turn spans about the
// time the pending events take to come due (Little's law) and the overflow is dealt out about
// once per pending event. With few events pending (the tandem network: ~4) one bucket holds
// them all, and the calendar is the plain 4-ary heap. set_window() fixes W instead, for a
// caller that knows its time scale; the engine does not need to.
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
// (time, priority, seq), for every SimTime including negative and extreme values. The bucket of
// a time is its high 64 bits shifted right, so the tiers follow the same order.
//
// Why a 4-ary near heap: a pop walks half the levels of a binary heap, and a family of 4
// children of 32-byte entries is exactly two cache lines (the storage is offset so that families
// start on a line). Sifts move a "hole" rather than swapping, so each level costs one entry copy
// instead of three. As a single heap of all pending events (hold model, million pop+push/s at
// 10^4 / 10^5 / 10^6 pending): binary 19.0 / 9.3 / 1.4, 4-ary 21.1 / 12.1 / 2.2, 8-ary 23.7 /
// 15.3 / 3.3, and with prefetching the grandchildren (which pop() still does below the first
// ~32 KiB of the heap, for a near heap swollen by a burst or a fixed window) binary 19.2 / 11.9
// / 3.0, 4-ary 21.7 / 16.6 / 4.5, 8-ary 21.9 / 12.6 / 4.5. The two-tier calendar, on a busier
// machine (load ~2.9, medians of 3): 24.8 / 21.4 / 10.8, where the best of those heaps made
// 18.8 / 12.3 / 3.5 and the single-heap calendar 16.3 / 11.5 / 2.9.
//
// Exceptions: push, top and pop throw std::bad_alloc when memory runs out, and then nothing was
// added (push) or removed (top, pop): events move between tiers only after the allocation they
// need has succeeded, or are given back (so Payload must copy without throwing).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
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
/// cheap to copy (entries are copied level by level during sifts and between tiers); a 16-byte
/// payload makes a 32-byte entry, the size the layout is tuned for.
///
/// Not thread-safe, not even for concurrent const calls: top() may move events between tiers.
template <class Payload>
class EventCalendar {
    __extension__ using Key = unsigned __int128;  // __extension__: no -Wpedantic warning
    __extension__ using Wide = unsigned __int128;

public:
    /// Smallest and largest priority push() accepts (8 bits of the packed key).
    static constexpr std::int32_t kMinPriority = -128;
    static constexpr std::int32_t kMaxPriority = 127;
    /// Number of pushes a calendar accepts over its lifetime (56 bits of the packed key).
    static constexpr std::uint64_t kMaxPushes = std::uint64_t{1} << 56;
    /// set_window(kAutoWindow): the calendar chooses (and keeps adjusting) its window.
    static constexpr SimTime kAutoWindow = 0;

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
        swap(near_, other.near_);
        swap(ring_, other.ring_);
        swap(occupied_, other.occupied_);
        swap(overflow_, other.overflow_);
        swap(near_end_, other.near_end_);
        swap(ring_end_, other.ring_end_);
        swap(ring_mask_, other.ring_mask_);
        swap(ring_count_, other.ring_count_);
        swap(overflow_min_, other.overflow_min_);
        swap(shift_, other.shift_);
        swap(near_limit_, other.near_limit_);
        swap(auto_window_, other.auto_window_);
        swap(turn_seq_, other.turn_seq_);
        swap(turn_size_, other.turn_size_);
        swap(turn_start_, other.turn_start_);
        swap(hold_window_, other.hold_window_);
        swap(turn_measured_, other.turn_measured_);
        swap(rate_pops_, other.rate_pops_);
        swap(rate_time_, other.rate_time_);
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
        const Key key = pack(time, priority, seq);
        const std::uint64_t bucket = bucket_of(key);
        if (bucket < near_end_) {
            near_.push_back(Entry(key, p));
            sift_up(near_.size() - 1);
            if (near_.size() > near_limit_) [[unlikely]] {
                near_overgrown();
            }
        } else if (bucket < ring_end_) {
            const std::size_t slot = static_cast<std::size_t>(bucket) & ring_mask_;
            ring_[slot].push_back(Entry(key, p));
            ++ring_count_;
            occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
        } else {
            overflow_.push_back(Entry(key, p));
            overflow_min_ = std::min(overflow_min_, time_bits(key));
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
        Entry result = std::move(near_.front());
        Entry last = std::move(near_.back());
        near_.pop_back();
        if (!near_.empty()) {
            sift_down(std::move(last), 0);
        }
        return result;
    }

    /// True when no event is pending.
    bool empty() const { return near_.empty() && ring_count_ == 0 && overflow_.empty(); }
    /// Number of pending events.
    std::size_t size() const { return near_.size() + ring_count_ + overflow_.size(); }

    /// Drops every pending event. Sequence numbers keep counting (they stay unique); the window
    /// (fixed, or as tuned so far) and the memory of every tier are kept.
    void clear() {
        near_.clear();
        for (Bucket& b : ring_) {
            b.clear();
        }
        std::fill(occupied_.begin(), occupied_.end(), std::uint64_t{0});
        overflow_.clear();
        ring_count_ = 0;
        overflow_min_ = kNoTime;
        turn_measured_ = false;
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
        auto_window_ = window == kAutoWindow;
        hold_window_ = false;
        if (!auto_window_) {
            shift_ = std::clamp<unsigned>(
                static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(window))) - 1,
                kMinShift, kMaxShift);
        }
        near_limit_ = auto_window_ ? kNearLimit : std::numeric_limits<std::size_t>::max();
    }

    /// The current window (bucket width), seconds; with kAutoWindow, as tuned so far.
    SimTime window() const { return SimTime{1} << shift_; }
    /// True when the window is chosen by the calendar (kAutoWindow).
    bool auto_window() const { return auto_window_; }

    /// The boundary T: every pending event earlier than T is in the near heap, and only those.
    /// A multiple of window(); std::numeric_limits<SimTime>::min() while everything waits in the
    /// overflow (before the first top() or pop(), after clear() or a retune).
    SimTime near_end() const {
        if (near_end_ > (kNoTime >> shift_)) {
            return std::numeric_limits<SimTime>::max();  // the last bucket: max() is near too
        }
        return static_cast<SimTime>((near_end_ << shift_) ^ kTimeSignBit);
    }

    /// How the pending events are spread over the tiers; for tests and tuning.
    TierSizes tier_sizes() const { return {near_.size(), ring_count_, overflow_.size()}; }

    /// True when the near heap is a heap, every event is in the tier its time says (near: before
    /// near_end(); ring: in the bucket of its time, within the ring's span; overflow: beyond it),
    /// the counts add up, and every seq was issued by this calendar. O(n); for tests and debugging.
    bool check_invariants() const {
        const auto seq_ok = [this](const Entry& e) { return e.seq() < next_seq_; };
        if (near_end_ > ring_end_ ||
            ring_end_ - near_end_ > ring_.size() ||
            (!ring_.empty() && ring_.size() != ring_mask_ + 1) ||
            occupied_.size() * 64 != ring_.size() || shift_ < kMinShift || shift_ > kMaxShift) {
            return false;
        }
        for (std::size_t i = 0; i < near_.size(); ++i) {
            if (!seq_ok(near_[i]) || bucket_of(near_[i].key_) >= near_end_ ||
                (i > 0 && near_[i].key_ < near_[parent(i)].key_)) {
                return false;
            }
        }
        std::size_t in_ring = 0;
        for (std::size_t slot = 0; slot < ring_.size(); ++slot) {
            const bool bit = (occupied_[slot / 64] >> (slot % 64)) & 1;
            if (bit != !ring_[slot].empty()) {
                return false;
            }
            for (const Entry& e : ring_[slot]) {
                const std::uint64_t b = bucket_of(e.key_);
                if (!seq_ok(e) || b < near_end_ || b >= ring_end_ || (b & ring_mask_) != slot) {
                    return false;
                }
            }
            in_ring += ring_[slot].size();
        }
        if (in_ring != ring_count_) {
            return false;
        }
        std::uint64_t least = kNoTime;
        for (const Entry& e : overflow_) {
            if (!seq_ok(e) || bucket_of(e.key_) < ring_end_) {
                return false;
            }
            least = std::min(least, time_bits(e.key_));
        }
        return overflow_.empty() || overflow_min_ == least;
    }

private:
    using Bucket = std::vector<Entry, detail::FamilyAlignedAllocator<Entry>>;

    static constexpr std::size_t kArity = 4;
    static constexpr unsigned kSeqBits = 56;
    static constexpr std::uint64_t kTimeSignBit = std::uint64_t{1} << 63;
    static constexpr std::size_t kCacheLine = detail::kCacheLine;
    /// Prefetch only below this index: the first ~32 KiB of the heap (the top levels, touched by
    /// every pop) stay in L1, where prefetches would be wasted instructions.
    static constexpr std::size_t kPrefetchFrom = 1024;

    /// Window = 2^shift seconds. At least 2 s, so bucket numbers stay below 2^63 and the
    /// exclusive ends near_end_ and ring_end_ never overflow.
    static constexpr unsigned kMinShift = 1;
    static constexpr unsigned kMaxShift = 62;
    static constexpr unsigned kDefaultShift = 9;  // 512 s, until the first tuning
    /// Automatic window: aim for this many events through the near heap per bucket of time.
    static constexpr std::uint64_t kTargetPerBucket = 128;
    /// Automatic window: a near heap beyond this many events means the window is far too wide.
    static constexpr std::size_t kNearLimit = 8192;
    /// Ring size: about one bucket per kPendingPerBucket pending events, within these bounds.
    static constexpr std::size_t kPendingPerBucket = 128;
    static constexpr std::size_t kMinBuckets = 64;  // one word of the occupancy bitmap
    static constexpr std::size_t kMaxBuckets = std::size_t{1} << 16;
    /// Ring buckets larger than this (entries) are freed when emptied.
    static constexpr std::size_t kKeptCapacity = 2 * kTargetPerBucket;
    /// A turn with fewer pops than this says little about the event rate.
    static constexpr std::uint64_t kMinTurnPops = 4 * kTargetPerBucket;
    static constexpr std::uint64_t kNoTime = ~std::uint64_t{0};

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
    /// The time, as the unsigned number whose order is the time order.
    static std::uint64_t time_bits(Key key) { return static_cast<std::uint64_t>(key >> 64); }
    std::uint64_t bucket_of(Key key) const { return time_bits(key) >> shift_; }
    /// floor(log2(w)), and 0 for w <= 1.
    static unsigned log2_floor(Wide w) {
        if (w >> 64) {
            return 64 + static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(w >> 64))) - 1;
        }
        return w <= 1 ? 0 : static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(w))) - 1;
    }

    [[noreturn, gnu::cold, gnu::noinline]] static void throw_bad_priority(std::int32_t priority) {
        throw std::out_of_range("EventCalendar::push: priority " + std::to_string(priority) +
                                " is outside [" + std::to_string(kMinPriority) + ", " +
                                std::to_string(kMaxPriority) + "]");
    }

    [[noreturn, gnu::cold, gnu::noinline]] static void throw_seq_exhausted() {
        throw std::overflow_error("EventCalendar::push: all 2^56 sequence numbers are used");
    }

    // ---- the near heap ------------------------------------------------------------------

    /// Moves the entry at `hole` towards the root until its parent is earlier.
    void sift_up(std::size_t hole) const {
        Entry* const h = near_.data();
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

    /// Places `moving` into `hole` or below it, pulling earlier children up.
    void sift_down(Entry moving, std::size_t hole) const {
        Entry* const h = near_.data();
        const std::size_t n = near_.size();
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

    /// Floyd's bottom-up heap construction: O(m) for m unordered entries.
    void heapify() const {
        const std::size_t n = near_.size();
        if (n < 2) {
            return;
        }
        for (std::size_t i = parent(n - 1) + 1; i-- > 0;) {
            sift_down(near_[i], i);
        }
    }

    // ---- moving events between tiers ----------------------------------------------------

    /// The near heap ran dry (and events are pending): take in the next non-empty bucket, or,
    /// when the ring is empty too, start a new turn from the overflow.
    [[gnu::noinline]] void refill() const {
        if (empty()) {
            throw std::logic_error("EventCalendar: top() or pop() on an empty calendar");
        }
        do {
            if (ring_count_ > 0) {
                load_next_bucket();
            } else {
                new_turn();
            }
            if (near_.size() > near_limit_) {
                near_overgrown();  // may empty the near heap again, with a narrower window
            }
        } while (near_.empty());
    }

    /// Moves the earliest non-empty bucket of the ring into the (empty) near heap.
    void load_next_bucket() const {
        // Buckets near_end_ .. ring_end_ - 1 occupy distinct slots, in circular slot order from
        // near_end_'s slot: the first occupied slot from there holds the earliest bucket.
        const std::size_t start = static_cast<std::size_t>(near_end_) & ring_mask_;
        const std::size_t words = occupied_.size();
        std::size_t w = start / 64;
        std::uint64_t bits = occupied_[w] & (~std::uint64_t{0} << (start % 64));
        while (bits == 0) {  // terminates: ring_count_ > 0, so some bit is set
            w = w + 1 == words ? 0 : w + 1;
            bits = occupied_[w];
        }
        const std::size_t slot = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        Bucket& bucket = ring_[slot];
        near_.assign(bucket.begin(), bucket.end());  // may throw: nothing has changed yet
        ring_count_ -= bucket.size();
        // A bucket keeps its capacity for its next use, unless a burst (e.g. every patient
        // waiting for a clinic to open) made it large: since a ring turn is not a day long, every
        // slot would meet such a burst in time, and the ring would hold one burst per slot.
        if (bucket.capacity() > kKeptCapacity) {
            Bucket().swap(bucket);
        } else {
            bucket.clear();
        }
        occupied_[w] &= ~(std::uint64_t{1} << (slot % 64));
        near_end_ += ((slot - start) & ring_mask_) + 1;
        heapify();
    }

    /// The near heap and the ring are empty: every pending event is in the overflow. Choose the
    /// window (when automatic) and the ring size, then deal the overflow out: the earliest
    /// bucket into the near heap, the next ring_.size() buckets into the ring, the rest stays.
    [[gnu::noinline]] void new_turn() const {
        go_cold();  // valid whatever the window, and what an exception below leaves behind
        const std::size_t n = overflow_.size();
        if (auto_window_ && !std::exchange(hold_window_, false)) {
            retune();
        }
        const std::size_t buckets =
            std::clamp(std::bit_ceil(n / kPendingPerBucket), kMinBuckets, kMaxBuckets);
        if (ring_.size() != buckets) {
            std::vector<std::uint64_t> bits(buckets / 64, 0);  // these two may throw: the
            ring_.resize(buckets);                             // calendar is cold and whole
            occupied_.swap(bits);
            ring_mask_ = buckets - 1;
        }
        const std::uint64_t first = overflow_min_ >> shift_;
        const std::uint64_t ring_end = first + 1 + buckets;
        std::uint64_t least = kNoTime;
        std::size_t keep = 0;
        std::size_t i = 0;
        try {
            for (; i < n; ++i) {
                const Entry& e = overflow_[i];
                const std::uint64_t bucket = bucket_of(e.key_);
                if (bucket == first) {
                    near_.push_back(e);
                } else if (bucket < ring_end) {
                    const std::size_t slot = static_cast<std::size_t>(bucket) & ring_mask_;
                    ring_[slot].push_back(e);
                    occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
                } else {
                    least = std::min(least, time_bits(e.key_));
                    overflow_[keep++] = e;
                }
            }
        } catch (...) {
            // Out of memory half-way: the i - keep entries dealt out so far go back into the
            // i - keep stale slots [keep, i), and the calendar stays cold.
            const auto give_back = [&](Bucket& b) {
                for (const Entry& e : b) {
                    overflow_[keep++] = e;
                }
                b.clear();
            };
            give_back(near_);
            for (Bucket& b : ring_) {
                give_back(b);
            }
            std::fill(occupied_.begin(), occupied_.end(), std::uint64_t{0});
            throw;
        }
        overflow_.erase(overflow_.begin() + static_cast<std::ptrdiff_t>(keep), overflow_.end());
        overflow_min_ = least;
        ring_count_ = n - near_.size() - keep;
        near_end_ = first + 1;
        ring_end_ = ring_end;
        heapify();
        turn_seq_ = next_seq_;
        turn_size_ = n;
        turn_start_ = first << shift_;
        turn_measured_ = true;
        near_limit_ = auto_window_ ? kNearLimit : std::numeric_limits<std::size_t>::max();
    }

    /// Automatic window, at the start of a turn (everything is in the overflow): from the rate
    /// at which events were popped over the last few turns (halving the weight of the past at
    /// each turn, so a quiet night does not set the window for a busy day), else (too few pops
    /// to tell) from how densely the pending events crowd the earliest ones.
    void retune() const {
        if (turn_measured_) {
            const std::uint64_t pops = (next_seq_ - turn_seq_) - (size() - turn_size_);
            const std::uint64_t now = overflow_min_;
            rate_pops_ = rate_pops_ / 2 + pops;
            rate_time_ = rate_time_ / 2 + (now > turn_start_ ? now - turn_start_ : 0);
        }
        Wide window = 0;  // seconds
        if (rate_pops_ >= kMinTurnPops && rate_time_ > 0) {
            window = Wide{kTargetPerBucket} * rate_time_ / rate_pops_;
        } else {
            window = sample_window();
        }
        shift_ = std::clamp(log2_floor(window), kMinShift, kMaxShift);
    }

    /// A window from a sample of the pending events: time span of their earliest quarter (so a
    /// few far outliers do not count), scaled to kTargetPerBucket events.
    Wide sample_window() const {
        const std::size_t n = overflow_.size();
        if (n <= kTargetPerBucket) {
            // Few events: one bucket for all of them (the near heap is the whole calendar).
            std::uint64_t last = overflow_min_;
            for (const Entry& e : overflow_) {
                last = std::max(last, time_bits(e.key_));
            }
            return Wide{last - overflow_min_} + 1;
        }
        constexpr std::size_t kSample = 64;
        std::uint64_t sample[kSample];
        const std::size_t s = kSample;  // n > kTargetPerBucket >= kSample
        static_assert(kTargetPerBucket >= kSample);
        for (std::size_t j = 0; j < s; ++j) {
            sample[j] = time_bits(overflow_[j * n / s].key_);
        }
        const std::size_t q = s / 4;
        std::nth_element(sample, sample + q, sample + s);
        const std::uint64_t span = sample[q] - overflow_min_;
        // The earliest quarter of n events, q / s of them, spans `span` seconds.
        return (Wide{span} + 1) * kTargetPerBucket * s / (Wide{n} * q);
    }

    /// The near heap holds more than near_limit_ events: with an automatic window, the window is
    /// far too wide. Narrow it to kTargetPerBucket events' worth of the heap's time span and start
    /// over, unless that would not split the heap's events (a burst of equal times), in which
    /// case only raise the limit (doubling it: a burst costs O(n) at most O(log n) times).
    [[gnu::noinline, gnu::cold]] void near_overgrown() const {
        std::uint64_t last = 0;
        for (const Entry& e : near_) {
            last = std::max(last, time_bits(e.key_));
        }
        const std::uint64_t earliest = time_bits(near_.front().key_);
        const Wide window = Wide{last - earliest} * kTargetPerBucket / near_.size();
        const unsigned shift = std::clamp(log2_floor(window), kMinShift, shift_);
        if (shift < shift_ && (earliest >> shift) != (last >> shift)) {
            try {
                gather_into_overflow();
            } catch (const std::bad_alloc&) {
                near_limit_ *= 2;  // only an optimisation: carry on with the wide window
                return;
            }
            shift_ = shift;
            hold_window_ = true;  // not the rate of a turn cut short: the next turn keeps it
        } else {
            near_limit_ *= 2;
        }
    }

    /// Moves every pending event into the overflow and goes cold (the next top() or pop() starts
    /// a turn). Throws std::bad_alloc before anything changed when the overflow cannot grow.
    void gather_into_overflow() const {
        overflow_.reserve(size());
        for (const Entry& e : near_) {
            overflow_.push_back(e);
        }
        near_.clear();
        for (Bucket& b : ring_) {
            for (const Entry& e : b) {
                overflow_.push_back(e);
            }
            b.clear();
        }
        std::fill(occupied_.begin(), occupied_.end(), std::uint64_t{0});
        ring_count_ = 0;
        overflow_min_ = kNoTime;
        for (const Entry& e : overflow_) {
            overflow_min_ = std::min(overflow_min_, time_bits(e.key_));
        }
        go_cold();
    }

    /// Nothing in the near heap or the ring may be pending: everything waits in the overflow.
    void go_cold() const {
        near_end_ = 0;
        ring_end_ = 0;
    }

    // The near heap: exactly the pending events with bucket number < near_end_ (time before
    // near_end()). The ring: those with near_end_ <= bucket < ring_end_, bucket b in slot
    // b & ring_mask_, its bit set in occupied_ when the slot is non-empty. The overflow: the rest,
    // unordered. Mutable because top() may move events between tiers (never changing the order).
    mutable Bucket near_;
    mutable std::vector<Bucket> ring_;  // allocated by the first turn
    mutable std::vector<std::uint64_t> occupied_;
    mutable Bucket overflow_;
    mutable std::uint64_t near_end_ = 0;
    mutable std::uint64_t ring_end_ = 0;
    mutable std::size_t ring_mask_ = 0;
    mutable std::size_t ring_count_ = 0;
    mutable std::uint64_t overflow_min_ = kNoTime;  ///< least time_bits in the overflow
    mutable unsigned shift_ = kDefaultShift;
    mutable std::size_t near_limit_ = kNearLimit;
    bool auto_window_ = true;
    // The current turn, for the automatic window: pushes and size when it began, and its start.
    mutable std::uint64_t turn_seq_ = 0;
    mutable std::size_t turn_size_ = 0;
    mutable std::uint64_t turn_start_ = 0;
    mutable bool hold_window_ = false;
    mutable bool turn_measured_ = false;  ///< false until a turn starts (again, after clear())
    // Pops and seconds of the last few turns, the older halved at each turn.
    mutable std::uint64_t rate_pops_ = 0;
    mutable Wide rate_time_ = 0;
    std::uint64_t next_seq_ = 0;
};

}  // namespace cmasim::sim
