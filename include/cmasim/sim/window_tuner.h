// EventCalendar's window W (the width of a bucket of time) and how it is chosen.
//
// W is a power of two of seconds (2 s at least), so a time's bucket is a shift of its key. It
// trades the near heap's depth (W too wide) against the per-bucket work and empty buckets (W too
// narrow), and is best at about 100 events per bucket: 256 s for the baseline county, 64 s at 4x
// its population. By default the calendar chooses it, because the right value scales with the
// event rate:
//   - at the start of each ring turn, W is set so that, at the pop rate of the last few turns
//     (weighted 1/2, 1/4, ... so a quiet night does not set the window for a busy day), a
//     bucket's worth of time holds about 128 events;
//   - with no history yet, from how densely the pending events crowd the earliest ones (a sample
//     of 64);
//   - when the near heap outgrows 8192 events W is narrowed at once (unless that would not split
//     it: a burst at one instant).
// With few events pending (the tandem network: ~4) one bucket holds them all, and the calendar
// is the plain 4-ary heap. A fixed window (EventCalendar::set_window) is for a caller that knows
// its time scale; the engine does not need one.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

#include "cmasim/sim/calendar_key.h"
#include "cmasim/sim/time.h"

namespace cmasim::sim::detail {

/// The window as a shift (W = 2^shift seconds), the near heap's size limit, and the rate
/// history of the automatic window.
class WindowTuner {
  public:
    /// Window = 2^shift seconds. At least 2 s, so bucket numbers stay below 2^63 and the
    /// calendar's exclusive bucket ends never overflow.
    static constexpr unsigned kMinShift = 1;
    static constexpr unsigned kMaxShift = 62;

    unsigned shift() const { return shift_; }
    bool automatic() const { return automatic_; }
    /// A near heap larger than this calls for near_overgrown (automatic window only).
    std::size_t near_limit() const { return near_limit_; }

    /// Automatic (window 0) or a fixed window of `window` > 0 seconds, rounded down to a power
    /// of two, at least 2.
    void set_window(SimTime window) {
        automatic_ = window == 0;
        hold_ = false;
        if (!automatic_) {
            shift_ = std::clamp<unsigned>(
                static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(window))) - 1,
                kMinShift, kMaxShift);
        }
        near_limit_ = automatic_ ? kNearLimit : std::numeric_limits<std::size_t>::max();
    }

    /// A turn is about to start with all `pending` events unordered in `overflow` (earliest
    /// time bits `earliest`), `pushes` pushed so far: retunes an automatic window, unless the
    /// last narrowing asked to keep it for this turn.
    template <class Entries>
    void before_turn(std::uint64_t pushes, std::size_t pending, std::uint64_t earliest,
                     const Entries& overflow) {
        if (automatic_ && !std::exchange(hold_, false)) {
            retune(pushes, pending, earliest, overflow);
        }
    }

    /// A turn started at time bits `start` with `pending` events and `pushes` pushed so far.
    void turn_started(std::uint64_t pushes, std::size_t pending, std::uint64_t start) {
        turn_seq_ = pushes;
        turn_size_ = pending;
        turn_start_ = start;
        measured_ = true;
        near_limit_ = automatic_ ? kNearLimit : std::numeric_limits<std::size_t>::max();
    }

    /// The calendar was cleared: the turn under way says nothing about the rate.
    void forget_turn() { measured_ = false; }

    /// The shift that spreads the near heap's entries over kTargetPerBucket events' worth of
    /// time, if it is narrower than the current one and splits them; else the current shift.
    template <class Entries>
    unsigned narrower_shift(const Entries& near) const {
        std::uint64_t last = 0;
        for (const auto& e : near) {
            last = std::max(last, time_bits(EntryAccess::key(e)));
        }
        const std::uint64_t earliest = time_bits(EntryAccess::key(near.front()));
        const Wide window = Wide{last - earliest} * kTargetPerBucket / near.size();
        const unsigned shift = std::clamp(log2_floor(window), kMinShift, shift_);
        return (earliest >> shift) != (last >> shift) ? shift : shift_;
    }
    /// Narrows the window to `shift`; the next turn keeps it (a turn cut short says nothing
    /// about the rate).
    void narrow_to(unsigned shift) {
        shift_ = shift;
        hold_ = true;
    }
    /// Tolerates a larger near heap (doubling the limit: a burst costs O(n) at most O(log n)
    /// times).
    void raise_near_limit() { near_limit_ *= 2; }

    void swap(WindowTuner& other) noexcept {
        using std::swap;
        swap(shift_, other.shift_);
        swap(near_limit_, other.near_limit_);
        swap(automatic_, other.automatic_);
        swap(turn_seq_, other.turn_seq_);
        swap(turn_size_, other.turn_size_);
        swap(turn_start_, other.turn_start_);
        swap(hold_, other.hold_);
        swap(measured_, other.measured_);
        swap(rate_pops_, other.rate_pops_);
        swap(rate_time_, other.rate_time_);
    }

  private:
    __extension__ using Wide = unsigned __int128;

    static constexpr unsigned kDefaultShift = 9;  // 512 s, until the first tuning
    /// Aim for this many events through the near heap per bucket of time.
    static constexpr std::uint64_t kTargetPerBucket = 128;
    /// A near heap beyond this many events means the window is far too wide.
    static constexpr std::size_t kNearLimit = 8192;
    /// A turn with fewer pops than this says little about the event rate.
    static constexpr std::uint64_t kMinTurnPops = 4 * kTargetPerBucket;

    /// floor(log2(w)), and 0 for w <= 1.
    static unsigned log2_floor(Wide w) {
        if (w >> 64) {
            return 64 + static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(w >> 64))) -
                   1;
        }
        return w <= 1 ? 0
                      : static_cast<unsigned>(std::bit_width(static_cast<std::uint64_t>(w))) - 1;
    }

    /// From the rate at which events were popped over the last few turns (halving the weight of
    /// the past at each turn), else (too few pops to tell) from a sample of the pending events.
    template <class Entries>
    void retune(std::uint64_t pushes, std::size_t pending, std::uint64_t earliest,
                const Entries& overflow) {
        if (measured_) {
            const std::uint64_t pops = (pushes - turn_seq_) - (pending - turn_size_);
            rate_pops_ = rate_pops_ / 2 + pops;
            rate_time_ = rate_time_ / 2 + (earliest > turn_start_ ? earliest - turn_start_ : 0);
        }
        Wide window = 0;  // seconds
        if (rate_pops_ >= kMinTurnPops && rate_time_ > 0) {
            window = Wide{kTargetPerBucket} * rate_time_ / rate_pops_;
        } else {
            window = sample_window(earliest, overflow);
        }
        shift_ = std::clamp(log2_floor(window), kMinShift, kMaxShift);
    }

    /// A window from a sample of the pending events: time span of their earliest quarter (so a
    /// few far outliers do not count), scaled to kTargetPerBucket events.
    template <class Entries>
    static Wide sample_window(std::uint64_t earliest, const Entries& pending) {
        const std::size_t n = pending.size();
        if (n <= kTargetPerBucket) {
            // Few events: one bucket for all of them (the near heap is the whole calendar).
            std::uint64_t last = earliest;
            for (const auto& e : pending) {
                last = std::max(last, time_bits(EntryAccess::key(e)));
            }
            return Wide{last - earliest} + 1;
        }
        constexpr std::size_t kSample = 64;
        std::uint64_t sample[kSample];
        const std::size_t s = kSample;  // n > kTargetPerBucket >= kSample
        static_assert(kTargetPerBucket >= kSample);
        for (std::size_t j = 0; j < s; ++j) {
            sample[j] = time_bits(EntryAccess::key(pending[j * n / s]));
        }
        const std::size_t q = s / 4;
        std::nth_element(sample, sample + q, sample + s);
        const std::uint64_t span = sample[q] - earliest;
        // The earliest quarter of n events, q / s of them, spans `span` seconds.
        return (Wide{span} + 1) * kTargetPerBucket * s / (Wide{n} * q);
    }

    unsigned shift_ = kDefaultShift;
    std::size_t near_limit_ = kNearLimit;
    bool automatic_ = true;
    // The current turn: pushes and size when it began, and its start (time bits).
    std::uint64_t turn_seq_ = 0;
    std::size_t turn_size_ = 0;
    std::uint64_t turn_start_ = 0;
    bool hold_ = false;      ///< keep the window through the next turn (it was just narrowed)
    bool measured_ = false;  ///< false until a turn starts (again, after a clear)
    // Pops and seconds of the last few turns, the older halved at each turn.
    std::uint64_t rate_pops_ = 0;
    Wide rate_time_ = 0;
};

}  // namespace cmasim::sim::detail
