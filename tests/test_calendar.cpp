// EventCalendar ordering: (time, priority, seq) order, differential tests against a sorted
// reference, the edges of the packed key (extreme times, priorities -128 and 127, the priority
// range check), copies and moves, and the layout of the near heap. The tiers:
// test_calendar_tiers.cpp; running out of memory: test_calendar_memory.cpp.
#include <gtest/gtest.h>

#include <cstddef>
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

TEST(EventCalendar, DifferentialAgainstSortedVector) {
    RandomStream rng({2024, 0}, 7, 0);
    Checked c;
    SimTime clock = 0;
    for (int op = 0; op < 100000; ++op) {
        // 55% push, so the queue grows to thousands of entries while still emptying often.
        if (c.ref.empty() || rng.below(100) < 55) {
            // Narrow time window and 3 priorities: most pushes tie with something.
            c.push(clock + static_cast<SimTime>(rng.below(50)),
                   static_cast<std::int32_t>(rng.below(3)) - 1);
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
                case 0:
                    t = static_cast<SimTime>(rng.next_u64());
                    break;  // anywhere
                case 1:
                    t = small - 1;
                    break;  // around zero
                case 2:
                    t = std::numeric_limits<SimTime>::max() - small;
                    break;
                default:
                    t = std::numeric_limits<SimTime>::min() + small;
                    break;
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

}  // namespace
