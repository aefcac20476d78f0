#include "cmasim/model/trace.h"

namespace cmasim::model {

const char* to_string(VisitKind k) {
    switch (k) {
        case VisitKind::FirstContact:
            return "first_contact";
        case VisitKind::Referred:
            return "referred";
        case VisitKind::SelfReferred:
            return "self_referred";
        case VisitKind::FollowUp:
            return "follow_up";
        case VisitKind::DownReferred:
            return "down_referred";
        case VisitKind::Retry:
            return "retry";
        case VisitKind::Routed:
            return "routed";
    }
    return "?";
}

const char* to_string(ReferralKind k) {
    switch (k) {
        case ReferralKind::Up:
            return "up";
        case ReferralKind::Down:
            return "down";
        case ReferralKind::Self:
            return "self";
    }
    return "?";
}

const char* to_string(EpisodeEnd e) {
    switch (e) {
        case EpisodeEnd::Treated:
            return "treated";
        case EpisodeEnd::Discharged:
            return "discharged";
        case EpisodeEnd::LeftUntreated:
            return "left_untreated";
        case EpisodeEnd::NoVisit:
            return "no_visit";
    }
    return "?";
}

namespace {
const std::string& id(const County& c, FacilityId f) {
    return c.facility(f).id;
}
}  // namespace

std::string describe(const County& c, const EpisodeStarted& e) {
    return "start " + c.villages[e.patient.village.index()].id + " " +
           c.conditions[e.patient.condition.index()].spec.id;
}
std::string describe(const County& c, const FacilityChosen& e) {
    return "go " + id(c, e.facility) + " " + to_string(e.kind);
}
std::string describe(const County& c, const Consultation& e) {
    return "consult " + id(c, e.facility) + " " + to_string(e.kind) +
           " wait=" + std::to_string(e.wait) + " dur=" + std::to_string(e.duration) +
           (e.emergency ? " emergency" : "");
}
std::string describe(const County& c, const Admitted& e) {
    return "admit " + id(c, e.facility) + " bed_wait=" + std::to_string(e.bed_wait) +
           " stay=" + std::to_string(e.stay) + (e.home_bed ? " home_bed" : "");
}
std::string describe(const County& c, const Discharged& e) {
    return "discharge " + id(c, e.facility);
}
std::string describe(const County& c, const Referred& e) {
    return std::string("refer_") + to_string(e.kind) + " " + id(c, e.from) + " -> " + id(c, e.to);
}
std::string describe(const County& c, const Balked& e) {
    return "balk " + id(c, e.facility);
}
std::string describe(const County& c, const Reneged& e) {
    return "renege " + id(c, e.facility) + " waited=" + std::to_string(e.waited);
}
std::string describe(const County& c, const RemoteConsultation& e) {
    return "remote_consultation " + id(c, e.facility);
}
std::string describe(const County& c, const MedicineMissing& e) {
    return "medicine_missing " + id(c, e.facility);
}
std::string describe(const County& c, const HomeBedVisit& e) {
    return "home_visit " + id(c, e.facility) + " doctor_time=" + std::to_string(e.doctor_time);
}
std::string describe(const County& c, const AdmissionDeclined& e) {
    return "decline_admission " + id(c, e.facility);
}
std::string describe(const County& c, const EmergencyTreatment& e) {
    return "emergency_treatment " + id(c, e.facility) + " to_door=" + std::to_string(e.to_door) +
           " door_to_treatment=" + std::to_string(e.door_to_treatment) +
           (e.ambulance ? " ambulance" : "") + (e.center ? " center" : "");
}
std::string describe(const County& c, const ExamOrdered& e) {
    if (e.recognised) return "exam_recognised " + id(c, e.facility);
    return "exam " + id(c, e.facility) + (e.center.valid() ? " center=" + id(c, e.center) : "") +
           " turnaround=" + std::to_string(e.turnaround) + (e.repeat ? " repeat" : "");
}
std::string describe(const County& c, const ReservedCapacityUsed& e) {
    return std::string(e.bed ? "reserved_bed " : "reserved_doctor ") + id(c, e.facility) + " " +
           to_string(e.kind) + (e.family_referral ? " family_doctor" : "");
}
std::string describe(const County& c, const Billed& e) {
    const Bill& b = e.bill;
    const char* what = e.exam ? "bill_exam " : e.inpatient ? "bill_inpatient " : "bill_outpatient ";
    return std::string(what) + id(c, e.facility) + " total=" + std::to_string(b.total) +
           " fund=" + std::to_string(b.fund) + " oop=" + std::to_string(b.out_of_pocket) +
           " deductible=" + std::to_string(b.deductible) +
           (b.catastrophic > 0 ? " catastrophic=" + std::to_string(b.catastrophic) : "") +
           (b.assistance > 0 ? " assistance=" + std::to_string(b.assistance) : "");
}
std::string describe(const County&, const EpisodeEnded& e) {
    return std::string("end ") + to_string(e.how);
}

std::string names_of(const County& c, const EpisodeStarted& e) {
    // Compiled villages keep their ids only; the scenario's list has their names.
    const std::size_t v = e.patient.village.index();
    const auto& villages = c.scenario.villages;
    const std::string& village =
        v < villages.size() && villages[v].id == c.villages[v].id && !villages[v].name.empty()
            ? villages[v].name
            : c.villages[v].id;
    const auto& condition = c.conditions[e.patient.condition.index()].spec;
    return village + " " + (condition.name.empty() ? condition.id : condition.name);
}

void TraceRecorder::add(sim::SimTime t, const PatientRef& p, const std::string& what) {
    lines_.push_back("t=" + std::to_string(t) + " ep=" + std::to_string(p.episode.origin()) + ":" +
                     std::to_string(p.episode.sequence()) + " " + what);
}

namespace {
/// "# facility county_hospital 县人民医院" for each record of `list` whose name is not its id.
template <class Record>
void write_names(std::ostream& out, const char* kind, const std::vector<Record>& list) {
    for (const auto& r : list) {
        if (!r.name.empty() && r.name != r.id)
            out << "# " << kind << ' ' << r.id << ' ' << r.name << '\n';
    }
}
}  // namespace

void TraceRecorder::write(std::ostream& out) const {
    // The event lines name facilities, villages and conditions by id, for tests and tools that
    // read them; the names a planner knows them by head the file and follow each line after a
    // tab, so that a line can be read alone and cut(1) still finds the id columns.
    const scenario::Scenario& s = c_.scenario;
    out << "# trace of replication 0: time in seconds, episode (origin:sequence), event; ids and "
           "their names:\n";
    write_names(out, "township", s.townships);
    write_names(out, "village", s.villages);
    write_names(out, "facility", s.facilities);
    write_names(out, "condition", s.conditions);
    for (std::size_t i = 0; i < lines_.size(); ++i) {
        out << lines_[i];
        if (!names_[i].empty()) out << "\t# " << names_[i];
        out << '\n';
    }
}

}  // namespace cmasim::model
