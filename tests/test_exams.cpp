// Shared exam centers (policy.exam_centers, policy.exams; docs/levers.md 14):
//  (1) table tests of the rules (exams.h): who reads a step's exam, a center's daily reads and
//      when a result is back;
//  (2) runs over the lever test county (tests/data/levers/county.yaml) with common random
//      numbers: recognition of results after referral avoids repeat exams and lowers the exam
//      spending per referred episode; a center with few reads a day makes the results later.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cmasim/model/exams.h"
#include "lever_runs.h"

namespace {

namespace model = cmasim::model;
using cmasim::sim::kDay;
using cmasim::sim::kHour;
using model::ExamFacts;
using model::ExamOrder;

// ---- (1) the rules

TEST(ExamRules, WhoReadsTheStepsExam) {
    struct Row {
        bool here, has, recognised, grassroots, center_here, center_exists;
        ExamOrder order;
    };
    const Row rows[] = {
        {true, true, false, false, false, false, ExamOrder::UseResult},  // its own result
        {false, true, true, false, true, true, ExamOrder::Recognised},   // 结果互认
        {false, true, false, false, true, true, ExamOrder::AtCenter},    // repeated at the center
        {false, true, false, false, false, true, ExamOrder::InHouse},    // repeated by itself
        {false, false, false, true, false, true, ExamOrder::AtCenter},   // a remote read
        {false, false, false, true, false, false, ExamOrder::None},      // no center: as before
        {false, false, false, false, false, false, ExamOrder::InHouse},  // a county hospital
        {false, true, true, true, false, true, ExamOrder::Recognised},   // up to a township
    };
    for (const auto& r : rows) {
        const ExamFacts f{r.here,       r.has,         r.recognised,
                          r.grassroots, r.center_here, r.center_exists};
        EXPECT_EQ(model::exam_order(f), r.order)
            << r.here << r.has << r.recognised << r.grassroots << r.center_here << r.center_exists;
    }
}

TEST(ExamRules, CalendarKeepsTheReservedReadsForReferrals) {
    model::ExamCalendar cal(4, 1);  // three open reads and one reserved a day
    EXPECT_EQ(cal.book(0, false), 0);
    EXPECT_EQ(cal.book(0, false), 0);
    EXPECT_EQ(cal.book(0, false), 0);
    EXPECT_EQ(cal.book(0, false), 1);  // the fourth read of day 0 is kept for a referral
    EXPECT_EQ(cal.book(0, true), 0);   // ... which takes it
    EXPECT_EQ(cal.book(0, true), 1);   // then day 1's reserved read
    EXPECT_EQ(cal.book(0, true), 1);   // then day 1's open reads
    EXPECT_EQ(cal.book(1, true), 1);
    EXPECT_EQ(cal.book(1, true), 2);  // day 1 is full (three open: one walk-in, two referred)
    EXPECT_EQ(cal.book(5, false), 5);
}

TEST(ExamRules, CalendarQueuesAtMostItsDays) {
    model::ExamCalendar cal(1, 0);  // one read a day
    for (std::int64_t d = 0; d < model::kExamQueueDays; ++d) EXPECT_EQ(cal.book(0, false), d);
    EXPECT_EQ(cal.book(0, false), -1);  // the queue is full: nothing booked
    EXPECT_EQ(cal.book(0, true), -1);
    EXPECT_EQ(cal.book(1, false), model::kExamQueueDays);  // a day later, one more day is open
}

TEST(ExamRules, UnlimitedCalendarReadsTheSameDay) {
    model::ExamCalendar cal(0, 0);
    for (int k = 0; k < 1000; ++k) EXPECT_EQ(cal.book(3, k % 2 == 0), 3);
}

TEST(ExamRules, ResultAfterTheTurnaroundFromTheReadsStart) {
    EXPECT_EQ(model::exam_result_at(10 * kHour, 0, 4 * kHour), 14 * kHour);        // read at once
    EXPECT_EQ(model::exam_result_at(10 * kHour, 1, 4 * kHour), kDay + 4 * kHour);  // next day
    EXPECT_EQ(model::exam_result_at(kDay + 5, 1, 0), kDay + 5);
}

// ---- (2) runs with common random numbers

using cmasim::test::Rows;
using cmasim::test::value;

const std::string kExams =
    "policy.exams=[{condition: serious, kind: imaging, fee: 200, turnaround_hours: 2}, "
    "{condition: moderate_acute, kind: lab, fee: 40, turnaround_hours: 1}]";

/// An imaging and a lab center at the county hospital, each with `reads` a day (0: no limit).
std::string centers(bool recognised, int reads) {
    const std::string r = recognised ? "true" : "false";
    return "policy.exam_centers=[{facility: county_hospital, kind: imaging, fee: 150, "
           "turnaround_hours: 4, reads_per_day: " +
           std::to_string(reads) + ", recognised_after_referral: " + r +
           "}, {facility: county_hospital, kind: lab, fee: 30, turnaround_hours: 3, "
           "reads_per_day: " +
           std::to_string(reads) + ", recognised_after_referral: " + r + "}]";
}

/// Exam fees of the episodes referred up at some step, and how many such episodes ended.
class ReferredExamSpending final : public model::ModelObserver {
  public:
    using ModelObserver::on;
    void on(const model::Referred& e) override {
        if (e.kind == model::ReferralKind::Up) up_.insert(e.patient.episode.value());
    }
    void on(const model::Billed& e) override {
        if (e.exam) fen_[e.patient.episode.value()] += e.bill.total;
    }
    void on(const model::EpisodeEnded& e) override {
        const auto episode = e.patient.episode.value();
        if (up_.erase(episode) > 0) {
            ++episodes;
            fen += fen_[episode];
        }
        fen_.erase(episode);
    }
    std::uint64_t episodes = 0;
    cmasim::scenario::Fen fen = 0;

  private:
    std::set<std::uint64_t> up_;
    std::map<std::uint64_t, cmasim::scenario::Fen> fen_;
};

/// Exam spending per referred episode, replication by replication.
std::vector<double> referred_exam_spending(const std::vector<std::string>& sets) {
    cmasim::scenario::LoadOptions o;
    o.overrides = sets;
    const auto s = cmasim::scenario::load_scenario(cmasim::test::kLeverCounty, o);
    const model::County county = model::compile_county(s);
    std::vector<double> out;
    for (int rep = 0; rep < s.replications; ++rep) {
        ReferredExamSpending probe;
        model::simulate_replication(county, static_cast<std::uint64_t>(rep), probe);
        out.push_back(static_cast<double>(probe.fen) / static_cast<double>(probe.episodes));
    }
    return out;
}

TEST(ExamCenters, NoExamsNoIndicators) {
    const Rows base = cmasim::test::run_lever_county({});
    for (const auto& row : base[0].county) EXPECT_NE(row.indicator.rfind("exam", 0), 0U);
}

TEST(ExamCenters, RecognitionAvoidsRepeatExams) {
    const Rows repeated = cmasim::test::run_lever_county({kExams, centers(false, 0)});
    const Rows recognised = cmasim::test::run_lever_county({kExams, centers(true, 0)});
    ASSERT_EQ(repeated.size(), recognised.size());
    for (std::size_t r = 0; r < repeated.size(); ++r) {
        EXPECT_GT(value(repeated[r], "repeat_exams"), 10) << "replication " << r;
        EXPECT_EQ(value(repeated[r], "repeat_exams_avoided"), 0);
        EXPECT_LT(value(recognised[r], "repeat_exams"), value(repeated[r], "repeat_exams"));
        EXPECT_GT(value(recognised[r], "repeat_exams_avoided"), 10) << "replication " << r;
        EXPECT_LT(value(recognised[r], "exam_spending"), value(repeated[r], "exam_spending"))
            << "replication " << r;
        EXPECT_GT(value(recognised[r], "exam_center_reads"), 0);
    }
    const auto before = referred_exam_spending({kExams, centers(false, 0)});
    const auto after = referred_exam_spending({kExams, centers(true, 0)});
    for (std::size_t r = 0; r < before.size(); ++r)
        EXPECT_LT(after[r], before[r]) << "replication " << r;
}

TEST(ExamCenters, FewReadsADayLengthenTheTurnaround) {
    const Rows ample = cmasim::test::run_lever_county({kExams, centers(true, 0)});
    const Rows scarce = cmasim::test::run_lever_county({kExams, centers(true, 2)});
    for (std::size_t r = 0; r < ample.size(); ++r) {
        EXPECT_EQ(value(ample[r], "exam_center_utilisation"), 0);  // no limit: not measured
        // Without a limit every result is back after its center's turnaround (3 or 4 hours).
        EXPECT_GE(value(ample[r], "exam_center_turnaround_hours"), 3);
        EXPECT_LE(value(ample[r], "exam_center_turnaround_hours"), 4);
        EXPECT_GT(value(scarce[r], "exam_center_utilisation"), 0.9) << "replication " << r;
        EXPECT_GT(value(scarce[r], "exam_center_turnaround_hours"),
                  value(ample[r], "exam_center_turnaround_hours") + 1)
            << "replication " << r;
    }
}

}  // namespace
