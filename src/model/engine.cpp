// Engine part 1: the run loop, demand (non-homogeneous Poisson per village), the patient pool and
// the first-contact choice (multinomial logit).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine_impl.h"

namespace cmasim::model {

ReplicationStats simulate_replication(const County& county, std::uint64_t replication,
                                      ModelObserver& observer) {
    detail::Engine engine(county, replication, observer);
    return engine.run();
}

namespace detail {

namespace {
constexpr SimTime kDrainLimit = 3 * 365 * sim::kDay;
}  // namespace

Engine::Engine(const County& county, std::uint64_t replication, ModelObserver& observer)
    : c_(county), s_(county.scenario), obs_(observer), key_{county.scenario.seed, replication} {
    end_ = c_.warmup + c_.horizon;
    fac_.resize(c_.facilities.size());
    expected_wait_.assign(c_.facilities.size(), 0.0);
    wait_weight_.assign(c_.facilities.size(), 1.0);
    contract_weight_ = std::exp(s_.choice.b_contract);
    for (std::size_t v = 0; v < c_.villages.size(); ++v) {
        demand_.emplace_back(key_, static_cast<std::uint64_t>(StreamPurpose::Demand), v);
    }
    next_arrival_.assign(c_.villages.size(), 0.0);
    for (std::size_t f = 0; f < c_.facilities.size(); ++f) {
        station_rng_.emplace_back(key_, static_cast<std::uint64_t>(StreamPurpose::Demand), (std::uint64_t{1} << 40) | f);
    }
    next_station_arrival_.assign(c_.facilities.size(), 0.0);
    station_service_.resize(c_.facilities.size());
    for (std::size_t f = 0; f < c_.facilities.size(); ++f) {
        if (c_.facilities[f].service_minutes > 0) {
            station_service_[f] = sim::Distribution::exponential(c_.facilities[f].service_minutes);
        }
    }
    episode_counter_.assign(c_.villages.size(), 0);
    contract_.assign((static_cast<std::size_t>(c_.population) + 3) / 4, 0);
    if (s_.insurance.outpatient_cap > 0) paid_outpatient_.assign(static_cast<std::size_t>(c_.population), 0);
    if (s_.insurance.inpatient_cap > 0) paid_inpatient_.assign(static_cast<std::size_t>(c_.population), 0);
    patients_.reserve(4096);
}

void Engine::start_run() {
    for (std::uint32_t f = 0; f < c_.facilities.size(); ++f) {
        const auto& fi = c_.facilities[f];
        fac_[f].open = fi.open_at(0);
        fac_[f].doctors = fi.doctors_at(0);
        const SimTime next = fi.next_change(0);
        if (next != WeeklySchedule::kNever) sim_.schedule_at(next, kSchedule, {EventKind::ScheduleChange, f, 0, 0});
    }
    if (!c_.stations.empty()) {
        start_network();
    } else if (!c_.scripted.empty()) {
        for (std::uint32_t i = 0; i < c_.scripted.size(); ++i) {
            sim_.schedule_at(c_.scripted[i].at, kMove, {EventKind::Scripted, i, 0, 0});
        }
    } else {
        for (std::uint32_t v = 0; v < c_.villages.size(); ++v) {
            const SimTime t = next_arrival_time(v, 0.0);
            if (t < end_) sim_.schedule_at(t, kMove, {EventKind::Arrival, v, 0, 0});
        }
    }
    sim_.schedule_at(c_.warmup, kYear, {EventKind::YearStart, 0, 0, 0});
}

ReplicationStats Engine::run() {
    start_run();
    auto handler = [this](const Event& e) { handle(e); };
    sim_.run_until(end_, handler);
    // Drain: no new arrivals; run until every open episode has ended.
    if (live_ > 0 && sim_.state() == sim::RunState::Ready) {
        auto drain = [this](const Event& e) {
            handle(e);
            if (live_ == 0) sim_.request_stop();
        };
        sim_.run_until(end_ + kDrainLimit, drain);
    }
    if (live_ > 0) throw std::runtime_error("episodes still open after the drain limit");
    stats_.events = sim_.events_processed();
    return stats_;
}

/// Dispatches one event. An error raised while handling a patient's event is re-raised with the
/// simulated time, the episode and the facility (STYLE.md: errors during a run carry them).
void Engine::handle(const Event& e) {
    try {
        dispatch(e);
    } catch (const std::exception& ex) {
        const bool about_patient = e.kind == EventKind::ReachFacility || e.kind == EventKind::ServiceEnd ||
                                   e.kind == EventKind::Renege || e.kind == EventKind::Discharge ||
                                   e.kind == EventKind::RemoteDone;
        if (about_patient) fail(ex.what(), e.id);
        throw std::runtime_error("at t=" + std::to_string(sim_.now()) + " s: " + ex.what());
    }
}

void Engine::dispatch(const Event& e) {
    switch (e.kind) {
        case EventKind::Arrival: arrival(e.id); break;
        case EventKind::ReachFacility: reach_facility(e.id); break;
        case EventKind::ServiceEnd: service_end(e.id); break;
        case EventKind::Renege: renege(e.id, e.gen); break;
        case EventKind::Discharge: discharge(e.id); break;
        case EventKind::ScheduleChange: schedule_change(e.id); break;
        case EventKind::YearStart: year_start(); break;
        case EventKind::Scripted: scripted_arrival(e.id); break;
        case EventKind::StationArrival: station_arrival(e.id); break;
        case EventKind::RemoteDone:
            patients_[e.id].remote_done = true;
            outcome(e.id);
            break;
    }
}

void Engine::schedule_change(std::uint32_t f) {
    const auto& fi = c_.facilities[f];
    fac_[f].open = fi.open_at(sim_.now());
    fac_[f].doctors = fi.doctors_at(sim_.now());
    if (fac_[f].open) serve_next(f);
    sim_.schedule_at(fi.next_change(sim_.now()), kSchedule, {EventKind::ScheduleChange, f, 0, 0});
}

void Engine::year_start() {
    std::fill(paid_outpatient_.begin(), paid_outpatient_.end(), 0);
    std::fill(paid_inpatient_.begin(), paid_inpatient_.end(), 0);
    const SimTime next = sim_.now() + 365 * sim::kDay;
    if (next < end_) sim_.schedule_at(next, kYear, {EventKind::YearStart, 0, 0, 0});
}

/// Exact inversion of the piecewise-constant intensity: an Exp(1) amount of cumulative hazard is
/// spent segment by segment, where segments end at month starts and at the edges of the daily
/// care-seeking window (the intensity is zero outside it and scaled up inside).
SimTime Engine::next_arrival_time(std::uint32_t v, double from) {
    const auto& village = c_.villages[v];
    const auto& b = s_.behaviour;
    const double day = static_cast<double>(sim::kDay);
    const double open_from = static_cast<double>(b.care_seeking_from);
    const double open_to = static_cast<double>(b.care_seeking_to);
    const double scale = day / (open_to - open_from);
    const auto horizon_end = static_cast<double>(end_);
    double hazard = -std::log(demand_[v].uniform());
    double t = from;
    while (t < horizon_end) {
        const double day_start = std::floor(t / day) * day;
        if (t < day_start + open_from) { t = day_start + open_from; continue; }
        if (t >= day_start + open_to) { t = day_start + day + open_from; continue; }
        const auto now = static_cast<SimTime>(std::floor(t));
        const double rate =
            scale * village.cumulative_rate[static_cast<std::size_t>(c_.month_of(now))].back();
        const double seg_end = std::min(day_start + open_to, static_cast<double>(c_.next_month_start(now)));
        if (rate > 0 && hazard < rate * (seg_end - t)) {
            t += hazard / rate;
            break;
        }
        hazard -= rate * (seg_end - t);
        t = seg_end;
    }
    next_arrival_[v] = t;
    return static_cast<SimTime>(std::ceil(t));
}

std::uint32_t Engine::new_patient(std::uint32_t v) {
    std::uint32_t p;
    if (!free_.empty()) {
        p = free_.back();
        free_.pop_back();
    } else {
        p = static_cast<std::uint32_t>(patients_.size());
        patients_.emplace_back();
    }
    // Keep the generation counting across reuse of the slot: stale queue entries and renege
    // events of the slot's previous patient must never match the new one.
    const std::uint32_t generation = patients_[p].generation + 1;
    patients_[p] = Patient{};
    auto& pat = patients_[p];
    pat.generation = generation;
    const auto& village = c_.villages[v];
    pat.ref.episode = (static_cast<std::uint64_t>(v) << 32) | episode_counter_[v]++;
    pat.ref.village = v;
    pat.ref.township = village.township;
    pat.ref.episode_start = sim_.now();
    ++live_;
    ++stats_.episodes_started;
    stats_.peak_patients = std::max<std::uint64_t>(stats_.peak_patients, live_);
    return p;
}

void Engine::arrival(std::uint32_t v) {
    const auto& village = c_.villages[v];
    auto& rng = demand_[v];
    const auto& cum = village.cumulative_rate[static_cast<std::size_t>(c_.month_of(sim_.now()))];
    const double u = rng.uniform() * cum.back();
    const auto k = static_cast<std::uint32_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
    const std::uint32_t category = std::min<std::uint32_t>(k, static_cast<std::uint32_t>(cum.size() - 1));
    begin_episode(v, category / 2, (category % 2) == 1, rng);
    const SimTime next = next_arrival_time(v, next_arrival_[v]);
    if (next < end_) sim_.schedule_at(next, kMove, {EventKind::Arrival, v, 0, 0});
}

void Engine::scripted_arrival(std::uint32_t index) {
    const auto& e = c_.scripted[index];
    begin_episode(e.village, e.condition, e.aged, demand_[e.village]);
}

void Engine::begin_episode(std::uint32_t v, std::uint32_t condition, bool aged, sim::RandomStream& rng) {
    const auto& village = c_.villages[v];
    const std::uint32_t p = new_patient(v);
    auto& pat = patients_[p];
    pat.ref.condition = condition;
    pat.aged = aged;
    const auto group = static_cast<std::uint64_t>(aged ? village.aged : village.population - village.aged);
    const std::uint64_t offset = aged ? 0 : static_cast<std::uint64_t>(village.aged);
    pat.person = village.first_person + offset + (group > 0 ? rng.below(group) : 0);
    pat.contracted = contracted(pat.person, village.contract_share);
    const auto& gate = s_.insurance.gatekeeping;
    pat.gatekept = pat.contracted && gate.enabled;
    obs_.episode_started(sim_.now(), pat.ref);
    // Gatekeeping: a compliant contracted resident first sees the family doctor.
    const bool comply = pat.gatekept && uniform(pat, StreamPurpose::Compliance) < gate.compliance;
    if (!(comply && choose(p, VisitKind::FirstContact, Level::Village, village.place, true)) &&
        !choose(p, VisitKind::FirstContact, Level::Village, village.place)) {
        end_episode(p, EpisodeEnd::LeftUntreated);
    }
}

bool Engine::contracted(std::uint64_t person, double contract_share) {
    std::uint8_t& cell = contract_[person / 4];
    const unsigned shift = 2 * static_cast<unsigned>(person % 4);
    unsigned status = (cell >> shift) & 3U;
    if (status == 0) {
        sim::RandomStream rng(key_, static_cast<std::uint64_t>(StreamPurpose::Person), person);
        status = rng.uniform() < contract_share ? 2U : 1U;
        cell = static_cast<std::uint8_t>(cell | (status << shift));
    }
    return status == 2;
}

double Engine::uniform(Patient& pat, StreamPurpose purpose) {
    auto& counter = pat.draws[static_cast<std::size_t>(purpose)];
    sim::RandomStream rng(key_, static_cast<std::uint64_t>(purpose), pat.ref.episode, counter);
    const double u = rng.uniform();
    counter = static_cast<std::uint32_t>(rng.draws());
    return u;
}

double Engine::sample(Patient& pat, StreamPurpose purpose, const sim::Distribution& d) {
    auto& counter = pat.draws[static_cast<std::size_t>(purpose)];
    sim::RandomStream rng(key_, static_cast<std::uint64_t>(purpose), pat.ref.episode, counter);
    const double x = d.sample(rng);
    counter = static_cast<std::uint32_t>(rng.draws());
    return x;
}

/// Multinomial logit over the village's candidates at or above min_level not yet tried. The weight
/// of candidate k is exp(utility_k) up to a common factor, computed as a product of precomputed
/// factors: static (County), wait (updated at each consultation), contract. Should every allowed
/// weight underflow or the sum overflow, exact_logit_weights() takes over.
bool Engine::choose(std::uint32_t p, VisitKind kind, Level min_level, std::uint32_t from_place,
                    bool contract_only) {
    auto& pat = patients_[p];
    const auto& village = c_.villages[pat.ref.village];
    const std::size_t row = village.static_row(pat.gatekept, pat.ref.condition, c_.conditions.size());
    const double* statics = village.static_weight.data() + row;
    double util[64];
    bool any = false;
    double total = 0;
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& cand = village.candidates[k];
        const bool allowed = (pat.tried >> k & 1U) == 0 && cand.level >= min_level &&
                             (!contract_only || cand.contract_facility);
        if (!allowed) { util[k] = -1; continue; }  // negative: never picked (see below)
        any = true;
        double w = statics[k] * wait_weight_[cand.facility];
        if (pat.contracted && cand.contract_facility) w *= contract_weight_;
        util[k] = w;
        total += w;
    }
    if (!any) return false;
    if (!(total > 0 && total < INFINITY)) total = exact_logit_weights(pat, village, row, util);
    double u = uniform(pat, StreamPurpose::Choice) * total;
    std::size_t pick = n;
    for (std::size_t k = 0; k < n; ++k) {
        if (util[k] <= 0) continue;
        pick = k;
        if (u < util[k]) break;
        u -= util[k];
    }
    pat.tried |= std::uint64_t{1} << pick;
    travel(p, village.candidates[pick].facility, from_place, kind);
    return true;
}

/// The logit weights in the log domain, exp(utility - best): slower (one exp per candidate) but
/// immune to underflow and overflow. Overwrites w for the candidates choose() allowed (w >= 0;
/// the others are negative and stay so) and returns the sum over the allowed.
double Engine::exact_logit_weights(const Patient& pat, const VillageInfo& village, std::size_t row, double* w) const {
    const auto& ch = s_.choice;
    const double* statics = village.static_utility.data() + row;
    const std::size_t n = std::min<std::size_t>(village.candidates.size(), 64);
    double util[64];
    double best = -INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] < 0) continue;  // not allowed (an allowed weight here is 0, inf or nan)
        const auto& cand = village.candidates[k];
        util[k] = statics[k] + ch.b_wait * expected_wait_[cand.facility] +
                  (pat.contracted && cand.contract_facility ? ch.b_contract : 0.0);
        best = std::max(best, util[k]);
    }
    double total = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (w[k] < 0) continue;
        w[k] = std::exp(util[k] - best);
        total += w[k];
    }
    return total;
}

void Engine::travel(std::uint32_t p, std::uint32_t facility, std::uint32_t from_place, VisitKind kind) {
    auto& pat = patients_[p];
    pat.facility = facility;
    pat.kind = kind;
    pat.stage = Stage::Travelling;
    obs_.facility_chosen(sim_.now(), pat.ref, facility, kind);
    const double minutes = c_.minutes(from_place, c_.facilities[facility].place);
    sim_.schedule_in(sim::round_half_away(minutes * 60.0), kMove, {EventKind::ReachFacility, p, 0, 0});
}

/// After a balk, a renege or a closed door: try another candidate, or give up.
void Engine::retry(std::uint32_t p) {
    auto& pat = patients_[p];
    const std::uint32_t place = c_.facilities[pat.facility].place;
    if (++pat.attempts >= s_.behaviour.max_attempts ||
        !choose(p, VisitKind::Retry, Level::Village, place)) {
        end_episode(p, EpisodeEnd::LeftUntreated);
    }
}

void Engine::end_episode(std::uint32_t p, EpisodeEnd how) {
    auto& pat = patients_[p];
    obs_.episode_ended(sim_.now(), pat.ref, how);
    pat.stage = Stage::Free;
    ++pat.generation;
    free_.push_back(p);
    --live_;
    ++stats_.episodes_ended;
}

void Engine::fail(const std::string& what, std::uint32_t p) const {
    const auto& pat = patients_[p];
    const std::string fac = pat.facility == kNone ? "-" : c_.facilities[pat.facility].id;
    throw std::runtime_error("at t=" + std::to_string(sim_.now()) + " s, episode " +
                             std::to_string(pat.ref.episode) + ", facility " + fac + ": " + what);
}

}  // namespace detail
}  // namespace cmasim::model
