// Shared exam centers (policy.exam_centers, policy.exams; docs/levers.md): which exam a step
// needs, who reads it, and a center's daily reads. The compiled facts and the small pure rules
// the engine asks; tests/test_exams.cpp tabulates them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cmasim/model/ids.h"
#include "cmasim/scenario/spec.h"
#include "cmasim/sim/time.h"

namespace cmasim::model {

/// A center compiled against the county's indices.
struct ExamCenterInfo {
    std::uint32_t facility = 0;
    scenario::ExamKind kind = scenario::ExamKind::Lab;
    int reads_per_day = 0;   ///< 0 = no limit
    int reserved_reads = 0;  ///< of reads_per_day, kept for patients referred to the facility
    scenario::Fen fee = 0;
    sim::SimTime turnaround = 0;  ///< seconds
    bool recognised = true;       ///< its results are recognised after a referral
};

/// A condition's exam (by condition index; `needed` false: none).
struct ExamNeedInfo {
    bool needed = false;
    scenario::ExamKind kind = scenario::ExamKind::Lab;
    scenario::Fen fee = 0;        ///< done by a county or external facility itself
    sim::SimTime turnaround = 0;  ///< seconds, idem
};

struct ExamSetup {
    std::vector<ExamCenterInfo> centers;
    std::vector<ExamNeedInfo> by_condition;  ///< empty: no exams modelled

    bool on() const { return !by_condition.empty(); }
    /// The center of `kind` (kNone: none).
    std::uint32_t center_of(scenario::ExamKind kind) const {
        for (std::uint32_t k = 0; k < centers.size(); ++k) {
            if (centers[k].kind == kind) return k;
        }
        return kNone;
    }
};

/// What a facility knows when a step needs an exam.
struct ExamFacts {
    bool result_here = false;    ///< this facility made the episode's result already
    bool has_result = false;     ///< an earlier step of the episode has a result
    bool recognised = false;     ///< that result is recognised here (结果互认)
    bool grassroots = false;     ///< a village clinic or township center
    bool center_here = false;    ///< the center of the exam's kind sits at this facility
    bool center_exists = false;  ///< a center of the exam's kind exists
};

enum class ExamOrder : std::uint8_t {
    UseResult,   ///< the facility's own earlier result
    Recognised,  ///< another facility's recognised result: a repeat avoided
    AtCenter,    ///< read by the center (its own facility's exam, or a remote read)
    InHouse,     ///< a county or external facility does it itself
    None,        ///< a grassroots facility without a center decides without one (as before)
};

/// Who reads the step's exam, if anyone.
inline ExamOrder exam_order(const ExamFacts& f) {
    if (f.result_here) return ExamOrder::UseResult;
    if (f.has_result && f.recognised) return ExamOrder::Recognised;
    if (f.center_here) return ExamOrder::AtCenter;
    if (f.grassroots) return f.center_exists ? ExamOrder::AtCenter : ExamOrder::None;
    return ExamOrder::InHouse;
}

/// A center's queue is at most this many days long: a request it cannot read within them is not
/// booked (the facility does the exam itself, or a grassroots facility decides without it, as
/// with no center; docs/levers.md, exam centers). Without a bound an overloaded center's backlog
/// would grow without end and its patients would never leave.
inline constexpr std::int64_t kExamQueueDays = 30;

/// One center's reads day by day. A referred patient takes a reserved read first, then an open
/// one; anyone else takes only open reads. A day without a read left passes the request on to
/// the next day, up to kExamQueueDays days.
class ExamCalendar {
  public:
    ExamCalendar(int reads_per_day, int reserved)
        : open_(static_cast<std::uint32_t>(reads_per_day - reserved)),
          reserved_(static_cast<std::uint32_t>(reserved)),
          unlimited_(reads_per_day == 0) {}
    /// Books a read for a request made on `day`; returns the day of the read, or -1 when no read
    /// is left within kExamQueueDays days (nothing booked).
    std::int64_t book(std::int64_t day, bool referred) {
        if (unlimited_) return day;
        for (const std::int64_t last = day + kExamQueueDays; day < last; ++day) {
            if (static_cast<std::size_t>(day) >= days_.size())
                days_.resize(static_cast<std::size_t>(day) + 1);
            Day& d = days_[static_cast<std::size_t>(day)];
            if (referred && d.reserved < reserved_) {
                ++d.reserved;
                return day;
            }
            if (d.open < open_) {
                ++d.open;
                return day;
            }
        }
        return -1;
    }

  private:
    struct Day {
        std::uint32_t open = 0;
        std::uint32_t reserved = 0;
    };
    std::uint32_t open_;
    std::uint32_t reserved_;
    bool unlimited_;
    std::vector<Day> days_;
};

/// When a read booked for `day` gives its result to a request made at `now`: from the later of
/// the request and the day's start, after the turnaround.
inline sim::SimTime exam_result_at(sim::SimTime now, std::int64_t day, sim::SimTime turnaround) {
    const sim::SimTime start = std::max<sim::SimTime>(now, day * sim::kDay);
    return start + turnaround;
}

}  // namespace cmasim::model
