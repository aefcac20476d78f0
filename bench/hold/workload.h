// The hold-model workload of bench/bench_calendar.cpp: the payload every queue carries, what a
// pop hands back, and the increments and priorities drawn before timing starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cmasim/sim/distributions.h"
#include "cmasim/sim/random.h"
#include "cmasim/sim/time.h"

namespace hold {

using cmasim::sim::SimTime;

struct Payload {
    std::uint32_t kind;
    std::uint32_t entity;
    std::uint64_t data;
};

/// What every variant's pop() hands back to the hold loop.
struct Popped {
    SimTime time;
    Payload payload;
};

inline constexpr std::size_t kRing = 1 << 16;

/// Pre-drawn increments (seconds, mean 1 hour) and priorities (0..3, so ties on time and
/// priority occur and the seq tie-break is exercised).
struct Workload {
    std::vector<SimTime> increments;
    std::vector<std::int32_t> priorities;
    Workload() {
        cmasim::sim::RandomStream rng({42, 0}, 1, 0);
        const auto dist = cmasim::sim::Distribution::exponential(3600.0);
        for (std::size_t i = 0; i < kRing; ++i) {
            increments.push_back(static_cast<SimTime>(dist.sample(rng)));
            priorities.push_back(static_cast<std::int32_t>(rng.below(4)));
        }
    }
};

inline const Workload& workload() {
    static const Workload w;
    return w;
}

}  // namespace hold
