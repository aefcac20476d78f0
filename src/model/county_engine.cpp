// The county engine's run: start, the event loop, opening hours, insurance years, and the life
// of an episode from its onset to the choice of a facility and its end.
#include "county_engine.h"

#include "cmasim/model/pathway.h"

namespace cmasim::model::detail {

namespace {

/// Residents whose medical-assistance eligibility is kept: everyone when some period of the
/// timeline has the layer (eligibility is one draw per resident, the same in every period).
std::int64_t assisted_population(const County& county) {
    for (std::size_t k = 0; k <= county.periods.size(); ++k)
        if (county.period(k).scenario.insurance.assistance.low_income_share > 0)
            return county.population;
    return 0;
}

/// Does some period of the timeline settle a global budget (the only reader of the fund's
/// yearly spending the engine keeps)?
bool settles_global_budget(const County& county) {
    for (std::size_t k = 0; k <= county.periods.size(); ++k)
        if (county.period(k).scenario.policy.payment.mode == scenario::PaymentMode::GlobalBudget)
            return true;
    return false;
}

}  // namespace

CountyEngine::CountyEngine(const County& county, std::uint64_t replication, ModelObserver& observer)
    : c_(county),
      s_(county.scenario),
      obs_(observer),
      key_{county.scenario.seed, replication},
      end_(county.warmup + county.horizon),
      chooser_(county),
      demand_(county, key_, end_),
      low_income_(assisted_population(county), key_, StreamPurpose::LowIncome),
      chronic_(county, key_, end_),
      cashier_(county) {
    for (std::size_t k = 0; k <= c_.periods.size(); ++k)
        contracts_.emplace_back(c_.population, key_);
    if (!c_.periods.empty()) next_period_ = c_.periods[0].start;
    episode_counter_.assign(c_.villages.size(), 0);
    emergency_counter_.assign(c_.villages.size(), 0);
    managed_counter_.assign(c_.villages.size(), 0);
    for (const auto& center : c_.exams.centers)
        exam_calendars_.emplace_back(center.reads_per_day, center.reserved_reads);
    if (settles_global_budget(c_))
        fund_by_year_.assign(static_cast<std::size_t>((c_.horizon - 1) / (365 * sim::kDay)) + 1, 0);
}

/// Same-time events keep their scheduling order, so the order of these calls is part of every
/// result: opening hours, then demand, then the first insurance year.
void CountyEngine::start() {
    desks_ = open_desks(c_, sim_);
    home_beds_used_.assign(c_.facilities.size(), 0);
    if (!c_.scripted.empty()) {
        for (std::uint32_t i = 0; i < c_.scripted.size(); ++i) {
            sim_.schedule_at(c_.scripted[i].at, kMove, {EventKind::Scripted, i, 0, 0});
        }
    } else {
        for (std::uint32_t v = 0; v < c_.villages.size(); ++v) {
            const SimTime t = demand_.first_arrival(v);
            if (t < end_) sim_.schedule_at(t, kMove, {EventKind::Arrival, v, 0, 0});
        }
        for (std::uint32_t v = 0; demand_.emergencies() && v < c_.villages.size(); ++v) {
            const SimTime t = demand_.first_emergency(v);
            if (t < end_) sim_.schedule_at(t, kMove, {EventKind::Emergency, v, 0, 0});
        }
        for (std::uint32_t v = 0; chronic_.follow_ups() && v < c_.villages.size(); ++v) {
            const SimTime t = chronic_.first_visit(v);
            if (t < end_) sim_.schedule_at(t, kMove, {EventKind::ManagedVisit, v, 0, 0});
        }
    }
    sim_.schedule_at(c_.warmup, kYear, {EventKind::YearStart, 0, 0, 0});
}

ReplicationStats CountyEngine::run() {
    start();
    run_and_drain(
        sim_, end_, [this](const Event& e) { handle(e); }, [this] { return patients_.live(); });
    stats_.events = sim_.events_processed();
    stats_.peak_patients = patients_.peak();
    return stats_;
}

/// Dispatches one event. An error raised while handling a patient's event is re-raised with the
/// simulated time, the episode and the facility (errors during a run carry them).
void CountyEngine::handle(const Event& e) {
    try {
        dispatch(e);
    } catch (const std::exception& ex) {
        if (about_patient(e.kind)) fail(ex.what(), e.id);
        fail_at(sim_.now(), ex.what());
    }
}

/// Every event a patient or a village has, in one switch (one jump per event: a second switch
/// for the patients' events cost about 4 instructions per event); the few others apart.
void CountyEngine::dispatch(const Event& e) {
    switch (e.kind) {
        case EventKind::Arrival:
            arrival(e.id);
            break;
        case EventKind::Emergency:
            emergency_arrival(e.id);
            break;
        case EventKind::ManagedVisit:
            managed_visit(e.id);
            break;
        case EventKind::ReachFacility:
            reach_facility(e.id);
            break;
        case EventKind::ServiceEnd:
            service_end(e.id);
            break;
        case EventKind::Renege:
            renege(e.id, e.gen);
            break;
        case EventKind::Discharge:
            discharge(e.id);
            break;
        case EventKind::RemoteDone:
            patients_[e.id].remote_done = true;
            outcome(e.id);
            break;
        case EventKind::ExamDone:
            outcome(e.id);
            break;
        case EventKind::ScheduleChange:
        case EventKind::YearStart:
        case EventKind::Scripted:
        case EventKind::StationArrival:
        case EventKind::HomeVisit:
        case EventKind::HomeVisitDone:
            timetable_event(e);
            break;
    }
}

/// Events a run has few of: opening hours, insurance years, the episodes a file scripts and the
/// home-bed visits.
void CountyEngine::timetable_event(const Event& e) {
    switch (e.kind) {
        case EventKind::ScheduleChange:
            restaff(e.id);
            break;
        case EventKind::YearStart:
            year_start();
            break;
        case EventKind::Scripted:
            scripted_arrival(e.id);
            break;
        case EventKind::StationArrival:  // the network engine's
        case EventKind::Arrival:         // the others: dispatch handles them
        case EventKind::Emergency:
        case EventKind::ManagedVisit:
        case EventKind::ReachFacility:
        case EventKind::ServiceEnd:
        case EventKind::Renege:
        case EventKind::Discharge:
        case EventKind::RemoteDone:
        case EventKind::ExamDone:
            break;
        case EventKind::HomeVisit:
            home_visit(e.id, e.gen);
            break;
        case EventKind::HomeVisitDone:
            home_visit_done(e.id);
            break;
    }
}

void CountyEngine::restaff(std::uint32_t f) {
    restaff_desk(c_, desks_, sim_, f, [this](std::uint32_t facility) { serve_next(facility); });
}

void CountyEngine::year_start() {
    cashier_.new_year();
    if (sim_.now() > c_.warmup)
        settle_year(static_cast<std::size_t>((sim_.now() - c_.warmup) / (365 * sim::kDay)) - 1);
    const SimTime next = sim_.now() + 365 * sim::kDay;
    if (next < end_) sim_.schedule_at(next, kYear, {EventKind::YearStart, 0, 0, 0});
}

void CountyEngine::arrival(std::uint32_t v) {
    SimTime next = 0;
    const Onset onset = demand_.arrival(v, sim_.now(), next);
    if (!prevented(v, onset, false)) begin_episode(v, onset);
    // After the episode's first moves: same-time events run in scheduling order.
    if (next < end_) sim_.schedule_at(next, kMove, {EventKind::Arrival, v, 0, 0});
}

void CountyEngine::emergency_arrival(std::uint32_t v) {
    SimTime next = 0;
    const Onset onset = demand_.emergency(v, sim_.now(), next);
    if (!prevented(v, onset, true)) begin_episode(v, onset, true);
    if (next < end_) sim_.schedule_at(next, kMove, {EventKind::Emergency, v, 0, 0});
}

void CountyEngine::scripted_arrival(std::uint32_t index) {
    const auto& e = c_.scripted[index];
    begin_episode(e.village, demand_.scripted(e.village, e.condition, e.aged), e.emergency);
}

/// Emergency episodes are numbered apart (top bit set), so that their streams never take the
/// numbers of the daytime episodes and those keep their draws; scheduled follow-ups likewise
/// (the next bit).
std::uint32_t CountyEngine::next_sequence(std::uint32_t v, EpisodeSource source) {
    switch (source) {
        case EpisodeSource::Emergency:
            return 0x8000'0000u | emergency_counter_[v]++;
        case EpisodeSource::Scheduled:
            return 0x4000'0000u | managed_counter_[v]++;
        case EpisodeSource::Daytime:
            break;
    }
    return episode_counter_[v]++;
}

std::uint32_t CountyEngine::new_patient(std::uint32_t v, EpisodeSource source) {
    const std::uint32_t p = patients_.acquire();
    auto& pat = patients_[p];
    pat.ref.episode = village_episode(VillageId{v}, next_sequence(v, source));
    pat.ref.village = VillageId{v};
    pat.ref.township = TownshipId{c_.villages[v].township};
    pat.ref.episode_start = sim_.now();
    while (sim_.now() >= next_period_) {  // time only moves on: a compare without a timeline
        ++period_;
        next_period_ = period_ < c_.periods.size() ? c_.periods[period_].start : kNoPeriod;
    }
    pat.period = period_;
    ++stats_.episodes_started;
    return p;
}

/// An emergency patient goes straight to an emergency service: no family doctor first, and the
/// first choice is among the candidates that have one.
void CountyEngine::begin_episode(std::uint32_t v, const Onset& onset, bool emergency) {
    const std::uint32_t p =
        new_patient(v, emergency ? EpisodeSource::Emergency : EpisodeSource::Daytime);
    auto& pat = patients_[p];
    const auto& village = cty(pat).villages[v];
    pat.ref.condition = ConditionId{onset.condition};
    pat.ref.emergency = emergency;
    pat.aged = onset.aged;
    pat.person = onset.person;
    pat.contracted = contracts_[pat.period].member(pat.person, village.contract_share);
    pat.ref.contracted = pat.contracted;
    const double low_income_share = sc(pat).insurance.assistance.low_income_share;
    pat.low_income = low_income_share > 0 && low_income_.member(pat.person, low_income_share);
    pat.ref.low_income = pat.low_income;
    pat.ref.managed = chronic_.on() && chronic_.managed(pat.person);
    const auto& gate = sc(pat).insurance.gatekeeping;
    pat.gatekept = pat.contracted && gate.enabled;
    emit(EpisodeStarted{sim_.now(), pat.ref});
    if (emergency) {
        pat.seeks_care = true;  // an emergency does not stay home
        pat.tried = village.no_emergency;
        if (ambulance_first_contact(p)) return;
        if (!choose(p, VisitKind::FirstContact, Level::Village, village.place))
            end_episode(p, EpisodeEnd::LeftUntreated);
        return;
    }
    auto compliance = [&] { return uniform(pat, StreamPurpose::Compliance); };
    const bool family_first =
        family_doctor_first(pat.gatekept, gate.compliance, UniformDraw(compliance));
    if (family_first && stays_out(p)) return;
    if (!(family_first &&
          choose(p, VisitKind::FirstContact, Level::Village, village.place, true)) &&
        !choose(p, VisitKind::FirstContact, Level::Village, village.place)) {
        end_episode(p, EpisodeEnd::LeftUntreated);
    }
}

/// The episode number the onset would take is used up either way, so the later episodes keep
/// their numbers (and their streams) whether or not management is on.
bool CountyEngine::prevented(std::uint32_t v, const Onset& onset, bool emergency) {
    if (!chronic_.on()) return false;
    auto& counter = emergency ? emergency_counter_[v] : episode_counter_[v];
    const std::uint32_t sequence = emergency ? 0x8000'0000u | counter : counter;
    if (!chronic_.prevents(onset.person, onset.condition, village_episode(VillageId{v}, sequence)))
        return false;
    ++counter;
    return true;
}

/// A managed resident's scheduled follow-up at the family doctor's facility: an episode of the
/// managed condition with one follow-up visit (numbered apart, like the emergencies).
void CountyEngine::managed_visit(std::uint32_t v) {
    SimTime next = 0;
    const auto person = chronic_.visit(v, next);
    const std::uint32_t doctor = family_doctor_facility(v);
    if (person && doctor != kNone) {
        const std::uint32_t p = new_patient(v, EpisodeSource::Scheduled);
        auto& pat = patients_[p];
        pat.ref.condition = ConditionId{c_.managed_condition};
        pat.person = *person;
        pat.contracted =
            contracts_[pat.period].member(pat.person, cty(pat).villages[v].contract_share);
        pat.ref.contracted = pat.contracted;
        pat.ref.managed = true;
        pat.ref.scheduled = true;
        pat.seeks_care = true;
        emit(EpisodeStarted{sim_.now(), pat.ref});
        travel(p, doctor, c_.villages[v].place, VisitKind::FollowUp);
    }
    if (next < end_) sim_.schedule_at(next, kMove, {EventKind::ManagedVisit, v, 0, 0});
}

/// The facility of the village's family doctor (choice.contract_level), else the other
/// grassroots one.
std::uint32_t CountyEngine::family_doctor_facility(std::uint32_t v) const {
    const auto& village = c_.villages[v];
    const bool at_clinic = s_.choice.contract_level == Level::Village;
    const std::uint32_t first = at_clinic ? village.own_clinic : village.own_center;
    return first != kNone ? first : (at_clinic ? village.own_center : village.own_clinic);
}

void CountyEngine::end_episode(std::uint32_t p, EpisodeEnd how) {
    auto& pat = patients_[p];
    emit(EpisodeEnded{sim_.now(), pat.ref, how});
    pat.stage = Stage::Free;
    patients_.release(p);
    ++stats_.episodes_ended;
}

/// Multinomial logit over the village's candidates at or above min_level not yet tried, and at
/// a first contact the condition's outside option; false (and no draw) when no candidate is
/// left. Taking the outside option ends the episode without a visit (and returns true).
bool CountyEngine::choose(std::uint32_t p, VisitKind kind, Level min_level,
                          std::uint32_t from_place, bool contract_only) {
    auto& pat = patients_[p];
    const bool outside = kind == VisitKind::FirstContact && !pat.seeks_care && !contract_only;
    const ChoiceAsk ask = choice_ask(pat, min_level, contract_only, pat.tried, outside);
    auto draw = [&] { return uniform(pat, StreamPurpose::Choice); };
    const std::size_t pick = chooser_.choose(cty(pat), ask, UniformDraw(draw));
    if (pick == FacilityChooser::kNoChoice) return false;
    if (pick == FacilityChooser::kOutside) {
        end_episode(p, EpisodeEnd::NoVisit);
        return true;
    }
    pat.tried |= std::uint64_t{1} << pick;
    travel(p, cty(pat).villages[ask.village].candidates[pick].facility, from_place, kind);
    return true;
}

/// Whether to seek formal care at all is decided over every candidate, also for a resident who
/// then goes to the family doctor first (a choice between the family doctor and staying home
/// alone would overstate staying home). Draws once (choice stream) when the condition has an
/// outside option; the facility drawn, if any, is not where the patient goes.
bool CountyEngine::stays_out(std::uint32_t p) {
    auto& pat = patients_[p];
    if (!cty(pat).conditions[pat.ref.condition.index()].spec.outside_option) return false;
    const ChoiceAsk ask = choice_ask(pat, Level::Village, false, 0, true);
    auto draw = [&] { return uniform(pat, StreamPurpose::Choice); };
    if (chooser_.choose(cty(pat), ask, UniformDraw(draw)) == FacilityChooser::kOutside) {
        end_episode(p, EpisodeEnd::NoVisit);
        return true;
    }
    pat.seeks_care = true;
    return false;
}

void CountyEngine::travel(std::uint32_t p, std::uint32_t facility, std::uint32_t from_place,
                          VisitKind kind) {
    auto& pat = patients_[p];
    pat.facility = facility;
    pat.kind = kind;
    pat.stage = Stage::Travelling;
    emit(FacilityChosen{sim_.now(), pat.ref, FacilityId{facility}, kind});
    const double minutes = c_.minutes(from_place, c_.facilities[facility].place);
    sim_.schedule_in(trip_seconds(pat, minutes, kind), kMove, {EventKind::ReachFacility, p, 0, 0});
}

SimTime CountyEngine::trip_seconds(const Patient& pat, double road_minutes, VisitKind kind) const {
    const auto& path = cty(pat).emergency;
    if (path.covers(pat.ref.emergency, pat.ref.condition.index()) &&
        by_ambulance(kind, pat.ambulance))
        return ambulance_trip(path.dispatch, road_minutes, path.speed_factor);
    return sim::round_half_away(road_minutes * 60.0);
}

/// A pathway emergency draws (its own stream) whether it calls an ambulance; the ambulance takes
/// it to the nearest center. Without a center it goes where the patient would choose.
bool CountyEngine::ambulance_first_contact(std::uint32_t p) {
    auto& pat = patients_[p];
    const auto& path = cty(pat).emergency;
    if (!path.covers(pat.ref.emergency, pat.ref.condition.index())) return false;
    pat.ambulance = calls_ambulance(path.ambulance_share, uniform(pat, StreamPurpose::Ambulance));
    const std::uint32_t place = c_.villages[pat.ref.village.index()].place;
    const std::uint32_t center = path.ambulance_to[place];
    if (!pat.ambulance || center == kNone) return false;
    travel(p, center, place, VisitKind::FirstContact);
    return true;
}

/// After a balk, a renege or a closed door: try another candidate, or give up.
void CountyEngine::retry(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t place = c_.facilities[pat.facility].place;
    const bool again = std::holds_alternative<ChooseAgain>(
        after_setback(++pat.attempts, sc(pat).behaviour.max_attempts));
    if (!again || !choose(p, VisitKind::Retry, Level::Village, place))
        end_episode(p, EpisodeEnd::LeftUntreated);
}

void CountyEngine::fail(const std::string& what, std::uint32_t p) const {
    const auto& pat = patients_[p];
    fail_at(sim_.now(), pat.ref.episode,
            pat.facility == kNone ? "-" : c_.facilities[pat.facility].id, what);
}

}  // namespace cmasim::model::detail
