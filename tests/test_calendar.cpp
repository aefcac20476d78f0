// EventCalendar ordering (including differential tests against a sorted reference, and the
// edges of the packed key: extreme times, priorities -128 and 127, the priority range check)
// and the Simulator's run loop and state machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
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

TEST(EventCalendar, DifferentialAgainstSortedVector) {
    RandomStream rng({2024, 0}, 7, 0);
    Cal cal;
    std::vector<Ref> ref;  // kept sorted descending, so the earliest is at the back
    std::uint64_t next_data = 0;
    SimTime clock = 0;
    for (int op = 0; op < 100000; ++op) {
        // 55% push, so the queue grows to thousands of entries while still emptying often.
        const bool push = ref.empty() || rng.below(100) < 55;
        if (push) {
            // Narrow time window and 3 priorities: most pushes tie with something.
            const SimTime t = clock + static_cast<SimTime>(rng.below(50));
            const auto pr = static_cast<std::int32_t>(rng.below(3)) - 1;
            const std::uint64_t seq = cal.push(t, pr, Ev{1, 2, next_data});
            const Ref r{t, pr, seq, next_data++};
            ref.insert(std::upper_bound(ref.begin(), ref.end(), r, std::greater<>{}), r);
        } else {
            const auto e = cal.pop();
            const Ref expected = ref.back();
            ref.pop_back();
            ASSERT_EQ(Ref(e.time(), e.priority(), e.seq(), e.payload.data), expected)
                << "op " << op;
            clock = e.time();
        }
        ASSERT_EQ(cal.size(), ref.size());
        if (op % 997 == 0) {
            ASSERT_TRUE(cal.check_invariants()) << "op " << op;
        }
    }
    EXPECT_TRUE(cal.check_invariants());
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
        ASSERT_EQ(Ref(e.time(), e.priority(), e.seq(), e.payload.data), expected);
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
    Cal cal;
    std::vector<Ref> ref;  // sorted descending, earliest at the back
    std::uint64_t next_data = 0;
    for (int op = 0; op < 30000; ++op) {
        if (ref.empty() || rng.below(100) < 55) {
            const auto small = static_cast<SimTime>(rng.below(3));
            SimTime t = 0;
            switch (rng.below(4)) {
                case 0: t = static_cast<SimTime>(rng.next_u64()); break;  // anywhere
                case 1: t = small - 1; break;                                // around zero
                case 2: t = std::numeric_limits<SimTime>::max() - small; break;
                default: t = std::numeric_limits<SimTime>::min() + small; break;
            }
            const auto pr = static_cast<std::int32_t>(rng.below(256)) - 128;
            const std::uint64_t seq = cal.push(t, pr, Ev{0, 0, next_data});
            const Ref r{t, pr, seq, next_data++};
            ref.insert(std::upper_bound(ref.begin(), ref.end(), r, std::greater<>{}), r);
        } else {
            const auto e = cal.pop();
            ASSERT_EQ(Ref(e.time(), e.priority(), e.seq(), e.payload.data), ref.back())
                << "op " << op;
            ref.pop_back();
        }
        ASSERT_EQ(cal.size(), ref.size());
    }
    EXPECT_TRUE(cal.check_invariants());
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
