// EventCalendar ordering (including differential tests against a sorted reference, and the
// edges of the packed key: extreme times, priorities -128 and 127, the priority range check),
// its tiers (near heap, ring of buckets, overflow: boundaries, windows, retuning, running out of
// memory half-way) and the Simulator's run loop and state machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cmasim/sim/calendar.h"
#include "cmasim/sim/random.h"
#include "cmasim/sim/simulator.h"

namespace {

using cmasim::sim::EventCalendar;
using cmasim::sim::RandomStream;
using cmasim::sim::RunState;
using cmasim::sim::SchedulingError;
using cmasim::sim::SimTime;
using cmasim::sim::Simulator;
using cmasim::sim::StopReason;

struct Ev {
    std::uint32_t kind;
    std::uint32_t entity;
    std::uint64_t data;
};

using Cal = EventCalendar<Ev>;

TEST(EventCalendar, EarlierTimeFirstRegardlessOfPriority) {
    Cal cal;
    cal.push(20, -5, Ev{0, 0, 1});
    cal.push(10, 9, Ev{0, 0, 2});
    EXPECT_EQ(cal.pop().payload.data, 2u);
    EXPECT_EQ(cal.pop().payload.data, 1u);
}

TEST(EventCalendar, SameTimeOrderedByPriority) {
    Cal cal;
    cal.push(10, 3, Ev{0, 0, 3});
    cal.push(10, -1, Ev{0, 0, 1});
    cal.push(10, 0, Ev{0, 0, 2});
    EXPECT_EQ(cal.pop().payload.data, 1u);
    EXPECT_EQ(cal.pop().payload.data, 2u);
    EXPECT_EQ(cal.pop().payload.data, 3u);
}

TEST(EventCalendar, SameTimeAndPriorityInInsertionOrder) {
    Cal cal;
    // Enough entries for several heap levels, so an unstable heap would visibly reorder them.
    for (std::uint64_t i = 0; i < 200; ++i) {
        cal.push(7, 1, Ev{0, 0, i});
    }
    for (std::uint64_t i = 0; i < 200; ++i) {
        const auto e = cal.pop();
        EXPECT_EQ(e.payload.data, i);
        EXPECT_EQ(e.seq(), i);
    }
    EXPECT_TRUE(cal.empty());
}

TEST(EventCalendar, SizeClearAndSeqStayUnique) {
    Cal cal;
    cal.reserve(16);
    EXPECT_TRUE(cal.empty());
    EXPECT_EQ(cal.push(5, 0, Ev{}), 0u);
    EXPECT_EQ(cal.push(1, 0, Ev{}), 1u);
    EXPECT_EQ(cal.size(), 2u);
    EXPECT_EQ(cal.top().time(), 1);
    cal.clear();
    EXPECT_TRUE(cal.empty());
    EXPECT_EQ(cal.push(3, 0, Ev{}), 2u);  // seq keeps counting after clear()
    EXPECT_TRUE(cal.check_invariants());
}

/// (time, priority, seq, data) as a sortable reference record.
using Ref = std::tuple<SimTime, std::int32_t, std::uint64_t, std::uint64_t>;

/// What the reference records of a popped or top entry.
Ref as_ref(const Cal::Entry& e) { return Ref(e.time(), e.priority(), e.seq(), e.payload.data); }

/// A calendar and a sorted reference (descending, earliest at the back) driven together.
struct Checked {
    Cal cal;
    std::vector<Ref> ref;
    std::uint64_t next_data = 0;

    Checked() = default;
    explicit Checked(SimTime window) : cal(window) {}

    /// Pushes onto both; the reference records the push only once the calendar took it.
    void push(SimTime t, std::int32_t pr) {
        const std::uint64_t seq = cal.push(t, pr, Ev{0, 0, next_data});
        const Ref r{t, pr, seq, next_data++};
        ref.insert(std::upper_bound(ref.begin(), ref.end(), r, std::greater<>{}), r);
    }
    /// Pops from both; false (with a gtest failure) when they disagree.
    bool pop() {
        const Ref expected = ref.back();
        ref.pop_back();
        EXPECT_EQ(as_ref(cal.top()), expected);
        const auto e = cal.pop();
        EXPECT_EQ(as_ref(e), expected);
        return as_ref(e) == expected;
    }
    void clear() {
        cal.clear();
        ref.clear();
    }
};

TEST(EventCalendar, DifferentialAgainstSortedVector) {
    RandomStream rng({2024, 0}, 7, 0);
    Checked c;
    SimTime clock = 0;
    for (int op = 0; op < 100000; ++op) {
        // 55% push, so the queue grows to thousands of entries while still emptying often.
        if (c.ref.empty() || rng.below(100) < 55) {
            // Narrow time window and 3 priorities: most pushes tie with something.
            c.push(clock + static_cast<SimTime>(rng.below(50)), static_cast<std::int32_t>(rng.below(3)) - 1);
        } else {
            clock = std::get<0>(c.ref.back());
            ASSERT_TRUE(c.pop()) << "op " << op;
        }
        ASSERT_EQ(c.cal.size(), c.ref.size());
        if (op % 997 == 0) {
            ASSERT_TRUE(c.cal.check_invariants()) << "op " << op;
        }
    }
    EXPECT_TRUE(c.cal.check_invariants());
}

// The packed key (time with its sign bit flipped, then priority + 128, then seq) must give the
// same order as comparing the three fields, at the edges of every field's range.
TEST(EventCalendar, ExtremeTimesAndPrioritiesKeepLexicographicOrder) {
    constexpr SimTime kMin = std::numeric_limits<SimTime>::min();
    constexpr SimTime kMax = std::numeric_limits<SimTime>::max();
    const std::vector<SimTime> times = {kMax, 1, kMin + 1, -1, 0, kMax - 1, kMin, -86400, 86400};
    const std::vector<std::int32_t> priorities = {127, -128, 0, -1, 1, 126, -127};
    Cal cal;
    std::vector<Ref> ref;
    std::uint64_t data = 0;
    for (int round = 0; round < 2; ++round) {  // every (time, priority) twice: seq breaks ties
        for (const SimTime t : times) {
            for (const std::int32_t pr : priorities) {
                const std::uint64_t seq = cal.push(t, pr, Ev{0, 0, data});
                ref.emplace_back(t, pr, seq, data++);
            }
        }
    }
    ASSERT_TRUE(cal.check_invariants());
    std::sort(ref.begin(), ref.end());
    for (const Ref& expected : ref) {
        const auto e = cal.pop();
        // The accessors unpack exactly what was pushed.
        ASSERT_EQ(as_ref(e), expected);
    }
    EXPECT_TRUE(cal.empty());
}

TEST(EventCalendar, PriorityBitsNeverLeakIntoTime) {
    constexpr SimTime kMax = std::numeric_limits<SimTime>::max();
    Cal cal;
    cal.push(kMax, -128, Ev{0, 0, 4});
    cal.push(kMax - 1, 127, Ev{0, 0, 3});
    cal.push(0, -128, Ev{0, 0, 2});
    cal.push(-1, 127, Ev{0, 0, 1});
    cal.push(-1, -128, Ev{0, 0, 0});
    for (std::uint64_t i = 0; i < 5; ++i) {
        EXPECT_EQ(cal.pop().payload.data, i);
    }
}

TEST(EventCalendar, PriorityOutsideRangeThrowsAndChangesNothing) {
    EXPECT_EQ(Cal::kMinPriority, -128);
    EXPECT_EQ(Cal::kMaxPriority, 127);
    Cal cal;
    EXPECT_EQ(cal.push(10, 0, Ev{}), 0u);
    for (const std::int32_t bad : {128, -129, 1000, std::numeric_limits<std::int32_t>::max(),
                                   std::numeric_limits<std::int32_t>::min()}) {
        try {
            cal.push(5, bad, Ev{});
            FAIL() << "expected std::out_of_range for priority " << bad;
        } catch (const std::out_of_range& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(std::to_string(bad)), std::string::npos) << msg;
            EXPECT_NE(msg.find("[-128, 127]"), std::string::npos) << msg;
        }
    }
    EXPECT_EQ(cal.size(), 1u);
    EXPECT_EQ(cal.top().time(), 10);
    EXPECT_EQ(cal.push(10, -128, Ev{}), 1u);  // no sequence number was used up by the failures
    EXPECT_EQ(cal.push(10, 127, Ev{}), 2u);
    EXPECT_TRUE(cal.check_invariants());
}

TEST(EventCalendar, DifferentialOverFullKeyRange) {
    // Times spread over the whole SimTime range (both signs, both ends) and every priority:
    // the packed key's bit boundaries are crossed constantly. Reference: a sorted vector.
    RandomStream rng({2024, 1}, 7, 0);
    Checked c;
    for (int op = 0; op < 30000; ++op) {
        if (c.ref.empty() || rng.below(100) < 55) {
            const auto small = static_cast<SimTime>(rng.below(3));
            SimTime t = 0;
            switch (rng.below(4)) {
                case 0: t = static_cast<SimTime>(rng.next_u64()); break;  // anywhere
                case 1: t = small - 1; break;                                // around zero
                case 2: t = std::numeric_limits<SimTime>::max() - small; break;
                default: t = std::numeric_limits<SimTime>::min() + small; break;
            }
            c.push(t, static_cast<std::int32_t>(rng.below(256)) - 128);
        } else {
            ASSERT_TRUE(c.pop()) << "op " << op;
        }
        ASSERT_EQ(c.cal.size(), c.ref.size());
    }
    EXPECT_TRUE(c.cal.check_invariants());
}

TEST(EventCalendar, CopiesAndMovesAreIndependent) {
    Cal cal;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        cal.push(static_cast<SimTime>((i * 7919) % 1000), 0, Ev{0, 0, i});
    }
    Cal copy = cal;
    std::vector<std::uint64_t> from_original;
    std::vector<std::uint64_t> from_copy;
    while (!cal.empty()) {
        from_original.push_back(cal.pop().payload.data);
    }
    EXPECT_EQ(copy.size(), 1000u);
    Cal moved = std::move(copy);
    while (!moved.empty()) {
        from_copy.push_back(moved.pop().payload.data);
    }
    EXPECT_EQ(from_original, from_copy);
    EXPECT_EQ(moved.push(0, 0, Ev{}), 1000u);  // the sequence counter travels with the heap
}

// ---- the tiers ---------------------------------------------------------------------------
// The near heap holds exactly the events before near_end(); the ring, buckets of window()
// seconds after it; the overflow, the rest. None of that may show in the order.

/// Windows worth testing: automatic, smaller than most gaps (2 s is the smallest), typical,
/// and wider than any range the tests use.
const std::vector<SimTime> kWindows = {Cal::kAutoWindow, 2, 64, 3600,
                                       SimTime{1} << 40};

TEST(EventCalendarTiers, DifferentialMixOfNearAndFarEvents) {
    // Like the engine: most events a few seconds to an hour ahead, some days to weeks ahead,
    // bursts at the same second, three priorities; the queue grows, drains to empty (and is
    // refilled) and is cleared in the middle.
    for (const SimTime window : kWindows) {
        SCOPED_TRACE("window " + std::to_string(window));
        RandomStream rng({2024, 2}, 7, static_cast<std::uint64_t>(window));
        Checked c(window);
        SimTime now = 0;
        for (int op = 0; op < 60000; ++op) {
            const std::uint64_t dice = rng.below(1000);
            if (op == 37900) {
                c.clear();  // in the middle, with hundreds pending (in every tier, mostly)
                ASSERT_TRUE(c.cal.empty());
                ASSERT_TRUE(c.cal.check_invariants());
            } else if (op % 10000 >= 8000 && !c.ref.empty()) {
                ASSERT_TRUE(c.pop()) << "op " << op;  // drain to empty now and then
                now = std::get<0>(c.ref.empty() ? Ref{now, 0, 0, 0} : c.ref.back());
            } else if (c.ref.empty() || dice < 550) {
                SimTime t = now;
                const std::uint64_t kind = rng.below(100);
                if (kind < 60) {
                    t += static_cast<SimTime>(rng.below(600));  // near: within ten minutes
                } else if (kind < 85) {
                    t += static_cast<SimTime>(rng.below(6 * 3600));  // hours
                } else if (kind < 95) {
                    t += static_cast<SimTime>(rng.below(30 * 86400));  // days to a month
                } else {
                    t += static_cast<SimTime>(rng.below(3)) * 3600;  // bursts on the hour
                    t -= t % 3600;
                    t = std::max(t, now);
                }
                c.push(t, static_cast<std::int32_t>(rng.below(3)));
            } else {
                now = std::get<0>(c.ref.back());
                ASSERT_TRUE(c.pop()) << "op " << op;
            }
            ASSERT_EQ(c.cal.size(), c.ref.size());
            if (op % 1009 == 0) {
                ASSERT_TRUE(c.cal.check_invariants()) << "op " << op;
            }
        }
        ASSERT_TRUE(c.cal.check_invariants());
        while (!c.ref.empty()) {
            ASSERT_TRUE(c.pop());
        }
        EXPECT_TRUE(c.cal.empty());
        EXPECT_TRUE(c.cal.check_invariants());
    }
}

TEST(EventCalendarTiers, EventsAtTheBoundaryAndBelowIt) {
    Checked c(100);  // rounded down to a power of two
    ASSERT_EQ(c.cal.window(), 64);
    ASSERT_FALSE(c.cal.auto_window());
    for (const SimTime t : {10, 63, 64, 65, 127, 128, 1000, 64}) {
        c.push(t, 0);
    }
    EXPECT_EQ(c.cal.tier_sizes().overflow, 8u);  // cold: nothing dealt before the first top()
    EXPECT_EQ(c.cal.near_end(), std::numeric_limits<SimTime>::min());
    ASSERT_TRUE(c.pop());  // 10
    ASSERT_EQ(c.cal.near_end(), 64);
    EXPECT_EQ(c.cal.tier_sizes().near, 1u);  // 63 only: 64 is exactly the boundary
    ASSERT_TRUE(c.cal.check_invariants());

    // Exactly at the boundary: not near, and after the two events already at 64 at equal
    // priority (seq order), but before them at a smaller priority.
    c.push(64, 0);
    c.push(64, -1);
    EXPECT_EQ(c.cal.tier_sizes().near, 1u);
    // Below the boundary, even below the current earliest event: near, and popped first.
    c.push(5, 3);
    c.push(63, -128);
    c.push(63, 127);
    EXPECT_EQ(c.cal.tier_sizes().near, 4u);
    ASSERT_TRUE(c.cal.check_invariants());
    ASSERT_TRUE(c.pop());  // 5
    ASSERT_TRUE(c.pop());  // 63 / -128
    ASSERT_TRUE(c.pop());  // 63 / 0
    ASSERT_TRUE(c.pop());  // 63 / 127
    ASSERT_TRUE(c.pop());  // 64 / -1: the next bucket comes in
    EXPECT_EQ(c.cal.near_end(), 128);
    // A push below the boundary after it advanced, earlier than the bucket just taken in.
    c.push(40, 0);
    c.push(127, 0);
    c.push(128, 0);
    ASSERT_TRUE(c.cal.check_invariants());
    while (!c.ref.empty()) {
        ASSERT_TRUE(c.pop());
    }
    EXPECT_TRUE(c.cal.check_invariants());
}

TEST(EventCalendarTiers, WindowWiderThanEveryGapKeepsEverythingNear) {
    Checked c(SimTime{1} << 40);
    RandomStream rng({2024, 3}, 7, 0);
    for (int i = 0; i < 5000; ++i) {
        c.push(static_cast<SimTime>(rng.below(1000000)), static_cast<std::int32_t>(rng.below(4)));
    }
    ASSERT_TRUE(c.pop());
    EXPECT_EQ(c.cal.tier_sizes().near, c.ref.size());  // one bucket: the plain 4-ary heap
    for (int i = 0; i < 5000; ++i) {
        c.push(std::get<0>(c.ref.back()) + static_cast<SimTime>(rng.below(1000)), 0);
        ASSERT_TRUE(c.pop());
    }
    EXPECT_EQ(c.cal.tier_sizes().ring + c.cal.tier_sizes().overflow, 0u);
    EXPECT_TRUE(c.cal.check_invariants());
}

TEST(EventCalendarTiers, SmallWindowWrapsTheRingAndRedealsTheOverflow) {
    // A 2-second window and gaps of hundreds of seconds: most buckets are empty (skipped
    // through the occupancy bitmap), the ring (64+ slots, 128+ s) wraps around on almost every
    // pop, and most pushes land in the overflow, to be dealt out again turn after turn.
    Checked c(2);
    RandomStream rng({2024, 4}, 7, 0);
    for (int i = 0; i < 300; ++i) {
        c.push(static_cast<SimTime>(rng.below(100000)), static_cast<std::int32_t>(rng.below(2)));
    }
    bool saw_ring = false;
    bool saw_overflow = false;
    for (int op = 0; op < 30000; ++op) {
        const SimTime now = std::get<0>(c.ref.back());
        ASSERT_TRUE(c.pop()) << "op " << op;
        // Hold model: one push per pop, at a mix of distances from the ring's span.
        const std::uint64_t kind = rng.below(4);
        const SimTime gap = kind == 0   ? static_cast<SimTime>(rng.below(4))
                            : kind == 1 ? static_cast<SimTime>(rng.below(200))
                                        : static_cast<SimTime>(rng.below(1000));
        c.push(now + gap, static_cast<std::int32_t>(rng.below(2)));
        saw_ring = saw_ring || c.cal.tier_sizes().ring > 0;
        saw_overflow = saw_overflow || c.cal.tier_sizes().overflow > 0;
        if (op % 997 == 0) {
            ASSERT_TRUE(c.cal.check_invariants()) << "op " << op;
        }
    }
    EXPECT_TRUE(saw_ring);
    EXPECT_TRUE(saw_overflow);
    EXPECT_EQ(c.cal.window(), 2);
    EXPECT_TRUE(c.cal.check_invariants());
}

TEST(EventCalendarTiers, WindowsAcrossTheFullKeyRange) {
    // The bucket arithmetic at the ends of time: a window of 2 s puts INT64_MIN and INT64_MAX
    // 2^63 buckets apart; a window of 2^62 s puts all of time in four buckets.
    constexpr SimTime kMin = std::numeric_limits<SimTime>::min();
    constexpr SimTime kMax = std::numeric_limits<SimTime>::max();
    for (const SimTime window : {SimTime{2}, SimTime{1} << 62, kMax, Cal::kAutoWindow}) {
        SCOPED_TRACE("window " + std::to_string(window));
        Checked c(window);
        RandomStream rng({2024, 5}, 7, static_cast<std::uint64_t>(window));
        for (int op = 0; op < 20000; ++op) {
            if (c.ref.empty() || rng.below(100) < 55) {
                const auto small = static_cast<SimTime>(rng.below(3));
                SimTime t = 0;
                switch (rng.below(4)) {
                    case 0: t = static_cast<SimTime>(rng.next_u64()); break;
                    case 1: t = small - 1; break;
                    case 2: t = kMax - small; break;
                    default: t = kMin + small; break;
                }
                c.push(t, static_cast<std::int32_t>(rng.below(256)) - 128);
            } else {
                ASSERT_TRUE(c.pop()) << "op " << op;
            }
            if (op % 499 == 0) {
                ASSERT_TRUE(c.cal.check_invariants()) << "op " << op;
            }
        }
        while (!c.ref.empty()) {
            ASSERT_TRUE(c.pop());
        }
        // After the last bucket of time was taken in, the boundary saturates.
        c.push(kMax, 0);
        ASSERT_TRUE(c.pop());
        EXPECT_TRUE(c.cal.check_invariants());
    }
}

TEST(EventCalendarTiers, SetWindowInTheMiddleKeepsTheOrder) {
    Checked c;
    RandomStream rng({2024, 6}, 7, 0);
    for (int round = 0; round < 6; ++round) {
        for (int i = 0; i < 3000; ++i) {
            const SimTime now = c.ref.empty() ? 0 : std::get<0>(c.ref.back());
            c.push(now + static_cast<SimTime>(rng.below(20000)), 0);
            if (i % 3 == 0) {
                ASSERT_TRUE(c.pop());
            }
        }
        c.cal.set_window(round % 2 == 0 ? SimTime{1} << (3 * round + 1) : Cal::kAutoWindow);
        ASSERT_TRUE(c.cal.check_invariants());
        EXPECT_EQ(c.cal.tier_sizes().overflow, c.ref.size());  // everything re-dealt lazily
    }
    while (!c.ref.empty()) {
        ASSERT_TRUE(c.pop());
    }
    EXPECT_THROW(c.cal.set_window(-1), std::invalid_argument);
}

TEST(EventCalendarTiers, AutomaticWindowFollowsTheEventRate) {
    // Hold model, mean increment one hour: the window should settle where a bucket holds on
    // the order of a hundred events, whatever the number pending, and the near heap stay small.
    for (const std::size_t n : {std::size_t{64}, std::size_t{2000}, std::size_t{50000}}) {
        SCOPED_TRACE("pending " + std::to_string(n));
        Cal cal;
        RandomStream rng({2024, 7}, 7, n);
        const auto increment = [&] { return static_cast<SimTime>(rng.below(7200)); };
        for (std::size_t i = 0; i < n; ++i) {
            cal.push(increment(), 0, Ev{});
        }
        std::size_t largest_near = 0;
        for (int step = 0; step < 400000; ++step) {
            const auto e = cal.pop();
            cal.push(e.time() + increment(), 0, e.payload);
            largest_near = std::max(largest_near, cal.tier_sizes().near);
        }
        // Rate n / 3600 per second; 128 events per bucket within a factor of 4 either way.
        const double per_bucket =
            static_cast<double>(cal.window()) * static_cast<double>(n) / 3600.0;
        EXPECT_GE(per_bucket, 32.0);
        EXPECT_LE(per_bucket, 512.0);
        EXPECT_LE(largest_near, std::size_t{2048});
        EXPECT_TRUE(cal.check_invariants());
    }
}

TEST(EventCalendarTiers, WindowTooWideIsNarrowedAndBurstsAreTolerated) {
    // Starts with a wide window tuned on a sparse calendar, then the rate jumps a thousandfold:
    // the near heap outgrows its limit and the window is narrowed at once, not a turn later.
    Checked c;
    for (int i = 0; i < 200; ++i) {
        c.push(i * 1000, 0);
    }
    ASSERT_TRUE(c.pop());
    const SimTime wide = c.cal.window();
    for (int i = 0; i < 40000; ++i) {
        c.push(1000 + i % 5000, 1);
    }
    EXPECT_LT(c.cal.window(), wide);
    EXPECT_TRUE(c.cal.check_invariants());
    // A burst of 20,000 events in the same second cannot be split by any window: the limit
    // gives way instead of the calendar re-dealing forever.
    for (int i = 0; i < 20000; ++i) {
        c.push(std::get<0>(c.ref.back()), 2);
    }
    for (int i = 0; i < 30000; ++i) {
        ASSERT_TRUE(c.pop());
    }
    EXPECT_TRUE(c.cal.check_invariants());
    while (!c.ref.empty()) {
        ASSERT_TRUE(c.pop());
    }
}

TEST(EventCalendarTiers, EmptyCalendarRefusesTopAndPop) {
    Cal cal;
    EXPECT_THROW(cal.top(), std::logic_error);
    EXPECT_THROW(cal.pop(), std::logic_error);
    cal.push(1, 0, Ev{});
    cal.pop();
    EXPECT_THROW(cal.pop(), std::logic_error);
    EXPECT_TRUE(cal.check_invariants());
}

TEST(EventCalendarTiers, MovedFromCalendarIsEmptyAndUsable) {
    Cal cal(64);
    for (int i = 0; i < 1000; ++i) {
        cal.push(i * 37 % 1000, 0, Ev{});
    }
    cal.pop();
    Cal other(std::move(cal));
    EXPECT_EQ(other.size(), 999u);
    EXPECT_TRUE(cal.empty());  // NOLINT(bugprone-use-after-move): specified to be empty
    EXPECT_TRUE(cal.check_invariants());
    cal.push(5, 0, Ev{0, 0, 7});
    EXPECT_EQ(cal.pop().payload.data, 7u);
    cal = std::move(other);
    EXPECT_EQ(cal.size(), 999u);
    EXPECT_TRUE(cal.check_invariants());
}

// Running out of memory while events move between tiers: the aligned forms of new (used by the
// calendar's FamilyAlignedAllocator, and by nothing else in these tests) count allocations and
// can be made to fail at a given one.
long g_aligned_allocations = 0;
long g_fail_aligned_allocation = -1;  // the allocation (by count) that throws; -1: none

/// Runs a fixed sequence of pushes, pops, top()s and set_window()s against the sorted reference,
/// with allocation number `fail_at` throwing std::bad_alloc (-1: none). After the failure the
/// calendar must still be valid and hold exactly the events the reference holds (a push that
/// threw added nothing; a top() or pop() that threw removed nothing), to the end. Returns the
/// allocations made by the sequence (with fail_at -1) or the failures seen.
long run_with_failure(SimTime window, long fail_at) {
    RandomStream rng({2024, 8}, 7, static_cast<std::uint64_t>(window));
    Checked c(window);
    g_aligned_allocations = 0;
    g_fail_aligned_allocation = fail_at;
    long failures = 0;
    for (int op = 0; op < 4000; ++op) {
        try {
            if (op % 900 == 899) {
                c.cal.set_window(op % 1800 == 899 ? 8 : window);
            } else if (c.ref.empty() || rng.below(100) < 60) {
                const SimTime now = c.ref.empty() ? 0 : std::get<0>(c.ref.back());
                const SimTime t =
                    now + static_cast<SimTime>(rng.below(rng.below(2) == 0 ? 50 : 5000));
                c.push(t, static_cast<std::int32_t>(rng.below(3)));  // recorded once it succeeded
            } else {
                EXPECT_EQ(c.cal.top().payload.data, std::get<3>(c.ref.back()));
                if (!c.pop()) {
                    return -1000;
                }
            }
        } catch (const std::bad_alloc&) {
            ++failures;
            EXPECT_TRUE(c.cal.check_invariants()) << "allocation " << fail_at << ", op " << op;
            EXPECT_EQ(c.cal.size(), c.ref.size()) << "allocation " << fail_at << ", op " << op;
        }
    }
    g_fail_aligned_allocation = -1;
    const long allocations = g_aligned_allocations;
    while (!c.ref.empty()) {
        if (!c.pop()) {
            return -1000;
        }
    }
    EXPECT_TRUE(c.cal.check_invariants());
    return fail_at < 0 ? allocations : failures;
}

TEST(EventCalendarTiers, OutOfMemoryAtEveryAllocationLosesNothing) {
    for (const SimTime window : {Cal::kAutoWindow, SimTime{16}}) {
        SCOPED_TRACE("window " + std::to_string(window));
        const long allocations = run_with_failure(window, -1);
        ASSERT_GT(allocations, 20);  // the sequence does reach many allocating paths
        for (long k = 1; k <= allocations; ++k) {
            ASSERT_EQ(run_with_failure(window, k), 1) << "allocation " << k;
        }
    }
}

TEST(EventCalendar, ChildFamiliesStartOnCacheLines) {
    // A performance property, not a behavioural one: entry 1 (and so every family of 4
    // children) starts on a 64-byte line, whatever the allocation.
    static_assert(sizeof(Cal::Entry) == 32);
    Cal cal;
    for (int i = 0; i < 5000; ++i) {  // several reallocations
        cal.push(i, 0, Ev{});
        const auto root = reinterpret_cast<std::uintptr_t>(&cal.top());
        ASSERT_EQ((root + sizeof(Cal::Entry)) % 64, 0u) << "size " << cal.size();
    }
}

// ---- Simulator --------------------------------------------------------------------------

TEST(Simulator, SchedulingInThePastThrows) {
    Simulator<Ev> sim;
    sim.schedule_at(100, 0, Ev{});
    sim.schedule_at(200, 0, Ev{});  // keeps the run Ready after the horizon
    ASSERT_EQ(sim.run_until(100, [](const Ev&) {}), StopReason::HorizonReached);
    ASSERT_EQ(sim.now(), 100);
    try {
        sim.schedule_at(99, 0, Ev{});
        FAIL() << "expected SchedulingError";
    } catch (const SchedulingError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("99"), std::string::npos) << msg;
        EXPECT_NE(msg.find("100"), std::string::npos) << msg;
    }
    EXPECT_NO_THROW(sim.schedule_at(100, 0, Ev{}));  // "now" itself is allowed
}

TEST(Simulator, NegativeDelayThrows) {
    Simulator<Ev> sim;
    EXPECT_THROW(sim.schedule_in(-1, 0, Ev{}), SchedulingError);
    EXPECT_TRUE(sim.calendar().empty());
    sim.schedule_in(0, 0, Ev{});  // zero delay is allowed: fires at now()
    sim.schedule_in(50, 0, Ev{});
    sim.run_until(10, [](const Ev&) {});
    // now() + delay would overflow SimTime: rejected rather than wrapping into the past.
    EXPECT_THROW(sim.schedule_in(std::numeric_limits<SimTime>::max(), 0, Ev{}), SchedulingError);
    EXPECT_EQ(sim.calendar().size(), 1u);
}

TEST(Simulator, PriorityRangeIsTheCalendars) {
    Simulator<Ev> sim;
    EXPECT_THROW(sim.schedule_at(5, 128, Ev{}), std::out_of_range);
    EXPECT_THROW(sim.schedule_in(5, -129, Ev{}), std::out_of_range);
    EXPECT_TRUE(sim.calendar().empty());
    sim.schedule_at(5, 127, Ev{0, 0, 3});
    sim.schedule_in(5, -128, Ev{0, 0, 1});
    sim.schedule_at(5, 0, Ev{0, 0, 2});
    std::vector<std::uint64_t> seen;
    EXPECT_EQ(sim.run_until(10, [&](const Ev& e) { seen.push_back(e.data); }),
              StopReason::CalendarEmpty);
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(Simulator, RunUntilProcessesUpToEndInclusive) {
    Simulator<Ev> sim;
    for (SimTime t : {30, 10, 20, 40}) {
        sim.schedule_at(t, 0, Ev{0, 0, static_cast<std::uint64_t>(t)});
    }
    std::vector<std::uint64_t> seen;
    const auto reason = sim.run_until(30, [&](const Ev& e) { seen.push_back(e.data); });
    EXPECT_EQ(reason, StopReason::HorizonReached);
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{10, 20, 30}));
    EXPECT_EQ(sim.now(), 30);
    EXPECT_EQ(sim.state(), RunState::Ready);
    EXPECT_EQ(sim.calendar().size(), 1u);  // the event at 40 stays pending
    EXPECT_EQ(sim.events_processed(), 3u);
    EXPECT_THROW(sim.run_until(29, [](const Ev&) {}), SchedulingError);
}

TEST(Simulator, HandlerSchedulesAndResumeAcrossCalls) {
    Simulator<Ev> sim;
    sim.schedule_at(0, 0, Ev{});
    std::vector<SimTime> times;
    auto handler = [&](const Ev&) {
        times.push_back(sim.now());
        sim.schedule_in(15, 0, Ev{});  // a self-perpetuating clock tick
    };
    EXPECT_EQ(sim.run_until(40, handler), StopReason::HorizonReached);
    EXPECT_EQ(sim.now(), 40);
    EXPECT_EQ(sim.run_until(60, handler), StopReason::HorizonReached);
    EXPECT_EQ(times, (std::vector<SimTime>{0, 15, 30, 45, 60}));
    EXPECT_EQ(sim.events_processed(), 5u);
}

TEST(Simulator, CalendarEmptyFinishes) {
    Simulator<Ev> sim;
    sim.schedule_at(5, 0, Ev{});
    EXPECT_EQ(sim.run_until(100, [](const Ev&) {}), StopReason::CalendarEmpty);
    EXPECT_EQ(sim.state(), RunState::Finished);
    EXPECT_EQ(sim.now(), 5);
    EXPECT_THROW(sim.run_until(200, [](const Ev&) {}), std::logic_error);
    EXPECT_THROW(sim.schedule_at(10, 0, Ev{}), SchedulingError);
}

TEST(Simulator, RequestStopEndsAfterCurrentEvent) {
    Simulator<Ev> sim;
    for (std::uint64_t i = 1; i <= 5; ++i) {
        sim.schedule_at(static_cast<SimTime>(i), 0, Ev{0, 0, i});
    }
    std::vector<std::uint64_t> seen;
    const auto reason = sim.run_until(100, [&](const Ev& e) {
        seen.push_back(e.data);
        if (e.data == 3) {
            sim.request_stop();
        }
    });
    EXPECT_EQ(reason, StopReason::StopRequested);
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(sim.now(), 3);
    EXPECT_EQ(sim.state(), RunState::Finished);
    EXPECT_EQ(sim.calendar().size(), 2u);
    EXPECT_THROW(sim.request_stop(), std::logic_error);  // not running any more
}

TEST(Simulator, HandlerExceptionFailsTheRun) {
    Simulator<Ev> sim;
    sim.schedule_at(1, 0, Ev{0, 0, 1});
    sim.schedule_at(2, 0, Ev{0, 0, 2});
    sim.schedule_at(3, 0, Ev{0, 0, 3});
    auto handler = [](const Ev& e) {
        if (e.data == 2) {
            throw std::runtime_error("boom");
        }
    };
    EXPECT_THROW(sim.run_until(10, handler), std::runtime_error);
    EXPECT_EQ(sim.state(), RunState::Failed);
    EXPECT_EQ(sim.now(), 2);
    EXPECT_EQ(sim.events_processed(), 1u);  // the throwing event does not count
    EXPECT_THROW(sim.run_until(10, handler), std::logic_error);
}

TEST(Simulator, CalendarWindowIsForwarded) {
    Simulator<Ev> sim;
    EXPECT_TRUE(sim.calendar().auto_window());
    for (SimTime t = 0; t < 1000; t += 7) {
        sim.schedule_at(1000 - t, 0, Ev{0, 0, static_cast<std::uint64_t>(1000 - t)});
    }
    sim.set_calendar_window(60);
    EXPECT_EQ(sim.calendar().window(), 32);
    std::vector<std::uint64_t> seen;
    sim.run_until(2000, [&](const Ev& e) { seen.push_back(e.data); });
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_EQ(seen.size(), 143u);
}

TEST(Simulator, ReentrantRunUntilRejected) {
    Simulator<Ev> sim;
    sim.schedule_at(1, 0, Ev{});
    bool inner_threw = false;
    sim.run_until(5, [&](const Ev&) {
        try {
            sim.run_until(5, [](const Ev&) {});
        } catch (const std::logic_error&) {
            inner_threw = true;
        }
        EXPECT_EQ(sim.state(), RunState::Running);
    });
    EXPECT_TRUE(inner_threw);
}

}  // namespace

// The failure injection of OutOfMemoryAtEveryAllocationLosesNothing: replaces only the aligned
// forms of new and delete, which in this test program only the event calendar's allocator uses.
void* operator new(std::size_t n, std::align_val_t alignment) {
    if (++g_aligned_allocations == g_fail_aligned_allocation) {
        throw std::bad_alloc();
    }
    const auto a = static_cast<std::size_t>(alignment);
    if (void* p = std::aligned_alloc(a, (n + a - 1) / a * a + (n == 0 ? a : 0))) {
        return p;
    }
    throw std::bad_alloc();
}
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
