// Exact, deterministic micro-scenarios: a few scripted patients in the tiny counties of
// tests/data/micro/, each trace derived by hand from the rules. Read the header of
// tests/data/micro/county.yaml first: roads v1 -15- town -30- seat -60- city (minutes), every
// consultation 600 s, every stay 5 days = 432000 s, first contact always the village clinic.
//
// Bills (fen; fees from the file, ratios 0.6/0.5/0.2/0.1 outpatient, 0.8/0.7/0.6 inpatient):
//   v1_clinic visit      1000 = fund 600 + oop 400
//   t1_center visit      2000 = fund 1000 + oop 1000
//   county_hospital      5000 = fund 1000 + oop 4000
//   city_hospital       10000 = fund 1000 + oop 9000 (referred, so no penalty)
//   county admission   400000 (3000 + 5 x 200 yuan): deductible 60000, fund 0.7 x 340000 = 238000
//   city admission    1000000 (8000 + 5 x 400 yuan): deductible 150000, fund 0.6 x 850000 = 510000
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cmasim/model/county.h"
#include "cmasim/model/engine.h"
#include "cmasim/model/trace.h"
#include "cmasim/scenario/loader.h"

namespace {

using cmasim::scenario::Scenario;
using cmasim::scenario::ScriptedEpisode;
using Lines = std::vector<std::string>;

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kTuesday0900 = kDay + 9 * 3600;   // 118800
constexpr std::int64_t kTuesday1400 = kDay + 14 * 3600;  // 136800

std::string micro_file(const char* name) {
    return std::string(CMASIM_SOURCE_DIR) + "/tests/data/micro/" + name;
}

/// Loads a micro county, adds the scripted episodes, applies a tweak, runs replication 0 and
/// returns the trace. Also checks that every episode ended.
Lines run_trace(const char* file, const std::vector<ScriptedEpisode>& episodes,
                const std::function<void(Scenario&)>& tweak = {}) {
    Scenario s = cmasim::scenario::load_scenario(micro_file(file));
    for (const auto& e : episodes) s.episodes.push_back(e);
    if (tweak) tweak(s);
    const cmasim::model::County county = cmasim::model::compile_county(s);
    cmasim::model::TraceRecorder trace(county);
    const auto stats = cmasim::model::simulate_replication(county, 0, trace);
    EXPECT_EQ(stats.episodes_started, episodes.size());
    EXPECT_EQ(stats.episodes_ended, episodes.size());
    return trace.lines();
}

/// Compares line by line so that a failure names the first differing line.
void expect_trace(const Lines& actual, const Lines& expected) {
    for (std::size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
        EXPECT_EQ(actual[i], expected[i]) << "trace line " << i;
    }
    EXPECT_EQ(actual.size(), expected.size());
    if (actual != expected) {
        std::string all;
        for (const auto& l : actual) all += l + "\n";
        ADD_FAILURE() << "actual trace:\n" << all;
    }
}

ScriptedEpisode serious_at(std::int64_t t) {
    return ScriptedEpisode{t, "v1", "serious", false};
}
ScriptedEpisode minor_at(std::int64_t t) {
    return ScriptedEpisode{t, "v1", "minor", false};
}

// (a) Up the referral chain and back down. The clinic cannot treat `serious`; its rule sends
// patients to the home township, which cannot treat it either, so the referral target is the
// first facility along the chain that can: the county hospital. Admitted (p = 1) for 5 days,
// then down-referred (p = 1) to t1_center for 2 visits 7 days apart.
TEST(MicroTrace, ReferredUpPastTownshipThenDown) {
    const Lines expected = {
        // Tuesday 09:00; the clinic is in the village (0 min away) and free.
        "t=118800 ep=0:0 start v1 serious",
        "t=118800 ep=0:0 go v1_clinic first_contact",
        "t=118800 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=118800 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        // After 600 s: referred past t1_center straight to the county hospital.
        "t=119400 ep=0:0 refer_up v1_clinic -> county_hospital",
        "t=119400 ep=0:0 go county_hospital referred",
        // v1 -> seat is 15 + 30 = 45 min = 2700 s.
        "t=122100 ep=0:0 consult county_hospital referred wait=0 dur=600",
        "t=122100 ep=0:0 bill_outpatient county_hospital total=5000 fund=1000 oop=4000 "
        "deductible=0",
        "t=122700 ep=0:0 admit county_hospital bed_wait=0 stay=432000",
        "t=122700 ep=0:0 bill_inpatient county_hospital total=400000 fund=238000 oop=162000 "
        "deductible=60000",
        // 122700 + 432000.
        "t=554700 ep=0:0 discharge county_hospital",
        "t=554700 ep=0:0 refer_down county_hospital -> t1_center",
        "t=554700 ep=0:0 go t1_center down_referred",
        // seat -> town is 30 min = 1800 s.
        "t=556500 ep=0:0 consult t1_center down_referred wait=0 dur=600",
        "t=556500 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        // Second visit 7 days after the first ended: 557100 + 604800.
        "t=1161900 ep=0:0 consult t1_center down_referred wait=0 dur=600",
        "t=1161900 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1162500 ep=0:0 end discharged",
    };
    expect_trace(run_trace("county.yaml", {serious_at(kTuesday0900)}), expected);
}

// The start of both full-ward traces: A at 09:00, B 600 s later, both with `serious`. A's
// consultation ends (release) before B's episode starts (move) at 119400. Both reach the county
// hospital 2700 s after leaving the clinic; at 122700 A's consultation ends before B arrives,
// so B is seen at once and needs the only bed, which A holds, at 123300.
Lines two_serious_patients_until_full_ward() {
    return {
        "t=118800 ep=0:0 start v1 serious",
        "t=118800 ep=0:0 go v1_clinic first_contact",
        "t=118800 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=118800 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=119400 ep=0:0 refer_up v1_clinic -> county_hospital",
        "t=119400 ep=0:0 go county_hospital referred",
        "t=119400 ep=0:1 start v1 serious",
        "t=119400 ep=0:1 go v1_clinic first_contact",
        "t=119400 ep=0:1 consult v1_clinic first_contact wait=0 dur=600",
        "t=119400 ep=0:1 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=120000 ep=0:1 refer_up v1_clinic -> county_hospital",
        "t=120000 ep=0:1 go county_hospital referred",
        "t=122100 ep=0:0 consult county_hospital referred wait=0 dur=600",
        "t=122100 ep=0:0 bill_outpatient county_hospital total=5000 fund=1000 oop=4000 "
        "deductible=0",
        "t=122700 ep=0:0 admit county_hospital bed_wait=0 stay=432000",
        "t=122700 ep=0:0 bill_inpatient county_hospital total=400000 fund=238000 oop=162000 "
        "deductible=60000",
        "t=122700 ep=0:1 consult county_hospital referred wait=0 dur=600",
        "t=122700 ep=0:1 bill_outpatient county_hospital total=5000 fund=1000 oop=4000 "
        "deductible=0",
    };
}

// (b) full_ward: wait. B waits in the bed queue from 123300 until A's discharge at 554700:
// bed_wait = 554700 - 123300 = 431400 s. The freed bed goes to B before A is sent down.
TEST(MicroTrace, FullWardWaitTakesTheFreedBed) {
    Lines expected = two_serious_patients_until_full_ward();
    const Lines rest = {
        "t=554700 ep=0:0 discharge county_hospital",
        "t=554700 ep=0:1 admit county_hospital bed_wait=431400 stay=432000",
        "t=554700 ep=0:1 bill_inpatient county_hospital total=400000 fund=238000 oop=162000 "
        "deductible=60000",
        "t=554700 ep=0:0 refer_down county_hospital -> t1_center",
        "t=554700 ep=0:0 go t1_center down_referred",
        "t=556500 ep=0:0 consult t1_center down_referred wait=0 dur=600",
        "t=556500 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        // B: 554700 + 432000 = 986700; +1800 s to town.
        "t=986700 ep=0:1 discharge county_hospital",
        "t=986700 ep=0:1 refer_down county_hospital -> t1_center",
        "t=986700 ep=0:1 go t1_center down_referred",
        "t=988500 ep=0:1 consult t1_center down_referred wait=0 dur=600",
        "t=988500 ep=0:1 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1161900 ep=0:0 consult t1_center down_referred wait=0 dur=600",
        "t=1161900 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1162500 ep=0:0 end discharged",
        // 989100 + 604800.
        "t=1593900 ep=0:1 consult t1_center down_referred wait=0 dur=600",
        "t=1593900 ep=0:1 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1594500 ep=0:1 end discharged",
    };
    expected.insert(expected.end(), rest.begin(), rest.end());
    expect_trace(
        run_trace("county.yaml", {serious_at(kTuesday0900), serious_at(kTuesday0900 + 600)}),
        expected);
}

// (b') full_ward: refer. At 123300 B is referred up by the county hospital's rule to the city
// hospital (60 min away, unlimited), admitted there, and later sent down 90 min to t1_center.
TEST(MicroTrace, FullWardReferSendsSecondPatientUp) {
    Lines expected = two_serious_patients_until_full_ward();
    const Lines rest = {
        "t=123300 ep=0:1 refer_up county_hospital -> city_hospital",
        "t=123300 ep=0:1 go city_hospital referred",
        "t=126900 ep=0:1 consult city_hospital referred wait=0 dur=600",
        "t=126900 ep=0:1 bill_outpatient city_hospital total=10000 fund=1000 oop=9000 deductible=0",
        "t=127500 ep=0:1 admit city_hospital bed_wait=0 stay=432000",
        "t=127500 ep=0:1 bill_inpatient city_hospital total=1000000 fund=510000 oop=490000 "
        "deductible=150000",
        "t=554700 ep=0:0 discharge county_hospital",
        "t=554700 ep=0:0 refer_down county_hospital -> t1_center",
        "t=554700 ep=0:0 go t1_center down_referred",
        "t=556500 ep=0:0 consult t1_center down_referred wait=0 dur=600",
        "t=556500 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        // B: 127500 + 432000 = 559500; city -> town is 60 + 30 min = 5400 s.
        "t=559500 ep=0:1 discharge city_hospital",
        "t=559500 ep=0:1 refer_down city_hospital -> t1_center",
        "t=559500 ep=0:1 go t1_center down_referred",
        "t=564900 ep=0:1 consult t1_center down_referred wait=0 dur=600",
        "t=564900 ep=0:1 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1161900 ep=0:0 consult t1_center down_referred wait=0 dur=600",
        "t=1161900 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1162500 ep=0:0 end discharged",
        // 565500 + 604800.
        "t=1170300 ep=0:1 consult t1_center down_referred wait=0 dur=600",
        "t=1170300 ep=0:1 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=1170900 ep=0:1 end discharged",
    };
    expected.insert(expected.end(), rest.begin(), rest.end());
    auto refer = [](Scenario& s) {
        s.behaviour.full_ward = cmasim::scenario::FullWardAction::Refer;
    };
    expect_trace(
        run_trace("county.yaml", {serious_at(kTuesday0900), serious_at(kTuesday0900 + 600)}, refer),
        expected);
}

// (c) The clinic opens Mon-Fri 08:00-12:00. A patient arriving Tuesday 14:00 with
// closed_facility: wait is seen when it opens, Wednesday 08:00 = 2 x 86400 + 28800 = 201600;
// the queueing wait counts from the opening, so it is 0.
TEST(MicroTrace, ClosedClinicWaitForOpening) {
    const Lines expected = {
        "t=136800 ep=0:0 start v1 minor",
        "t=136800 ep=0:0 go v1_clinic first_contact",
        "t=201600 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=201600 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=202200 ep=0:0 end treated",
    };
    expect_trace(run_trace("closed_clinic.yaml", {minor_at(kTuesday1400)}), expected);
}

// (c') Same, closed_facility: choose_again. The patient finds the door shut and chooses again
// among the untried candidates: t1_center (15 min from the clinic) beats the hospitals by 50.
TEST(MicroTrace, ClosedClinicChooseAgain) {
    const Lines expected = {
        "t=136800 ep=0:0 start v1 minor",
        "t=136800 ep=0:0 go v1_clinic first_contact",
        "t=136800 ep=0:0 go t1_center retry",
        "t=137700 ep=0:0 consult t1_center retry wait=0 dur=600",
        "t=137700 ep=0:0 bill_outpatient t1_center total=2000 fund=1000 oop=1000 deductible=0",
        "t=138300 ep=0:0 end treated",
    };
    auto choose_again = [](Scenario& s) {
        s.behaviour.closed_facility = cmasim::scenario::ClosedAction::ChooseAgain;
    };
    expect_trace(run_trace("closed_clinic.yaml", {minor_at(kTuesday1400)}, choose_again), expected);
}

// (c'') Choose again when every remaining logit weight underflows: with b_cost = -50 per yuan, a
// free village clinic and a 40-yuan township visit (20 yuan out of pocket), the centre's weight
// relative to the clinic is exp(-1050), which is 0 in double precision, and the hospitals' even
// less. The choice must fall back to the log domain and still pick the best remaining candidate,
// the centre, instead of finding nothing (or indexing past the candidates).
TEST(MicroTrace, ChooseAgainWhenEveryWeightUnderflows) {
    auto tweak = [](Scenario& s) {
        s.behaviour.closed_facility = cmasim::scenario::ClosedAction::ChooseAgain;
        s.choice.b_cost = -50;
        for (auto& c : s.conditions) {
            c.outpatient_fee[0] = 0;     // village
            c.outpatient_fee[1] = 4000;  // township: 40 yuan, fund pays half
        }
    };
    const Lines trace = run_trace("closed_clinic.yaml", {minor_at(kTuesday1400)}, tweak);
    ASSERT_GE(trace.size(), 4U);
    EXPECT_EQ(trace[1], "t=136800 ep=0:0 go v1_clinic first_contact");
    EXPECT_EQ(trace[2], "t=136800 ep=0:0 go t1_center retry");
    EXPECT_EQ(trace.back(), "t=138300 ep=0:0 end treated");
}

// (c) variant: Friday 13:00 (4 x 86400 + 46800 = 392400), after Friday's hours: the next
// opening is Monday 08:00 of the second week, 7 x 86400 + 28800 = 633600.
TEST(MicroTrace, ClosedClinicWaitOverTheWeekend) {
    const Lines expected = {
        "t=392400 ep=0:0 start v1 minor",
        "t=392400 ep=0:0 go v1_clinic first_contact",
        "t=633600 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=633600 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=634200 ep=0:0 end treated",
    };
    expect_trace(run_trace("closed_clinic.yaml", {minor_at(4 * kDay + 13 * 3600)}), expected);
}

// (c'') A patient who arrives during opening hours is not held up: Tuesday 09:00.
TEST(MicroTrace, ClosedClinicOpenArrivalIsServedAtOnce) {
    const Lines expected = {
        "t=118800 ep=0:0 start v1 minor",
        "t=118800 ep=0:0 go v1_clinic first_contact",
        "t=118800 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=118800 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=119400 ep=0:0 end treated",
    };
    expect_trace(run_trace("closed_clinic.yaml", {minor_at(kTuesday0900)}), expected);
}

// (d) One doctor, three patients: A and B at 09:00, C one minute later. FIFO: B waits exactly
// A's 600 s consultation; C waits until B is done, 1200 - 60 = 1140 s. At the end of a
// consultation the doctor calls the next patient before the finished one leaves.
TEST(MicroTrace, OneDoctorServesInArrivalOrder) {
    const Lines expected = {
        "t=118800 ep=0:0 start v1 minor",
        "t=118800 ep=0:0 go v1_clinic first_contact",
        "t=118800 ep=0:1 start v1 minor",
        "t=118800 ep=0:1 go v1_clinic first_contact",
        "t=118800 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=118800 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=118860 ep=0:2 start v1 minor",
        "t=118860 ep=0:2 go v1_clinic first_contact",
        "t=119400 ep=0:1 consult v1_clinic first_contact wait=600 dur=600",
        "t=119400 ep=0:1 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=119400 ep=0:0 end treated",
        "t=120000 ep=0:2 consult v1_clinic first_contact wait=1140 dur=600",
        "t=120000 ep=0:2 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=120000 ep=0:1 end treated",
        "t=120600 ep=0:2 end treated",
    };
    expect_trace(run_trace("county.yaml", {minor_at(kTuesday0900), minor_at(kTuesday0900),
                                           minor_at(kTuesday0900 + 60)}),
                 expected);
}

// (d') Two doctors: the same three patients never queue.
TEST(MicroTrace, TwoDoctorsServeTwoAtOnce) {
    const Lines expected = {
        "t=118800 ep=0:0 start v1 minor",
        "t=118800 ep=0:0 go v1_clinic first_contact",
        "t=118800 ep=0:1 start v1 minor",
        "t=118800 ep=0:1 go v1_clinic first_contact",
        "t=118800 ep=0:0 consult v1_clinic first_contact wait=0 dur=600",
        "t=118800 ep=0:0 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=118800 ep=0:1 consult v1_clinic first_contact wait=0 dur=600",
        "t=118800 ep=0:1 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=118860 ep=0:2 start v1 minor",
        "t=118860 ep=0:2 go v1_clinic first_contact",
        // C queues behind two busy doctors until the first is free: 119400 - 118860 = 540 s.
        "t=119400 ep=0:2 consult v1_clinic first_contact wait=540 dur=600",
        "t=119400 ep=0:2 bill_outpatient v1_clinic total=1000 fund=600 oop=400 deductible=0",
        "t=119400 ep=0:0 end treated",
        "t=119400 ep=0:1 end treated",
        "t=120000 ep=0:2 end treated",
    };
    auto two_doctors = [](Scenario& s) {
        for (auto& f : s.facilities) {
            if (f.id == "v1_clinic") f.doctors = 2;
        }
    };
    expect_trace(
        run_trace("county.yaml",
                  {minor_at(kTuesday0900), minor_at(kTuesday0900), minor_at(kTuesday0900 + 60)},
                  two_doctors),
        expected);
}

// ---- Patients must never be stranded: a county the loader accepts either runs to the end with
// every episode closed, or is rejected with a message. These variants of county.yaml are edited
// as text so that the loader's own checks run.

/// county.yaml with each (from, to) replacement applied once, loaded and compiled; then the
/// scripted patients are run. Passes if loading rejects the file or every episode ends.
void expect_rejected_or_all_episodes_end(
    const std::vector<std::pair<std::string, std::string>>& edits,
    const std::vector<ScriptedEpisode>& episodes) {
    std::ifstream in(micro_file("county.yaml"));
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    for (const auto& [from, to] : edits) {
        const auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    }
    cmasim::model::County county;
    try {
        Scenario s = cmasim::scenario::load_scenario_string(text, "county-variant.yaml");
        for (const auto& e : episodes) s.episodes.push_back(e);
        county = cmasim::model::compile_county(s);
    } catch (const std::exception& e) {
        SUCCEED() << "rejected: " << e.what();
        return;
    }
    cmasim::model::TraceRecorder trace(county);
    cmasim::model::ReplicationStats stats;
    ASSERT_NO_THROW(stats = cmasim::model::simulate_replication(county, 0, trace));
    EXPECT_EQ(stats.episodes_ended, episodes.size());
}

// The county hospital has no beds and no rule above it: a patient it admits is put in the bed
// queue of a ward with no beds and waits forever.
TEST(MicroStranded, AdmissionWithoutBedsOrReferralTarget) {
    expect_rejected_or_all_episodes_end(
        {{"lead: true, doctors: 1, beds: 1,", "lead: true, doctors: 1, beds: 0,"},
         {"    - {from: county_hospital, to: city_hospital}\n", ""}},
        {serious_at(kTuesday0900)});
}

// The village clinic has no doctors but is open and still offered for first contact: a patient
// without patience queues there forever.
TEST(MicroStranded, ClinicWithoutDoctors) {
    expect_rejected_or_all_episodes_end(
        {{"village: v1, township: t1, doctors: 1,", "village: v1, township: t1, doctors: 0,"}},
        {minor_at(kTuesday0900)});
}

/// Outpatients are seen 08:00-17:00 every day.
void open_by_day(cmasim::scenario::Facility& f) {
    cmasim::scenario::OpeningWindow day;
    day.days.fill(true);
    day.from = 8 * 3600;
    day.to = 17 * 3600;
    f.opening.always = false;
    f.opening.windows = {day};
}

// (e) An emergency at night. The county hospital sees outpatients 08:00-17:00 only; the city
// hospital has no emergency service here, so the county hospital's is the only one. A serious
// emergency starting Tuesday 02:00 (86400 + 7200 = 93600) skips the village clinic (no
// emergency service), reaches the county hospital 45 min later and is seen at once, at night,
// by the emergency service; the ward takes it at any hour. Emergency episodes are numbered
// apart from the others (sequence 2^31), so the daytime episodes keep their random streams.
TEST(MicroTrace, EmergencyAtNightIsSeenAtOnce) {
    auto daytime_county = [](Scenario& s) {
        for (auto& f : s.facilities) {
            if (f.id == "county_hospital") open_by_day(f);
            if (f.id == "city_hospital") f.emergency = false;
        }
    };
    ScriptedEpisode night{kDay + 2 * 3600, "v1", "serious", false};
    night.emergency = true;
    const Lines expected = {
        "t=93600 ep=0:2147483648 start v1 serious",
        "t=93600 ep=0:2147483648 go county_hospital first_contact",
        "t=96300 ep=0:2147483648 consult county_hospital first_contact wait=0 dur=600 emergency",
        "t=96300 ep=0:2147483648 bill_outpatient county_hospital total=5000 fund=1000 oop=4000 "
        "deductible=0",
        "t=96900 ep=0:2147483648 admit county_hospital bed_wait=0 stay=432000",
        "t=96900 ep=0:2147483648 bill_inpatient county_hospital total=400000 fund=238000 "
        "oop=162000 deductible=60000",
        "t=528900 ep=0:2147483648 discharge county_hospital",
        "t=528900 ep=0:2147483648 refer_down county_hospital -> t1_center",
        "t=528900 ep=0:2147483648 go t1_center down_referred",
        // The down-referral visits are ordinary visits, not emergencies.
        "t=530700 ep=0:2147483648 consult t1_center down_referred wait=0 dur=600",
        "t=530700 ep=0:2147483648 bill_outpatient t1_center total=2000 fund=1000 oop=1000 "
        "deductible=0",
        "t=1136100 ep=0:2147483648 consult t1_center down_referred wait=0 dur=600",
        "t=1136100 ep=0:2147483648 bill_outpatient t1_center total=2000 fund=1000 oop=1000 "
        "deductible=0",
        "t=1136700 ep=0:2147483648 end discharged",
    };
    expect_trace(run_trace("county.yaml", {night}, daytime_county), expected);
}

// (e') Without the emergency service the same night-time patient is an outpatient: referred up
// from the village clinic, it waits at the county hospital's door until 08:00 (Tuesday 08:00 =
// 86400 + 28800 = 115200).
TEST(MicroTrace, EmergencyWithoutServiceWaitsForOpening) {
    auto no_service = [](Scenario& s) {
        for (auto& f : s.facilities) {
            if (f.id == "county_hospital") open_by_day(f);
            f.emergency = false;
        }
    };
    ScriptedEpisode night{kDay + 2 * 3600, "v1", "serious", false};
    night.emergency = true;
    const Lines trace = run_trace("county.yaml", {night}, no_service);
    ASSERT_GE(trace.size(), 7U);
    EXPECT_EQ(trace[1], "t=93600 ep=0:2147483648 go v1_clinic first_contact");
    EXPECT_EQ(trace[5], "t=94200 ep=0:2147483648 go county_hospital referred");
    EXPECT_EQ(trace[6], "t=115200 ep=0:2147483648 consult county_hospital referred wait=0 dur=600");
}

}  // namespace

// The trace file starts with the names of the ids its lines use (issue 13 item 8), then the
// lines as lines() has them.
TEST(Micro, TraceFileStartsWithTheNamesOfItsIds) {
    const Scenario s =
        cmasim::scenario::load_scenario(std::string(CMASIM_SOURCE_DIR) + "/scenarios/tiny.yaml");
    const cmasim::model::County county = cmasim::model::compile_county(s);
    cmasim::model::TraceRecorder trace(county);
    std::ostringstream out;
    trace.write(out);
    const std::string text = out.str();
    EXPECT_EQ(text.rfind("# trace of replication 0:", 0), 0u) << text;
    EXPECT_NE(text.find("\n# township east East township\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\n# facility county_hospital County People's Hospital\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("# facility e1_clinic"), std::string::npos) << "e1_clinic has no name";
}

// Every event line carries the names of the ids it uses after a tab (issue 16 item 3): a
// referral names both facilities, an unnamed facility is shown by its id, and lines() keeps the
// ids alone.
TEST(Micro, TraceFileLinesCarryTheNamesOfTheirIds) {
    const Scenario s =
        cmasim::scenario::load_scenario(std::string(CMASIM_SOURCE_DIR) + "/scenarios/tiny.yaml");
    const cmasim::model::County county = cmasim::model::compile_county(s);
    const auto facility = [&](const std::string& id) {
        std::uint32_t i = 0;
        while (county.facilities[i].id != id) ++i;
        return cmasim::model::FacilityId(i);
    };
    cmasim::model::TraceRecorder trace(county);
    const cmasim::model::PatientRef patient{};
    trace.handle(cmasim::model::Referred{0, patient, cmasim::model::ReferralKind::Up,
                                         facility("e1_clinic"), facility("county_hospital")});
    trace.handle(cmasim::model::EpisodeEnded{0, patient, cmasim::model::EpisodeEnd::Treated});
    std::ostringstream out;
    trace.write(out);
    EXPECT_NE(out.str().find(
                  " refer_up e1_clinic -> county_hospital\t# e1_clinic County People's Hospital\n"),
              std::string::npos)
        << out.str();
    EXPECT_NE(out.str().find(" end treated\n"), std::string::npos) << out.str();
    EXPECT_EQ(trace.lines()[0].find('#'), std::string::npos) << trace.lines()[0];
}
