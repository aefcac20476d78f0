// The run loop: a clock, an event calendar, and an explicit state machine.
//
// States and transitions (anything not listed throws std::logic_error and changes nothing):
//
//   Ready   --run_until(end)-->            Running
//   Running --next event later than end--> Ready     now() == end; run_until(later end) resumes
//   Running --calendar empty-->            Finished  now() == time of the last event processed
//   Running --request_stop() in handler--> Finished  now() == time of the stopping event
//   Running --handler throws-->            Failed    the exception propagates
//
// Finished and Failed are terminal: a run that ran out of events or was told to stop has ended,
// and a failed run's state is suspect. Returning to Ready on the horizon is what makes staged
// runs work (e.g. run_until(warm_up), reset statistics, run_until(end)).
//
// The simulator knows nothing about what events mean: the handler passed to run_until gets each
// payload in (time, priority, insertion) order and may schedule more events.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "cmasim/sim/calendar.h"
#include "cmasim/sim/time.h"

namespace cmasim::sim {

/// Lifecycle of a Simulator; see the transition table at the top of simulator.h.
enum class RunState { Ready, Running, Finished, Failed };

/// Why run_until returned normally.
enum class StopReason { HorizonReached, CalendarEmpty, StopRequested };

/// Scheduling that would break causality: a time before now(), a negative delay, a time past
/// the representable range, or a run_until horizon before now(). The message gives now() and
/// the requested time.
class SchedulingError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

/// Discrete-event run loop over payloads of type Payload (small, trivially copyable).
template <class Payload>
class Simulator {
  public:
    /// Current simulated time, seconds. 0 before the first event.
    SimTime now() const { return now_; }
    /// Where the run is in its lifecycle.
    RunState state() const { return state_; }
    /// Number of events whose handler returned normally, over all run_until calls.
    std::uint64_t events_processed() const { return events_processed_; }

    /// Schedules `p` at absolute time t (seconds); t == now() is allowed and fires after the
    /// current event. Among events at the same time, smaller priority fires first; priority
    /// must be in [-128, 127] (EventCalendar's packed key), else std::out_of_range. Throws
    /// SchedulingError if t < now() or the run has Finished/Failed. Nothing is scheduled when
    /// it throws.
    void schedule_at(SimTime t, std::int32_t priority, const Payload& p) {
        require_schedulable("schedule_at");
        if (t < now_) [[unlikely]] {
            throw_before_now(t);
        }
        calendar_.push(t, priority, p);
    }

    /// Schedules `p` at now() + delay (delay in seconds, >= 0). Throws SchedulingError for a
    /// negative delay or one that would overflow SimTime; priority as for schedule_at.
    void schedule_in(SimTime delay, std::int32_t priority, const Payload& p) {
        require_schedulable("schedule_in");
        if (delay < 0 || delay > std::numeric_limits<SimTime>::max() - now_) [[unlikely]] {
            throw_bad_delay(delay);
        }
        calendar_.push(now_ + delay, priority, p);
    }

    /// Processes, in order, every event with time <= end (seconds), including events the
    /// handler schedules within the horizon: sets now() to the event's time, then calls
    /// handler(const Payload&). Allowed only in state Ready; end must be >= now().
    template <class Handler>
    StopReason run_until(SimTime end, Handler&& handler) {
        if (state_ != RunState::Ready) {
            throw std::logic_error("run_until: simulator is not Ready");
        }
        if (end < now_) {
            throw SchedulingError("run_until: requested end " + std::to_string(end) +
                                  " is before now " + std::to_string(now_));
        }
        state_ = RunState::Running;
        stop_requested_ = false;
        try {
            return loop(end, handler);
        } catch (...) {
            state_ = RunState::Failed;
            throw;
        }
    }

    /// Called from inside a handler: run_until returns StopRequested once the current event's
    /// handler returns (later events stay pending). Throws std::logic_error when not Running.
    void request_stop() {
        if (state_ != RunState::Running) {
            throw std::logic_error("request_stop: only valid while running (inside a handler)");
        }
        stop_requested_ = true;
    }

    /// Direct access to the pending events (e.g. reserve(), size()). Pushing here bypasses the
    /// causality checks of schedule_at: never push a time before now().
    EventCalendar<Payload>& calendar() { return calendar_; }

    /// Fixes the calendar's window (seconds; EventCalendar::kAutoWindow, the default, lets the
    /// calendar tune it): the span of time its near heap covers. Speed only, never the order of
    /// events; see calendar.h. Allowed in any state; O(pending events).
    void set_calendar_window(SimTime window) { calendar_.set_window(window); }

  private:
    template <class Handler>
    StopReason loop(SimTime end, Handler& handler) {
        while (!calendar_.empty()) {
            if (calendar_.top().time() > end) {
                now_ = end;
                state_ = RunState::Ready;
                return StopReason::HorizonReached;
            }
            const auto event = calendar_.pop();
            now_ = event.time();
            handler(std::as_const(event.payload));
            ++events_processed_;
            if (stop_requested_) {
                state_ = RunState::Finished;
                return StopReason::StopRequested;
            }
        }
        state_ = RunState::Finished;
        return StopReason::CalendarEmpty;
    }

    void require_schedulable(const char* what) const {
        if (state_ == RunState::Finished || state_ == RunState::Failed) [[unlikely]] {
            throw_ended(what);
        }
    }

    // The throws are out of line (cold) so that the schedule_* fast paths stay small enough to
    // inline into every handler that schedules.
    [[noreturn, gnu::cold, gnu::noinline]] void throw_ended(const char* what) const {
        throw SchedulingError(std::string(what) + ": the run has ended (now " +
                              std::to_string(now_) + ")");
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_before_now(SimTime t) const {
        throw SchedulingError("schedule_at: requested time " + std::to_string(t) +
                              " is before now " + std::to_string(now_));
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bad_delay(SimTime delay) const {
        throw SchedulingError("schedule_in: delay " + std::to_string(delay) + " at now " +
                              std::to_string(now_) + " gives an invalid requested time");
    }

    EventCalendar<Payload> calendar_;
    SimTime now_ = 0;
    RunState state_ = RunState::Ready;
    std::uint64_t events_processed_ = 0;
    bool stop_requested_ = false;
};

}  // namespace cmasim::sim
