// EventCalendar's ring: unsorted buckets of events, one per window of time after the boundary T.
//
//   operation      time       notes
//   ---------      --------   -------------------------------------------------------------
//   add            O(1)       an append to the bucket of the event's window
//   take_earliest  O(b / 64)  a bitmap of the non-empty slots finds the next bucket (b slots),
//                             copied whole into the near heap
//   resize         O(b)       only between turns, when the ring is empty
//
// Why unsorted buckets: most pending events are far away (follow-up visits weeks ahead,
// discharges days ahead); here a far event costs an append and is touched again only when its
// bucket comes due, instead of paying a pop from a large heap. Each bucket keeps its capacity for
// its next use, so a full ring allocates nothing. Measurements and rejected alternatives (sorting
// each bucket, batching pushes): docs/performance.md ("Event calendar: design and rejected
// alternatives").
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cmasim/sim/family_aligned_allocator.h"
#include "cmasim/sim/near_heap.h"

namespace cmasim::sim::detail {

/// Buckets numbered by time (bucket b holds the events whose time lies in window b), held in a
/// ring of a power-of-two number of slots: bucket b in slot b & mask. The owner keeps the
/// numbers in use within one turn of the ring (distinct slots).
template <class Entry>
class BucketRing {
  public:
    using Bucket = EntryVector<Entry>;

    /// Ring size for n pending events: about one bucket per kPendingPerBucket of them, so a turn
    /// spans about the time the pending events take to come due (Little's law).
    static std::size_t buckets_for(std::size_t n) {
        return std::clamp(std::bit_ceil(n / kPendingPerBucket), kMinBuckets, kMaxBuckets);
    }

    /// Entries in all buckets.
    std::size_t count() const { return count_; }
    /// Number of slots (0 before the first resize).
    std::size_t slots() const { return ring_.size(); }

    /// Gives the ring `slots` slots (a power of two, >= 64). Precondition: the ring is empty.
    /// May throw std::bad_alloc (then the ring is unchanged, or larger and still empty).
    void resize(std::size_t slots) {
        if (ring_.size() != slots) {
            std::vector<std::uint64_t> bits(slots / 64, 0);
            ring_.resize(slots);
            occupied_.swap(bits);
            mask_ = slots - 1;
        }
    }

    /// Appends an entry to bucket `bucket`. May throw std::bad_alloc (then nothing changed).
    void add(std::uint64_t bucket, const Entry& e) {
        place(bucket, e);
        ++count_;
    }
    /// As add(), without counting: for dealing out many entries, counted at the end by
    /// set_count().
    void place(std::uint64_t bucket, const Entry& e) {
        const std::size_t slot = static_cast<std::size_t>(bucket) & mask_;
        ring_[slot].push_back(e);
        occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
    }
    void set_count(std::size_t n) { count_ = n; }

    /// Moves the earliest non-empty bucket numbered `from` or later into `near` (replacing its
    /// contents); returns how many bucket numbers that passes (the taken one included).
    /// Precondition: count() > 0. May throw std::bad_alloc (then nothing changed).
    std::uint64_t take_earliest(std::uint64_t from, NearHeap<Entry>& near) {
        // The buckets in use occupy distinct slots, in circular slot order from `from`'s slot:
        // the first occupied slot from there holds the earliest bucket.
        const std::size_t start = static_cast<std::size_t>(from) & mask_;
        const std::size_t slot = first_occupied(start);
        Bucket& bucket = ring_[slot];
        near.assign(bucket.begin(), bucket.end());  // may throw: nothing has changed yet
        count_ -= bucket.size();
        // A bucket keeps its capacity for its next use, unless a burst (e.g. every patient
        // waiting for a clinic to open) made it large: since a ring turn is not a day long, every
        // slot would meet such a burst in time, and the ring would hold one burst per slot.
        if (bucket.capacity() > kKeptCapacity) {
            Bucket().swap(bucket);
        } else {
            bucket.clear();
        }
        occupied_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
        return ((slot - start) & mask_) + 1;
    }

    /// Calls f(entry) for every entry, then empties every bucket (keeping their memory).
    template <class F>
    void drain(F&& f) {
        for (Bucket& b : ring_) {
            for (const Entry& e : b) {
                f(e);
            }
            b.clear();
        }
        std::fill(occupied_.begin(), occupied_.end(), std::uint64_t{0});
        count_ = 0;
    }

    /// True when the slots, bitmap and count agree, and every entry's bucket number (from
    /// bucket_of) is in [from, to) and in its own slot. O(n); for tests.
    template <class BucketOf>
    bool check(std::uint64_t from, std::uint64_t to, BucketOf&& bucket_of) const {
        if (to - from > ring_.size() || (!ring_.empty() && ring_.size() != mask_ + 1) ||
            occupied_.size() * 64 != ring_.size()) {
            return false;
        }
        std::size_t n = 0;
        for (std::size_t slot = 0; slot < ring_.size(); ++slot) {
            const bool bit = (occupied_[slot / 64] >> (slot % 64)) & 1;
            if (bit != !ring_[slot].empty()) {
                return false;
            }
            for (const Entry& e : ring_[slot]) {
                const std::uint64_t b = bucket_of(e);
                if (b < from || b >= to || (b & mask_) != slot) {
                    return false;
                }
            }
            n += ring_[slot].size();
        }
        return n == count_;
    }

    /// Calls f(entry) for every entry. O(n); for tests.
    template <class F>
    void for_each(F&& f) const {
        for (const Bucket& b : ring_) {
            for (const Entry& e : b) {
                f(e);
            }
        }
    }

    void swap(BucketRing& other) noexcept {
        using std::swap;
        swap(ring_, other.ring_);
        swap(occupied_, other.occupied_);
        swap(mask_, other.mask_);
        swap(count_, other.count_);
    }

  private:
    static constexpr std::size_t kPendingPerBucket = 128;
    static constexpr std::size_t kMinBuckets = 64;  // one word of the occupancy bitmap
    static constexpr std::size_t kMaxBuckets = std::size_t{1} << 16;
    /// Buckets larger than this (entries) are freed when emptied: twice the automatic window's
    /// aim of 128 events per bucket.
    static constexpr std::size_t kKeptCapacity = 256;

    /// The first occupied slot from `start` on, circularly. Precondition: count() > 0.
    std::size_t first_occupied(std::size_t start) const {
        const std::size_t words = occupied_.size();
        std::size_t w = start / 64;
        std::uint64_t bits = occupied_[w] & (~std::uint64_t{0} << (start % 64));
        while (bits == 0) {  // terminates: some bit is set
            w = w + 1 == words ? 0 : w + 1;
            bits = occupied_[w];
        }
        return w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
    }

    std::vector<Bucket> ring_;             // allocated by the first resize
    std::vector<std::uint64_t> occupied_;  ///< bit (slot % 64) of word slot / 64: slot non-empty
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
};

}  // namespace cmasim::sim::detail
