#include "cmasim/indicators/table.h"

#include <algorithm>
#include <limits>

#include "cmasim/util/level.h"

namespace cmasim::indicators {

namespace {

using util::Level;

constexpr const char* kRates = "Visits and rates";
constexpr const char* kReferrals = "Referrals";
constexpr const char* kWaiting = "Waiting";
constexpr const char* kCapacity = "Capacity";
constexpr const char* kMoney = "Money";
constexpr const char* kAccess = "Access";
constexpr const char* kOther = "Other";

/// A row with no official Chinese name (named() adds one).
IndicatorInfo row(std::string key, std::string label, std::string unit, std::string description,
                  int decimals, const std::string& section) {
    return {std::move(key),
            std::move(label),
            std::move(unit),
            std::move(description),
            decimals,
            section,
            {}};
}

IndicatorInfo rate(std::string key, std::string label, std::string description,
                   const std::string& section) {
    return row(std::move(key), std::move(label), "proportion", std::move(description), 3, section);
}

/// `info` with the official Chinese name the policy documents give it (docs/model.md §7).
IndicatorInfo named(IndicatorInfo info, std::string chinese) {
    info.chinese = std::move(chinese);
    return info;
}

IndicatorInfo count(std::string key, std::string label, std::string description,
                    const std::string& section, int decimals) {
    return row(std::move(key), std::move(label), "count", std::move(description), decimals,
               section);
}

std::vector<IndicatorInfo> visit_indicators() {
    return {
        named(rate("in_county_rate", "In-county encounters",
                   "Outpatient visits plus admissions at in-county facilities / all encounters.",
                   kRates),
              "县域就诊率"),
        named(rate("in_county_inpatient_rate", "In-county admissions",
                   "Admissions at in-county facilities / all admissions.", kRates),
              "县域内住院人次占比"),
        rate("admission_share_township", "Township share of admissions",
             "Admissions at township health centers / all admissions of the county's residents "
             "(in the county or outside it): the evaluations' share of inpatients treated in "
             "township hospitals (IJIC 2019, doi:10.5334/ijic.4193; docs/calibration.md).",
             kRates),
        named(rate("grassroots_share", "Grassroots share, in-county visits",
                   "Outpatient and emergency visits at village clinics and township centers / "
                   "all outpatient and emergency visits at in-county facilities (the "
                   "evaluations' 基层就诊率; docs/model.md §7).",
                   kRates),
              "基层诊疗量占比"),
        rate("grassroots_rate", "Residents' grassroots visit share",
             "The residents' view: their visits at village clinics and township centers / all "
             "their outpatient and emergency visits, in the county or outside it.",
             kRates),
        row("visits_per_capita", "Outpatient visits per resident", "visits/resident/yr",
            "Outpatient visits per resident, scaled to a year.", 2, kRates),
        row("admissions_per_100", "Admissions per 100 residents", "per 100 residents/yr",
            "Admissions per 100 residents, scaled to a year.", 2, kRates),
        count("episodes", "Episodes of illness", "Episodes starting in the horizon.", kRates, 0),
        count("episodes_no_visit", "Episodes without a formal visit",
              "Episodes starting in the horizon whose patient took the outside option "
              "(self-treatment, a pharmacy, waiting it out) over every facility.",
              kRates, 0),
        rate("no_visit_share", "Share of episodes without a visit",
             "Episodes without a formal visit / episodes starting in the horizon (per county and "
             "condition). Compare the health services survey's two-week non-visit share "
             "(两周患病未就诊比例), which counts people ill in a two-week recall instead.",
             kRates),
        count("visits", "Outpatient visits", "Outpatient consultations in the horizon.", kRates, 0),
        count("admissions", "Admissions", "Inpatient admissions in the horizon.", kRates, 0),
        count("admissions_declined", "Admissions declined",
              "Admissions a doctor advised that the patient declined (outpatient care instead) "
              "in the horizon (docs/model.md §4).",
              kRates, 0),
        rate("admission_decline_share", "Share of advised admissions declined",
             "Admissions declined / (admissions declined + admissions). Compare the health "
             "services survey's share of people a doctor said should be admitted who were not "
             "(应住院未住院比例; 21.5% in 2018), which counts people over a year, not advice.",
             kRates),
        count("visits_village", "Visits at village clinics",
              "Outpatient visits at village clinics.", kRates, 0),
        count("visits_township", "Visits at township centers",
              "Outpatient visits at township centers.", kRates, 0),
        count("visits_county", "Visits at county hospitals",
              "Outpatient visits at county-level facilities.", kRates, 0),
        count("visits_external", "Visits outside the county",
              "Outpatient visits at external facilities.", kRates, 0),
        count("emergency_visits", "Emergency visits",
              "Visits of emergency episodes seen by a facility's emergency service (also counted "
              "in the visits).",
              kRates, 0),
        rate("out_of_county_share", "Encounters outside the county",
             "Visits plus admissions at external facilities / all visits plus admissions (per "
             "condition).",
             kRates),
        rate("contracted_grassroots_share", "Contracted: grassroots share",
             "Contracted residents' visits at village clinics and township centers / their "
             "visits at in-county facilities.",
             kRates),
        count("contracted_visits", "Contracted residents' visits",
              "Outpatient and emergency visits of residents holding a family-doctor contract.",
              kRates, 0),
    };
}

IndicatorInfo per_10k(std::string key, std::string label, std::string what) {
    return row(std::move(key), std::move(label), "per 10k residents",
               what + " per 10,000 residents per year.", 2, kReferrals);
}

std::vector<IndicatorInfo> referral_indicators() {
    return {
        named(count("up_referrals", "Up-referrals", "Referrals to a higher level.", kReferrals, 1),
              "上转人次"),
        named(count("down_referrals", "Down-referrals",
                    "Referrals after discharge to the home township center or village clinic.",
                    kReferrals, 1),
              "下转人次"),
        named(count("out_of_county_referrals", "Out-of-county referrals",
                    "Referrals to facilities outside the county.", kReferrals, 1),
              "县外转诊"),
        named(rate("out_of_county_referral_rate", "Out-of-county referral rate",
                   "Up-referrals to facilities outside the county / episodes of illness starting "
                   "in the horizon (the share of patients referred out; docs/model.md §7).",
                   kReferrals),
              "县外转诊率"),
        count("contracted_up_referrals", "Contracted: up-referrals",
              "Up-referrals of residents holding a family-doctor contract.", kReferrals, 1),
        count("contracted_down_referrals", "Contracted: down-referrals",
              "Down-referrals of residents holding a family-doctor contract.", kReferrals, 1),
        count("self_referrals", "Self-referrals",
              "Patients who went up a level without a referral.", kReferrals, 1),
        per_10k("up_referrals_per_10k", "Up-referrals per 10k", "Up-referrals"),
        per_10k("down_referrals_per_10k", "Down-referrals per 10k", "Down-referrals"),
        per_10k("out_of_county_referrals_per_10k", "Out-of-county referrals per 10k",
                "Out-of-county referrals"),
        per_10k("self_referrals_per_10k", "Self-referrals per 10k", "Self-referrals"),
        rate("bypass_rate", "Bypass rate",
             "First contacts above village/township level for conditions the grassroots could "
             "treat / all first contacts for those conditions.",
             kReferrals),
    };
}

IndicatorInfo wait(std::string key, std::string label, std::string unit, std::string description) {
    return row(std::move(key), std::move(label), std::move(unit), std::move(description), 1,
               kWaiting);
}

std::vector<IndicatorInfo> waiting_indicators() {
    std::vector<IndicatorInfo> out;
    for (const Level level : {Level::Village, Level::Township, Level::County, Level::External}) {
        const std::string l = util::to_string(level);
        out.push_back(
            wait("wait_minutes_mean_" + l, "Mean wait for a doctor, " + l, "minutes",
                 "Mean minutes from arrival to the start of a consultation at " + l + " level."));
    }
    for (const Level level : {Level::Village, Level::Township, Level::County, Level::External}) {
        const std::string l = util::to_string(level);
        out.push_back(
            wait("wait_minutes_p90_" + l, "90th pct wait for a doctor, " + l, "minutes",
                 "90th percentile of minutes waited for a consultation at " + l + " level."));
    }
    // Unsuffixed: the "level" and "facility" breakdowns' rows.
    out.push_back(wait("wait_minutes_mean", "Mean wait for a doctor", "minutes",
                       "Mean minutes from arrival to the start of a consultation (per facility or "
                       "level)."));
    out.push_back(wait("wait_minutes_p90", "90th pct wait for a doctor", "minutes",
                       "90th percentile of minutes waited for a consultation (per level)."));
    out.push_back(wait("sojourn_minutes_mean", "Mean time at the facility", "minutes",
                       "Mean minutes from arrival to the end of the consultation (per facility)."));
    out.push_back(row("queue_length_mean", "Mean queue length", "patients",
                      "Time-average number of patients waiting for a doctor (per facility).", 2,
                      kWaiting));
    out.push_back(wait("bed_wait_hours_mean", "Mean wait for a bed", "hours",
                       "Mean hours from the admission decision to getting a bed."));
    out.push_back(count("balked", "Balked", "Patients who found the queue too long and left it.",
                        kWaiting, 1));
    out.push_back(count("reneged", "Reneged", "Patients who left a queue after waiting too long.",
                        kWaiting, 1));
    out.push_back(count("left_untreated", "Left untreated",
                        "Episodes that ended without treatment (attempts exhausted).", kWaiting,
                        1));
    return out;
}

std::vector<IndicatorInfo> capacity_indicators() {
    std::vector<IndicatorInfo> out;
    for (const Level level : {Level::Village, Level::Township, Level::County}) {
        const std::string l = util::to_string(level);
        out.push_back(rate("utilisation_" + l, "Doctor utilisation, " + l,
                           "Busy doctor-time / open doctor-time at " + l + " level.", kCapacity));
    }
    for (const Level level : {Level::Township, Level::County}) {
        const std::string l = util::to_string(level);
        out.push_back(rate("bed_occupancy_" + l, "Bed occupancy, " + l,
                           "Occupied bed-time / available bed-time at " + l + " level.",
                           kCapacity));
    }
    out.push_back(
        named(row("beds_per_1000", "Beds per 1,000 residents", "per 1,000 residents",
                  "Beds of the county's own facilities per 1,000 residents.", 2, kCapacity),
              "每千人口床位数"));
    out.push_back(
        named(row("doctors_per_1000", "Doctors per 1,000 residents", "per 1,000 residents",
                  "Outpatient doctors of the county's own facilities (their staffing "
                  "while open) per 1,000 residents.",
                  2, kCapacity),
              "每千人口执业(助理)医师数"));
    out.push_back(rate("utilisation", "Doctor utilisation",
                       "Busy doctor-time / open doctor-time (per facility or level).", kCapacity));
    out.push_back(row("throughput_per_minute", "Consultations per minute", "per minute",
                      "Consultations in the horizon / its length in minutes (per facility).", 3,
                      kCapacity));
    out.push_back(rate("bed_occupancy", "Bed occupancy",
                       "Occupied bed-time / available bed-time (per facility or level).",
                       kCapacity));
    return out;
}

IndicatorInfo money(std::string key, std::string label, std::string description, int decimals) {
    return row(std::move(key), std::move(label), "yuan", std::move(description), decimals, kMoney);
}

/// 次均门诊费用 and 次均住院费用: the whole bill (fund and patient) per visit or per stay.
std::vector<IndicatorInfo> cost_indicators() {
    std::vector<IndicatorInfo> out;
    for (const Level level : {Level::Village, Level::Township, Level::County, Level::External}) {
        const std::string l = util::to_string(level);
        out.push_back(named(
            money("cost_per_visit_" + l, "Cost per outpatient visit, " + l,
                  "Fees of outpatient and emergency visits at " + l + " level / those visits.", 2),
            "次均门诊费用"));
    }
    for (const Level level : {Level::Township, Level::County, Level::External}) {
        const std::string l = util::to_string(level);
        out.push_back(named(money("cost_per_stay_" + l, "Cost per admission, " + l,
                                  "Fees of admissions at " + l + " level / those admissions.", 2),
                            "次均住院费用"));
    }
    out.push_back(
        named(money("cost_per_visit", "Cost per outpatient visit",
                    "Fees of outpatient and emergency visits / those visits (per level).", 2),
              "次均门诊费用"));
    out.push_back(named(money("cost_per_stay", "Cost per admission",
                              "Fees of admissions / admissions (per level).", 2),
                        "次均住院费用"));
    out.push_back(money("fund_spending_per_resident", "Fund spending per resident",
                        "Insurance fund spending per resident (every resident is insured) per "
                        "year.",
                        2));
    return out;
}

std::vector<IndicatorInfo> money_and_access_indicators() {
    return {
        money("spending_total", "Total spending", "All fees charged in the horizon.", 0),
        money("fund_spending", "Insurance fund spending", "Fees paid by the insurance fund.", 0),
        money("out_of_pocket", "Out-of-pocket spending", "Fees paid by patients.", 0),
        money("out_of_pocket_per_episode", "Out-of-pocket per episode",
              "Out-of-pocket spending / episodes.", 2),
        money("out_of_pocket_per_resident", "Out-of-pocket per resident",
              "Out-of-pocket spending per resident per year.", 2),
        money(
            "alliance_budget", "Alliance global budget",
            "Global budget paid to the alliance for the horizon (budget per resident x residents).",
            0),
        money("alliance_paid", "Alliance paid for residents' care",
              "The fund's share of every bill of the alliance's residents (the county's, or "
              "per alliance those of its townships), inside and outside the county.",
              0),
        count("residents", "Residents",
              "Residents of the group (per alliance: of its townships, whom its global budget "
              "covers).",
              kMoney, 0),
        named(money("alliance_budget_result", "Alliance budget result",
                    "Global budget minus the alliance's payments (surplus > 0, deficit < 0).", 0),
              "医保基金结余"),
        money(
            "alliance_retained", "Alliance retained (or bore)",
            "The alliance's share of the surplus it keeps, or of the deficit it bears (negative).",
            0),
        money("insurer_spending", "Insurer spending after settlement",
              "What the insurer paid in the end under the global budget: budget minus what it "
              "recovers, "
              "or plus its share of a deficit.",
              0),
        money("alliance_invested", "Surplus invested in capacity",
              "Of the retained surplus, what bought doctors and beds for the next insurance "
              "year (policy.payment.invest): whole doctors and beds at their yearly costs; a "
              "use of alliance_retained, not spending on top of it.",
              0),
        count("alliance_invested_doctors", "Doctors bought with a surplus",
              "Doctors (each for a year) that insurance years' retained surpluses bought for the "
              "next year, over the named facilities.",
              kMoney, 0),
        count("alliance_invested_beds", "Beds bought with a surplus",
              "Beds (each for a year) that insurance years' retained surpluses bought for the "
              "next year, over the named facilities.",
              kMoney, 0),
        money("dip_budget", "DIP points budget",
              "The budget the DIP points share (policy.payment.mode: dip_points): budget per "
              "resident x residents x years.",
              0),
        row("dip_points", "DIP points earned", "points",
            "Points earned by the admissions paid by points (the condition's points at the "
            "level of each admission).",
            0, kMoney),
        named(money("dip_point_value", "DIP point value",
                    "Yuan per point at the year-end settlement: DIP budget / points earned.", 4),
              "点值"),
        money("dip_fee_fund", "Fund share of point-paid fees",
              "The fund's share of the fees of the admissions paid by points: what it would have "
              "paid under fee-for-service.",
              0),
        money("dip_settlement_adjustment", "DIP settlement minus fees",
              "What the points paid the providers (the budget) minus the fund's share of the "
              "fees of those admissions: above 0 the points pay more than the fees.",
              0),
        named(money("capitation_budget", "Outpatient capitation paid",
                    "What the capitation paid the alliance's village clinics and township "
                    "centers for outpatient care (policy.payment.mode: capitation_per_diem): "
                    "capitation per resident x residents x years, whatever the visits.",
                    0),
              "按人头付费"),
        count("capitation_visits", "Capitated visits",
              "Outpatient visits at the alliance's village clinics and township centers in the "
              "county that the capitation pays.",
              kMoney, 0),
        money("capitation_fee_fund", "Fund share of capitated fees",
              "The fund's share of the fees of the capitated visits: what it would have paid "
              "under fee-for-service.",
              0),
        money("capitation_settlement_adjustment", "Capitation minus fees",
              "Capitation paid minus the fund's share of the capitated visits' fees: above 0 "
              "the capitation pays the grassroots more than the fees would have; the insurer's "
              "spending is fund_spending plus this.",
              0),
        count("per_diem_admissions", "Admissions paid per diem",
              "Admissions at a level where the condition has a per-diem rate "
              "(policy.payment.per_diem).",
              kMoney, 0),
        row("per_diem_bed_days", "Bed-days paid per diem", "days",
            "The days of the admissions paid per diem (the stay as sampled, in days).", 1, kMoney),
        named(money("per_diem_paid", "Paid for per-diem stays",
                    "What the providers received for the admissions paid per diem (fund and "
                    "patient): rate x days, or the patient's share on the fees where that is "
                    "more.",
                    0),
              "按床日付费"),
        named(count("remote_consultations", "Remote consultations",
                    "Consultations where a facility asked the county for a remote diagnosis "
                    "instead of referring the patient up.",
                    kReferrals, 1),
              "远程会诊"),
        row("time_in_system_minutes", "Mean time in system", "minutes",
            "Mean time from the start of an episode to its end, over episodes that sought "
            "formal care (in the queueing-network mode: a customer's time in the network).",
            2, kWaiting),
        rate("within_15_min", "Residents within 15 min of care",
             "Share of residents within 15 minutes' travel of a staffed village clinic or "
             "township center, counted hamlet by hamlet (static).",
             kAccess),
        row("mean_travel_minutes", "Mean travel to nearest primary care", "minutes",
            "Residents' mean travel minutes, from their hamlet through the village's centre, to "
            "the nearest staffed village clinic or township center (static).",
            1, kAccess),
    };
}

/// The insurance layers and the low-income residents (emitted only when the layer is on); the
/// layers' names are those of the multi-tier scheme (基本医疗保险、大病保险、医疗救助).
std::vector<IndicatorInfo> layer_indicators() {
    return {
        count("catastrophic_cases", "Catastrophic-cost cases",
              "Bills on which the catastrophic layer paid (the resident's yearly out-of-pocket "
              "had passed its threshold).",
              kMoney, 0),
        named(money("catastrophic_spending", "Catastrophic layer spending",
                    "Paid by the catastrophic layer above the yearly out-of-pocket threshold.", 0),
              "大病保险"),
        named(money("assistance_spending", "Medical assistance spending",
                    "Paid by medical assistance for low-income residents.", 0),
              "医疗救助"),
        count("low_income_episodes", "Low-income episodes",
              "Episodes of residents eligible for medical assistance.", kRates, 0),
        count("low_income_visits", "Low-income visits",
              "Outpatient and emergency visits of residents eligible for medical assistance.",
              kRates, 0),
        rate("low_income_grassroots_share", "Low-income grassroots share",
             "Low-income residents' visits at village clinics and township centers / their "
             "visits at in-county facilities.",
             kRates),
        money("low_income_out_of_pocket", "Low-income out-of-pocket",
              "Fees low-income residents paid after every layer.", 0),
        money("low_income_out_of_pocket_per_episode", "Low-income OOP per episode",
              "Low-income residents' out-of-pocket / their episodes.", 2),
    };
}

/// Care at external hospitals by their place class (insurance.external_by_class), emitted only
/// when some external facility stands outside the prefecture. 市外 and 省外 are the insurer's
/// 异地就医 classes, relative to the prefecture that pools the scheme.
std::vector<IndicatorInfo> place_indicators() {
    return {
        named(rate("admissions_out_of_prefecture_share", "Admissions outside the prefecture",
                   "Admissions at external hospitals of class out_of_prefecture or "
                   "out_of_province / all admissions.",
                   kRates),
              "市外住院占比"),
        named(rate("admissions_out_of_province_share", "Admissions outside the province",
                   "Admissions at external hospitals of class out_of_province / all admissions.",
                   kRates),
              "省外住院占比"),
        named(
            count("admissions_in_prefecture_external", "Admissions, in-prefecture hospitals",
                  "Admissions at external hospitals of class in_prefecture (市内县外).", kRates, 0),
            "市内县外住院人次"),
        named(count("admissions_out_of_prefecture", "Admissions, other prefectures",
                    "Admissions at external hospitals of class out_of_prefecture (市外省内).",
                    kRates, 0),
              "市外省内住院人次"),
        named(count("admissions_out_of_province", "Admissions, other provinces",
                    "Admissions at external hospitals of class out_of_province (省外).", kRates, 0),
              "省外住院人次"),
        named(rate("visits_out_of_prefecture_share", "Visits outside the prefecture",
                   "Outpatient and emergency visits at external hospitals of class "
                   "out_of_prefecture or out_of_province / all visits.",
                   kRates),
              "市外门急诊占比"),
        named(money("fund_spending_out_of_prefecture", "Fund spending outside the prefecture",
                    "Paid by the basic scheme for care at external hospitals of class "
                    "out_of_prefecture or out_of_province.",
                    0),
              "市外医保基金支出"),
        named(money("fund_spending_out_of_province", "Fund spending outside the province",
                    "Paid by the basic scheme for care at external hospitals of class "
                    "out_of_province.",
                    0),
              "省外医保基金支出"),
    };
}

/// Emitted only when the scenario switches the measure on (docs/levers.md).
std::vector<IndicatorInfo> reform_indicators() {
    std::vector<IndicatorInfo> rows = {
        rate("managed_episode_share", "Episodes of managed chronic patients",
             "Episodes of illness started by residents managed by their family doctor "
             "(policy.chronic_management) / all episodes of illness (scheduled follow-ups are "
             "not illnesses and count in neither).",
             kRates),
        count("managed_acute_episodes", "Managed patients' acute episodes",
              "Episodes of the acute_conditions started by managed residents in the horizon.",
              kRates, 0),
        count("managed_follow_up_visits", "Managed patients' follow-ups",
              "Scheduled follow-up visits of managed residents at their family doctor's facility.",
              kRates, 0),
        count("medicine_referrals", "Referred up for a medicine",
              "Patients a facility that treats their condition referred up because its level "
              "lacked their medicine (policy.medicine_list).",
              kReferrals, 0),
    };
    for (const Level level : {Level::Village, Level::Township, Level::County}) {
        const std::string l = util::to_string(level);
        rows.push_back(
            count("medicine_referrals_" + l, "Referred up for a medicine, " + l,
                  "Patients referred up from " + l + " level because it lacked their medicine.",
                  kReferrals, 0));
    }
    return rows;
}

/// The emergency pathway's (policy.emergency_pathway), emitted only when it is on.
std::vector<IndicatorInfo> emergency_indicators() {
    auto minutes = [](std::string key, std::string label, std::string description) {
        return row(std::move(key), std::move(label), "minutes", std::move(description), 1,
                   kWaiting);
    };
    return {
        count("emergency_treatments", "Pathway emergencies treated",
              "Emergencies of the pathway's conditions, starting in the horizon, that reached a "
              "facility treating their condition (docs/levers.md, emergency pathways).",
              kWaiting, 0),
        named(minutes("time_to_treatment_minutes", "Onset to treatment",
                      "Mean minutes from the onset to treatment: onset to the first emergency "
                      "consultation where the condition is treated, plus that facility's "
                      "door-to-treatment minutes."),
              "发病至治疗时间"),
        named(rate("time_to_treatment_within", "Treated within the threshold",
                   "Pathway emergencies whose onset to treatment is at most threshold_minutes "
                   "/ pathway emergencies treated.",
                   kWaiting),
              "救治时间达标率"),
        named(minutes("onset_to_door_minutes", "Onset to door",
                      "Mean minutes from the onset to the consultation where the condition is "
                      "treated (trips, transfers up, any consultation on the way)."),
              "发病至到院时间"),
        named(minutes("door_to_treatment_minutes", "Door to treatment",
                      "Mean door-to-treatment minutes of the facilities that treated them (a "
                      "center's or any other's, as set)."),
              "门-针时间 / 门-球时间"),
        named(rate("emergency_ambulance_share", "Arrived by ambulance",
                   "Pathway emergencies treated that had called an ambulance / all treated.",
                   kWaiting),
              "120 使用率"),
        rate("emergency_center_share", "Treated at a center",
             "Pathway emergencies treated at a facility with a center / all treated.", kWaiting),
    };
}

/// The shared exam centers' (policy.exam_centers, policy.exams), emitted only when exams are on.
std::vector<IndicatorInfo> exam_indicators() {
    return {
        count("exams", "Exams made",
              "Exams made before a decision (read by a shared center or by the facility itself) "
              "in the window; a recognised earlier result is not one (docs/levers.md, exam "
              "centers).",
              kCapacity, 0),
        money("exam_spending", "Exam spending",
              "Fees of the exams made in the window (fund and patient), part of the outpatient "
              "spending.",
              0),
        count("exam_center_reads", "Exam-center reads",
              "Exams read by the shared exam centers in the window (remote reads for the "
              "grassroots and the center facility's own).",
              kCapacity, 0),
        rate("exam_center_utilisation", "Exam-center utilisation",
             "Exam-center reads ordered in the window / (the centers' reads_per_day x days in "
             "the window); above 1 when more are ordered than read (a growing backlog); 0 when "
             "a center has no daily limit.",
             kCapacity),
        row("exam_center_turnaround_hours", "Exam-center turnaround", "hours",
            "Mean hours from ordering an exam to its result, over the centers' reads (waiting "
            "for a day with a read left, then the turnaround).",
            2, kWaiting),
        count("repeat_exams", "Repeat exams",
              "Exams made for an episode that had a result already, not recognised where the "
              "patient was (after a referral).",
              kReferrals, 0),
        count("repeat_exams_avoided", "Repeat exams avoided",
              "Steps that needed an exam and used an earlier step's recognised result instead "
              "(结果互认).",
              kReferrals, 0),
    };
}

/// The capacity the alliance moves (docs/levers.md 05b, 06, 09), emitted only when the lever is
/// on. The Chinese names are the documents' own terms (云南 (十), (十一)) with 人次 added.
std::vector<IndicatorInfo> sent_down_indicators() {
    return {
        named(count("reserved_doctors_used", "Reserved doctor slots used",
                    "Consultations at which a patient who may use reserved capacity took a doctor "
                    "while walk-ins held every doctor they may use: the slot the reservation kept "
                    "free (policy.reserved_share; 云南 (十一) 专家号源预留).",
                    kCapacity, 0),
              "预留号源使用人次"),
        named(count("reserved_beds_used", "Reserved beds used",
                    "Admissions at which a patient who may use reserved capacity took a bed while "
                    "walk-ins held every bed they may use (云南 (十一) 住院床位预留).",
                    kCapacity, 0),
              "预留床位使用人次"),
        count("reserved_used_family_referrals", "Reserved used: family referrals",
              "Of reserved doctor slots and beds used, those taken by residents their own family "
              "doctor referred up (all of them under reserved_for: contracted_referrals).",
              kCapacity, 0),
        count("reserved_used_down_referrals", "Reserved used: down-referrals",
              "Of reserved doctor slots and beds used, those taken by down-referred patients "
              "(only under reserved_for: any_referral).",
              kCapacity, 0),
        named(count("stationed_physician_visits", "Visits seen by stationed physicians",
                    "Outpatient visits at township centers seen by the doctors stationed there "
                    "(policy.stationed_physicians): each visit counts for the stationed doctors' "
                    "share of the doctors on duty when it starts (the expected number).",
                    kCapacity, 1),
              "派驻医师诊疗人次"),
        named(count("circuit_clinic_visits", "Visits seen by circuit doctors",
                    "Outpatient visits seen by circuit-clinic doctors (policy.circuit_clinics): "
                    "each visit counts for the circuit doctors' share of the doctors on duty when "
                    "it starts (the expected number).",
                    kCapacity, 1),
              "巡回诊疗人次"),
    };
}

/// Home beds' (policy.home_beds), emitted only when a center has them.
std::vector<IndicatorInfo> home_bed_indicators() {
    return {
        named(count("home_bed_admissions", "Home-bed admissions",
                    "Admissions to a home bed (policy.home_beds) in the horizon; they count as "
                    "admissions of their township center (without a ward bed).",
                    kCapacity, 0),
              "家庭病床建床人次"),
        named(row("home_bed_days", "Home-bed days", "days",
                  "Days of the home-bed stays admitted in the horizon.", 0, kCapacity),
              "家庭病床床日数"),
        named(rate("home_bed_occupancy", "Home-bed occupancy",
                   "Home-bed days in the horizon / (home beds x days of the horizon).", kCapacity),
              "家庭病床使用率"),
        named(money("home_bed_cost_per_day", "Cost per home-bed day",
                    "Fees of the home-bed stays admitted in the horizon (fund and patient) / "
                    "their days.",
                    1),
              "家庭病床床日费用"),
        named(count("home_bed_visits", "Home visits to home beds",
                    "Visits of the centers' doctors to home-bed patients in the horizon.",
                    kCapacity, 0),
              "家庭病床查床次数"),
        row("home_bed_doctor_hours", "Doctor-hours of home visits", "hours",
            "Doctor-hours the home visits took from the centers' outpatient desks.", 0, kCapacity),
    };
}

std::vector<IndicatorInfo> build_registry() {
    std::vector<IndicatorInfo> all;
    for (auto part :
         {visit_indicators(), referral_indicators(), waiting_indicators(), capacity_indicators(),
          money_and_access_indicators(), cost_indicators(), layer_indicators(), place_indicators(),
          reform_indicators(), emergency_indicators(), exam_indicators(), home_bed_indicators(),
          sent_down_indicators()}) {
        for (auto& info : part) all.push_back(std::move(info));
    }
    return all;
}

}  // namespace

const std::vector<std::string>& sections() {
    static const std::vector<std::string> sections = {kRates, kReferrals, kWaiting, kCapacity,
                                                      kMoney, kAccess,    kOther};
    return sections;
}

const std::vector<IndicatorInfo>& all() {
    static const std::vector<IndicatorInfo> registry = build_registry();
    return registry;
}

const IndicatorInfo* find(std::string_view key) {
    const auto& registry = all();
    const auto it = std::find_if(registry.begin(), registry.end(),
                                 [key](const IndicatorInfo& info) { return info.key == key; });
    return it == registry.end() ? nullptr : &*it;
}

std::string label(std::string_view key) {
    const IndicatorInfo* info = find(key);
    return info ? info->label : std::string(key);
}

int decimals(std::string_view key) {
    const IndicatorInfo* info = find(key);
    return info ? info->decimals : 3;
}

Range range(std::string_view key) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const IndicatorInfo* info = find(key);
    if (info != nullptr && info->unit == "proportion") return {0.0, 1.0};
    if (info != nullptr && info->unit == "count") return {0.0, kInf};
    return {-kInf, kInf};
}

std::string section(std::string_view key) {
    const IndicatorInfo* info = find(key);
    return info ? info->section : kOther;
}

std::vector<std::string> keys() {
    std::vector<std::string> out;
    for (const auto& info : all()) out.push_back(info.key);
    return out;
}

}  // namespace cmasim::indicators
