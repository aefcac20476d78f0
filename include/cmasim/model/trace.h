// A human-readable trace of every notification: for exact micro-scenario tests and for
// `cmasim run --trace`, where a planner follows individual patients.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/observer.h"

namespace cmasim::model {

/// Records one line per notification, e.g.
/// "t=3600 ep=0:0 consult e1_clinic first_contact wait=0 dur=480".
class TraceRecorder final : public ModelObserver {
public:
    explicit TraceRecorder(const County& county) : c_(county) {}
    const std::vector<std::string>& lines() const { return lines_; }
    void write(std::ostream& out) const;

    void episode_started(sim::SimTime t, const PatientRef& p) override;
    void facility_chosen(sim::SimTime t, const PatientRef& p, std::uint32_t f, VisitKind k) override;
    void consultation(sim::SimTime t, const PatientRef& p, std::uint32_t f, VisitKind k,
                      sim::SimTime wait, sim::SimTime duration) override;
    void admitted(sim::SimTime t, const PatientRef& p, std::uint32_t f, sim::SimTime bed_wait,
                  sim::SimTime stay) override;
    void discharged(sim::SimTime t, const PatientRef& p, std::uint32_t f) override;
    void referred(sim::SimTime t, const PatientRef& p, ReferralKind k, std::uint32_t from,
                  std::uint32_t to) override;
    void balked(sim::SimTime t, const PatientRef& p, std::uint32_t f) override;
    void reneged(sim::SimTime t, const PatientRef& p, std::uint32_t f, sim::SimTime waited) override;
    void remote_consultation(sim::SimTime t, const PatientRef& p, std::uint32_t f) override;
    void billed(sim::SimTime t, const PatientRef& p, std::uint32_t f, bool inpatient, const Bill& b) override;
    void episode_ended(sim::SimTime t, const PatientRef& p, EpisodeEnd how) override;

private:
    void add(sim::SimTime t, const PatientRef& p, const std::string& what);
    const County& c_;
    std::vector<std::string> lines_;
};

/// Fans one notification out to several observers (e.g. metrics and a trace).
class ObserverList final : public ModelObserver {
public:
    void add(ModelObserver& o) { list_.push_back(&o); }
    void episode_started(sim::SimTime t, const PatientRef& p) override { for (auto* o : list_) o->episode_started(t, p); }
    void facility_chosen(sim::SimTime t, const PatientRef& p, std::uint32_t f, VisitKind k) override { for (auto* o : list_) o->facility_chosen(t, p, f, k); }
    void consultation(sim::SimTime t, const PatientRef& p, std::uint32_t f, VisitKind k, sim::SimTime w, sim::SimTime d) override { for (auto* o : list_) o->consultation(t, p, f, k, w, d); }
    void admitted(sim::SimTime t, const PatientRef& p, std::uint32_t f, sim::SimTime w, sim::SimTime s) override { for (auto* o : list_) o->admitted(t, p, f, w, s); }
    void discharged(sim::SimTime t, const PatientRef& p, std::uint32_t f) override { for (auto* o : list_) o->discharged(t, p, f); }
    void referred(sim::SimTime t, const PatientRef& p, ReferralKind k, std::uint32_t a, std::uint32_t b) override { for (auto* o : list_) o->referred(t, p, k, a, b); }
    void balked(sim::SimTime t, const PatientRef& p, std::uint32_t f) override { for (auto* o : list_) o->balked(t, p, f); }
    void reneged(sim::SimTime t, const PatientRef& p, std::uint32_t f, sim::SimTime w) override { for (auto* o : list_) o->reneged(t, p, f, w); }
    void remote_consultation(sim::SimTime t, const PatientRef& p, std::uint32_t f) override { for (auto* o : list_) o->remote_consultation(t, p, f); }
    void billed(sim::SimTime t, const PatientRef& p, std::uint32_t f, bool i, const Bill& b) override { for (auto* o : list_) o->billed(t, p, f, i, b); }
    void episode_ended(sim::SimTime t, const PatientRef& p, EpisodeEnd h) override { for (auto* o : list_) o->episode_ended(t, p, h); }

private:
    std::vector<ModelObserver*> list_;
};

const char* to_string(VisitKind k);
const char* to_string(ReferralKind k);
const char* to_string(EpisodeEnd e);

}  // namespace cmasim::model
