// The Simulator's run loop and state machine over the event calendar.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "calendar_checked.h"
#include "cmasim/sim/simulator.h"

namespace {

using calendar_test::Ev;
using cmasim::sim::RunState;
using cmasim::sim::SchedulingError;
using cmasim::sim::SimTime;
using cmasim::sim::Simulator;
using cmasim::sim::StopReason;

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
