// A human-readable trace of every event: for exact micro-scenario tests and for
// `cmasim run --trace`, where a planner follows individual patients.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/observer.h"

namespace cmasim::model {

/// One event in words, e.g. "consult e1_clinic first_contact wait=0 dur=480" (facility, village
/// and condition ids from the county). One overload per event type.
std::string describe(const County& c, const EpisodeStarted& e);
std::string describe(const County& c, const FacilityChosen& e);
std::string describe(const County& c, const Consultation& e);
std::string describe(const County& c, const Admitted& e);
std::string describe(const County& c, const Discharged& e);
std::string describe(const County& c, const Referred& e);
std::string describe(const County& c, const Balked& e);
std::string describe(const County& c, const Reneged& e);
std::string describe(const County& c, const RemoteConsultation& e);
std::string describe(const County& c, const MedicineMissing& e);
std::string describe(const County& c, const HomeBedVisit& e);
std::string describe(const County& c, const AdmissionDeclined& e);
std::string describe(const County& c, const EmergencyTreatment& e);
std::string describe(const County& c, const ExamOrdered& e);
std::string describe(const County& c, const ReservedCapacityUsed& e);
std::string describe(const County& c, const Billed& e);
std::string describe(const County& c, const EpisodeEnded& e);

/// The names of the village, condition and facilities an event names by id, in describe()'s
/// order, each its id when it has no name of its own, e.g. "东山镇卫生院 县人民医院" for a
/// referral.
std::string names_of(const County& c, const EpisodeStarted& e);
template <class E>
std::string names_of(const County& c, const E& e) {
    if constexpr (requires { e.from; }) {
        return c.facility(e.from).name + " " + c.facility(e.to).name;
    } else if constexpr (requires { e.facility; }) {
        return c.facility(e.facility).name;
    } else {
        return {};
    }
}

/// Records one line per event: its time, its episode (origin:sequence), then describe(event),
/// e.g. "t=3600 ep=0:0 consult e1_clinic first_contact wait=0 dur=480", and beside it the names
/// of the ids it uses (names_of).
class TraceRecorder final : public EveryEvent<TraceRecorder> {
  public:
    explicit TraceRecorder(const County& county) : c_(county) {}
    /// The event lines with ids only (what tests compare).
    const std::vector<std::string>& lines() const { return lines_; }
    /// A header of '#' lines giving the name of every township, village, facility and condition
    /// whose name is not its id ("# facility county_hospital 县人民医院"), then each event line
    /// with a tab and its names column ("\t# 县人民医院"; none for an event naming no id).
    void write(std::ostream& out) const;

    template <class E>
    void handle(const E& e) {
        add(e.at, e.patient, describe(c_, e));
        names_.push_back(names_of(c_, e));
    }

  private:
    void add(sim::SimTime t, const PatientRef& p, const std::string& what);
    const County& c_;
    std::vector<std::string> lines_;
    std::vector<std::string> names_;  ///< per line, names_of its event
};

const char* to_string(VisitKind k);
const char* to_string(ReferralKind k);
const char* to_string(EpisodeEnd e);

}  // namespace cmasim::model
