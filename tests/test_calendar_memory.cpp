// EventCalendar running out of memory at every allocation while events move between tiers:
// nothing may be lost or duplicated.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <tuple>

#include "calendar_checked.h"
#include "cmasim/sim/random.h"

namespace {

using calendar_test::Checked;
using cmasim::sim::RandomStream;
using cmasim::sim::SimTime;
using Cal = calendar_test::Cal;

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
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}