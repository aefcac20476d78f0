// The schema of the shared exam centers (基层检查、上级诊断、结果互认; docs/levers.md): the
// centers, the conditions whose diagnosis needs an exam, and the checks across the two lists.
#include <set>

#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

template <class T>
FieldBuilder<T> exam_kind(ExamKind T::*m) {
    return one_of("kind", m,
                  {{"lab", ExamKind::Lab}, {"imaging", ExamKind::Imaging}, {"ecg", ExamKind::Ecg}});
}

}  // namespace

const RecordSchema<ExamCenter>& exam_center_schema() {
    using E = ExamCenter;
    static const RecordSchema<E> schema{
        {text("facility", &E::facility)
             .required()
             .describe("facility id where the center sits (its own exams are read there too)"),
         exam_kind(&E::kind).describe("the exams it reads; one center per kind"),
         integer("reads_per_day", &E::reads_per_day)
             .min(0)
             .max(100000)
             .describe("reads a day (capacity); a request past it waits for the next day with a "
                       "read left; 0 = no limit"),
         money("fee", &E::fee)
             .min(0)
             .max(100000)
             .describe("fee of one read, billed with "
                       "insurance where it is ordered"),
         number("turnaround_hours", &E::turnaround_hours)
             .min(0)
             .max(24 * 14)
             .unit("hours")
             .describe("hours from the read's start to the result reaching the ordering doctor"),
         number("reserved_share_for_referrals", &E::reserved_share_for_referrals)
             .min(0)
             .max(0.9)
             .describe("share of the daily reads (rounded down) kept for patients referred to "
                       "the center's facility"),
         flag("recognised_after_referral", &E::recognised_after_referral)
             .describe("结果互认: a facility the patient is referred to uses the center's result "
                       "instead of repeating the exam")},
        {}};
    return schema;
}

const RecordSchema<ExamNeed>& exam_need_schema() {
    using N = ExamNeed;
    static const RecordSchema<N> schema{
        {text("condition", &N::condition)
             .required()
             .describe("condition id whose diagnosis needs an exam before the decision"),
         exam_kind(&N::kind).describe("the exam it needs"),
         money("fee", &N::fee)
             .min(0)
             .max(100000)
             .describe(
                 "fee of the exam done by a county or external facility itself (no center of its "
                 "kind there)"),
         number("turnaround_hours", &N::turnaround_hours)
             .min(0)
             .max(24 * 14)
             .unit("hours")
             .describe("hours until that facility's own result")},
        {}};
    return schema;
}

void check_exams(const YAML::Node& map, const Policy& p, Reader& r) {
    if (!map.IsMap()) return;
    if (!p.exam_centers.empty() && p.exams.empty()) {
        r.error(map["exam_centers"], "exam centers need the conditions whose exams they read",
                "add policy.exams, e.g. [{condition: serious, kind: imaging, fee: 150}]");
    }
    std::set<ExamKind> kinds;
    for (std::size_t j = 0; j < p.exam_centers.size(); ++j) {
        if (!kinds.insert(p.exam_centers[j].kind).second) {
            r.error(map["exam_centers"][j], "a second exam center of the same kind",
                    "keep one center per kind (lab, imaging, ecg): it serves the whole county");
        }
    }
    std::set<std::string> conditions;
    for (std::size_t j = 0; j < p.exams.size(); ++j) {
        if (!conditions.insert(p.exams[j].condition).second) {
            r.error(map["exams"][j], "condition '" + p.exams[j].condition + "' listed twice",
                    "give each condition one exam");
        }
    }
}

}  // namespace cmasim::scenario::detail
