#include "cmasim/model/trace.h"

namespace cmasim::model {

const char* to_string(VisitKind k) {
    switch (k) {
        case VisitKind::FirstContact: return "first_contact";
        case VisitKind::Referred: return "referred";
        case VisitKind::SelfReferred: return "self_referred";
        case VisitKind::FollowUp: return "follow_up";
        case VisitKind::DownReferred: return "down_referred";
        case VisitKind::Retry: return "retry";
        case VisitKind::Routed: return "routed";
    }
    return "?";
}

const char* to_string(ReferralKind k) {
    switch (k) {
        case ReferralKind::Up: return "up";
        case ReferralKind::Down: return "down";
        case ReferralKind::Self: return "self";
    }
    return "?";
}

const char* to_string(EpisodeEnd e) {
    switch (e) {
        case EpisodeEnd::Treated: return "treated";
        case EpisodeEnd::Discharged: return "discharged";
        case EpisodeEnd::LeftUntreated: return "left_untreated";
    }
    return "?";
}

void TraceRecorder::add(sim::SimTime t, const PatientRef& p, const std::string& what) {
    lines_.push_back("t=" + std::to_string(t) + " ep=" + std::to_string(p.episode >> 32) + ":" +
                     std::to_string(p.episode & 0xFFFF'FFFFu) + " " + what);
}

void TraceRecorder::write(std::ostream& out) const {
    for (const auto& l : lines_) out << l << '\n';
}

void TraceRecorder::episode_started(sim::SimTime t, const PatientRef& p) {
    add(t, p, "start " + c_.villages[p.village].id + " " + c_.conditions[p.condition].spec.id);
}
void TraceRecorder::facility_chosen(sim::SimTime t, const PatientRef& p, std::uint32_t f, VisitKind k) {
    add(t, p, std::string("go ") + c_.facilities[f].id + " " + to_string(k));
}
void TraceRecorder::consultation(sim::SimTime t, const PatientRef& p, std::uint32_t f, VisitKind k,
                                 sim::SimTime wait, sim::SimTime duration) {
    add(t, p, std::string("consult ") + c_.facilities[f].id + " " + to_string(k) + " wait=" +
                  std::to_string(wait) + " dur=" + std::to_string(duration));
}
void TraceRecorder::admitted(sim::SimTime t, const PatientRef& p, std::uint32_t f, sim::SimTime bed_wait,
                             sim::SimTime stay) {
    add(t, p, "admit " + c_.facilities[f].id + " bed_wait=" + std::to_string(bed_wait) + " stay=" + std::to_string(stay));
}
void TraceRecorder::discharged(sim::SimTime t, const PatientRef& p, std::uint32_t f) {
    add(t, p, "discharge " + c_.facilities[f].id);
}
void TraceRecorder::referred(sim::SimTime t, const PatientRef& p, ReferralKind k, std::uint32_t from,
                             std::uint32_t to) {
    add(t, p, std::string("refer_") + to_string(k) + " " + c_.facilities[from].id + " -> " + c_.facilities[to].id);
}
void TraceRecorder::balked(sim::SimTime t, const PatientRef& p, std::uint32_t f) {
    add(t, p, "balk " + c_.facilities[f].id);
}
void TraceRecorder::reneged(sim::SimTime t, const PatientRef& p, std::uint32_t f, sim::SimTime waited) {
    add(t, p, "renege " + c_.facilities[f].id + " waited=" + std::to_string(waited));
}
void TraceRecorder::remote_consultation(sim::SimTime t, const PatientRef& p, std::uint32_t f) {
    add(t, p, "remote_consultation " + c_.facilities[f].id);
}
void TraceRecorder::billed(sim::SimTime t, const PatientRef& p, std::uint32_t f, bool inpatient, const Bill& b) {
    add(t, p, std::string(inpatient ? "bill_inpatient " : "bill_outpatient ") + c_.facilities[f].id +
                  " total=" + std::to_string(b.total) + " fund=" + std::to_string(b.fund) +
                  " oop=" + std::to_string(b.out_of_pocket) + " deductible=" + std::to_string(b.deductible));
}
void TraceRecorder::episode_ended(sim::SimTime t, const PatientRef& p, EpisodeEnd how) {
    add(t, p, std::string("end ") + to_string(how));
}

}  // namespace cmasim::model
