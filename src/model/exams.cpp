// The county engine's exams (policy.exam_centers, policy.exams; docs/levers.md): before the
// decision of a step that needs one, the facility uses a result it may use, or has the exam read
// (by the shared center of its kind, or by itself), bills its fee and waits for the result.
#include "cmasim/model/exams.h"

#include "county_engine.h"

namespace cmasim::model::detail {

bool CountyEngine::waits_for_exam(std::uint32_t p) {
    auto& pat = patients_[p];
    const ExamSetup& exams = c_.exams;
    const ExamNeedInfo& need = exams.by_condition[pat.ref.condition.index()];
    if (pat.exam_done || !need.needed || pat.kind == VisitKind::FollowUp ||
        pat.kind == VisitKind::DownReferred)
        return false;
    pat.exam_done = true;
    const auto& fi = c_.facilities[pat.facility];
    const std::uint32_t center = exams.center_of(need.kind);
    ExamFacts facts;
    facts.result_here = pat.exam_at == pat.facility;
    facts.has_result = pat.exam_at != kNone;
    facts.recognised = pat.exam_recognised;
    facts.grassroots = fi.level == Level::Village || fi.level == Level::Township;
    facts.center_exists = center != kNone;
    facts.center_here = facts.center_exists && exams.centers[center].facility == pat.facility;
    switch (exam_order(facts)) {
        case ExamOrder::UseResult:
        case ExamOrder::None:
            return false;
        case ExamOrder::Recognised:
            emit(ExamOrdered{sim_.now(), pat.ref, FacilityId{pat.facility}, FacilityId{}, 0, false,
                             true});
            return false;
        case ExamOrder::AtCenter:
            // A full center: a hospital does the exam itself, the grassroots decide without it.
            if (read_exam(p, center, facts.has_result)) return true;
            if (facts.grassroots) return false;
            return read_exam(p, kNone, facts.has_result);
        case ExamOrder::InHouse:
            return read_exam(p, kNone, facts.has_result);
    }
    return false;
}

/// The exam is read (by `center`, or by the facility itself when kNone): its fee is billed where
/// it was ordered and the patient waits, holding no doctor, until the result is back. False,
/// with nothing done, when the center has no read left within its queue's days.
bool CountyEngine::read_exam(std::uint32_t p, std::uint32_t center, bool repeat) {
    auto& pat = patients_[p];
    const ExamNeedInfo& need = c_.exams.by_condition[pat.ref.condition.index()];
    SimTime ready = sim_.now() + need.turnaround;
    Fen fee = need.fee;
    FacilityId reader{};
    bool recognised = false;
    if (center != kNone) {
        const ExamCenterInfo& info = c_.exams.centers[center];
        // Reads kept for referrals go to patients referred to the center's own facility.
        const bool referred = pat.referred && pat.facility == info.facility;
        const std::int64_t day = exam_calendars_[center].book(sim_.now() / sim::kDay, referred);
        if (day < 0) return false;
        ready = exam_result_at(sim_.now(), day, info.turnaround);
        fee = info.fee;
        reader = FacilityId{info.facility};
        recognised = info.recognised;
    }
    pat.exam_recognised = recognised;
    pat.exam_at = pat.facility;
    emit(ExamOrdered{sim_.now(), pat.ref, FacilityId{pat.facility}, reader, ready - sim_.now(),
                     repeat, false});
    const Bill bill = cashier_.exam(cty(pat), encounter(pat), fee);
    count_fund(bill.fund);
    emit(Billed{sim_.now(), pat.ref, FacilityId{pat.facility}, false, bill, true});
    pat.stage = Stage::Away;
    sim_.schedule_at(ready, kMove, {EventKind::ExamDone, p, 0, 0});
    return true;
}

}  // namespace cmasim::model::detail
