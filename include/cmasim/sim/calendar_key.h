// The order key of EventCalendar's pending events, and the entry that carries it.
//
// (time, priority, seq) is packed into one unsigned 128-bit integer, so comparing two events is
// a single 128-bit compare (cmp/sbb, no branches) instead of up to three:
//
//   high 64 bits   time with its sign bit flipped (maps signed order onto unsigned order)
//   low 64 bits    (priority + 128) in the top 8 bits, seq in the low 56 bits
//
// This limits priority to [-128, 127] and a calendar to 2^56 pushes over its lifetime (7.2e16:
// two years of pushing a billion events per second). Within those limits the order is exactly
// lexicographic (time, priority, seq), for every SimTime including negative and extreme values.
// The calendar's bucket of a time is the key's high 64 bits shifted right, so its tiers follow
// the same order.
#pragma once

#include <cstdint>

#include "cmasim/sim/time.h"

#if !defined(__SIZEOF_INT128__)
#error "EventCalendar needs unsigned __int128 (GCC or Clang on a 64-bit target)"
#endif

namespace cmasim::sim::detail {

__extension__ using CalendarKey = unsigned __int128;  // __extension__: no -Wpedantic warning

/// Smallest and largest priority a key holds (8 bits).
inline constexpr std::int32_t kMinPriority = -128;
inline constexpr std::int32_t kMaxPriority = 127;
/// Bits of the insertion counter; a calendar accepts 2^kSeqBits pushes over its lifetime.
inline constexpr unsigned kSeqBits = 56;
inline constexpr std::uint64_t kMaxPushes = std::uint64_t{1} << kSeqBits;
inline constexpr std::uint64_t kTimeSignBit = std::uint64_t{1} << 63;
/// Larger than the time bits of any event but SimTime's maximum: "no time" in a minimum.
inline constexpr std::uint64_t kNoTime = ~std::uint64_t{0};

/// A heap is not stable: entries with equal (time, priority) would come out in an order that
/// depends on the heap's shape, i.e. on unrelated events. Breaking ties on the insertion counter
/// makes the order total, so a run is reproducible and simultaneous events fire first-scheduled
/// first-fired. Flipping the time's sign bit turns two's complement order into unsigned order;
/// the priority is biased by 128 for the same reason.
inline CalendarKey pack_key(SimTime time, std::int32_t priority, std::uint64_t seq) {
    const std::uint64_t hi = static_cast<std::uint64_t>(time) ^ kTimeSignBit;
    const std::uint64_t lo =
        (static_cast<std::uint64_t>(priority - kMinPriority) << kSeqBits) | seq;
    return (CalendarKey{hi} << 64) | lo;
}

/// The time, as the unsigned number whose order is the time order.
inline std::uint64_t time_bits(CalendarKey key) {
    return static_cast<std::uint64_t>(key >> 64);
}

template <class Payload>
class CalendarEntry;

/// The one door to an entry's key, for the calendar and its tiers (users see only the unpacked
/// time, priority and seq).
struct EntryAccess {
    template <class Payload>
    static CalendarEntry<Payload> make(CalendarKey key, const Payload& p) {
        return CalendarEntry<Payload>(key, p);
    }
    template <class Payload>
    static CalendarKey key(const CalendarEntry<Payload>& e) {
        return e.key_;
    }
};

/// One pending event; time, priority and seq are unpacked from the order key on demand.
template <class Payload>
class CalendarEntry {
  public:
    /// When the event fires, seconds.
    SimTime time() const { return static_cast<SimTime>(time_bits(key_) ^ kTimeSignBit); }
    /// Among equal times, smaller fires first. In [kMinPriority, kMaxPriority].
    std::int32_t priority() const {
        return static_cast<std::int32_t>(static_cast<std::uint64_t>(key_) >> kSeqBits) +
               kMinPriority;
    }
    /// Among equal (time, priority), earlier push fires first: the number push() returned.
    std::uint64_t seq() const { return static_cast<std::uint64_t>(key_) & (kMaxPushes - 1); }

    Payload payload;  ///< what the event is about (opaque to the calendar)

  private:
    friend struct EntryAccess;
    CalendarEntry(CalendarKey key, const Payload& p) : payload(p), key_(key) {}

    CalendarKey key_;  ///< (time, priority, seq) packed so that < on keys is the event order
};

}  // namespace cmasim::sim::detail
