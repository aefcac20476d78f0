// EventCalendar's tiers (near heap, ring of buckets, overflow): boundaries, fixed and automatic
// windows, retuning, moves. None of the tiers may show in the order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "calendar_checked.h"
#include "cmasim/sim/random.h"

namespace {

using calendar_test::as_ref;
using calendar_test::Cal;
using calendar_test::Checked;
using calendar_test::Ev;
using calendar_test::Ref;
using cmasim::sim::RandomStream;
using cmasim::sim::SimTime;

// ---- the tiers ---------------------------------------------------------------------------
// The near heap holds exactly the events before near_end(); the ring, buckets of window()
// seconds after it; the overflow, the rest. None of that may show in the order.

/// Windows worth testing: automatic, smaller than most gaps (2 s is the smallest), typical,
/// and wider than any range the tests use.
const std::vector<SimTime> kWindows = {Cal::kAutoWindow, 2, 64, 3600, SimTime{1} << 40};

/// A push time like the engine's, from `now`: mostly seconds to an hour ahead, some days to
/// weeks ahead, and bursts at the same second (on the hour).
SimTime engine_like_time(RandomStream& rng, SimTime now) {
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
    return t;
}

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
                c.push(engine_like_time(rng, now), static_cast<std::int32_t>(rng.below(3)));
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
        ASSERT_TRUE(calendar_test::drain(c));
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
    ASSERT_TRUE(calendar_test::drain(c));
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

/// A time anywhere, or just around zero, the latest or the earliest time there is.
SimTime time_near_the_ends(RandomStream& rng) {
    constexpr SimTime kMin = std::numeric_limits<SimTime>::min();
    constexpr SimTime kMax = std::numeric_limits<SimTime>::max();
    const auto small = static_cast<SimTime>(rng.below(3));
    switch (rng.below(4)) {
        case 0:
            return static_cast<SimTime>(rng.next_u64());
        case 1:
            return small - 1;
        case 2:
            return kMax - small;
        default:
            return kMin + small;
    }
}

TEST(EventCalendarTiers, WindowsAcrossTheFullKeyRange) {
    // The bucket arithmetic at the ends of time: a window of 2 s puts INT64_MIN and INT64_MAX
    // 2^63 buckets apart; a window of 2^62 s puts all of time in four buckets.
    constexpr SimTime kMax = std::numeric_limits<SimTime>::max();
    for (const SimTime window : {SimTime{2}, SimTime{1} << 62, kMax, Cal::kAutoWindow}) {
        SCOPED_TRACE("window " + std::to_string(window));
        Checked c(window);
        RandomStream rng({2024, 5}, 7, static_cast<std::uint64_t>(window));
        for (int op = 0; op < 20000; ++op) {
            if (c.ref.empty() || rng.below(100) < 55) {
                const SimTime t = time_near_the_ends(rng);
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

}  // namespace
