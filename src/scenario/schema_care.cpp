// The schema of care and policy: conditions, choice, behaviour, insurance, referral, targets.
#include <numeric>

#include <cmath>

#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {

namespace {

/// Twelve positive monthly factors, stored relative to their mean.
FieldBuilder<Condition> seasonality() {
    auto parse = [](const YAML::Node& n, Condition& c, Reader& r, const SchemaKey& doc) {
        if (!expect_list(n, r)) return;
        if (n.size() != 12) {
            r.error(n,
                    "expected 12 monthly factors (January to December), got " +
                        std::to_string(n.size()),
                    "give one factor per month");
            return;
        }
        std::array<double, 12> months{};
        for (std::size_t i = 0; i < 12; ++i) {
            Reader::Scope scope(r, "[" + std::to_string(i) + "]");
            auto v = read_number(n[i], r, doc);
            if (!v) return;
            months[i] = *v;
        }
        const double mean = std::accumulate(months.begin(), months.end(), 0.0) / 12.0;
        for (std::size_t i = 0; i < 12; ++i) c.seasonality[i] = months[i] / mean;
    };
    return FieldBuilder<Condition>("seasonality", "list of 12 numbers", "1 every month", parse)
        .numeric()
        .above(0)
        .max(1000)
        .hint("monthly factors are positive; 1 means an average month");
}

/// Levels at which a per-level table gives a value (directly or by `default`).
PerLevel<bool> levels_given(const YAML::Node& table) {
    PerLevel<bool> given{};
    if (!table.IsDefined()) return given;
    if (!table.IsMap() || table["dist"].IsDefined() || table["default"].IsDefined()) {
        given.fill(true);
        return given;
    }
    for (int i = 0; i < kLevels; ++i) {
        given[i] = table[to_string(static_cast<Level>(i))].IsDefined();
    }
    return given;
}

void finish_condition(const YAML::Node& map, Condition& c, Reader& r) {
    c.source = r.where(map);
    if (c.name.empty()) c.name = c.id;
    const PerLevel<bool> given = levels_given(map["stay_days"]);
    Reader::Scope scope(r, "stay_days");
    for (int i = 0; i < kLevels; ++i) {
        // A rehabilitation stay after a down-referral happens at the down-referral level.
        const bool down_stay =
            c.down_referral_admission > 0 && i == static_cast<int>(c.down_referral_to);
        if ((c.admission_probability[i] <= 0 && !down_stay) || given[i]) continue;
        const std::string level = to_string(static_cast<Level>(i));
        if (down_stay && c.admission_probability[i] <= 0) {
            r.error(map["stay_days"].IsDefined() ? map["stay_days"] : map,
                    "no stay_days for level '" + level +
                        "', where down-referred patients stay "
                        "(down_referral_admission " +
                        format_number(c.down_referral_admission) + ")",
                    "give stay_days for " + level + " or a 'default'");
            continue;
        }
        r.error(map["stay_days"].IsDefined() ? map["stay_days"] : map,
                "no stay_days for level '" + level + "', where admission_probability is " +
                    format_number(c.admission_probability[i]),
                "give stay_days for " + level + " or a 'default'");
    }
}

}  // namespace

const RecordSchema<Condition>& condition_schema() {
    using C = Condition;
    static const RecordSchema<C> schema{
        {text("id", &C::id).required().describe("unique id of the condition group"),
         text("name", &C::name).default_text("the id").describe("name shown in reports"),
         number("episodes_per_person_year", &C::episodes_per_person_year)
             .required()
             .min(0)
             .max(1000)
             .unit("episodes per person-year")
             .describe("yearly episode rate of a resident under 65"),
         number("emergency_episodes_per_person_year", &C::emergency_episodes_per_person_year)
             .min(0)
             .max(1000)
             .unit("episodes per person-year")
             .describe("yearly rate of emergency episodes of a resident under 65, on top of "
                       "episodes_per_person_year: they start at any hour and go to a facility "
                       "with an emergency service"),
         number("aged_multiplier", &C::aged_multiplier)
             .above(0)
             .max(1000)
             .describe("rate multiplier for residents aged 65 or more"),
         seasonality().describe(
             "relative monthly episode rates, January to December; normalised to mean 1, so "
             "only their ratios matter"),
         level("lowest_level", &C::lowest_level,
               {Level::Village, Level::Township, Level::County, Level::External})
             .describe("lowest level that can treat the condition"),
         level_durations("consult_minutes", &C::consult_minutes, true)
             .required()
             .max(kMaxMinutes)
             .unit("minutes")
             .describe("consultation time at each level; every level needs a value"),
         level_numbers("admission_probability", &C::admission_probability)
             .min(0)
             .max(1)
             .describe("probability of admission after a consultation that can treat it"),
         level_durations("stay_days", &C::stay_days, false)
             .default_text("required at each level with admission_probability > 0")
             .max(kMaxStayDays)
             .unit("days")
             .describe("length of stay of an admission at each level"),
         integer("follow_ups", &C::follow_ups)
             .min(0)
             .max(100)
             .describe("follow-up visits after outpatient treatment"),
         number("follow_up_interval_days", &C::follow_up_interval_days)
             .above(0)
             .max(365)
             .unit("days")
             .describe("days between follow-up visits"),
         number("down_referral_probability", &C::down_referral_probability)
             .min(0)
             .max(1)
             .describe("probability of a down-referral after discharge"),
         level("down_referral_to", &C::down_referral_to, {Level::Village, Level::Township})
             .describe("where down-referred patients go: the home village clinic or township"),
         integer("down_referral_visits", &C::down_referral_visits)
             .min(0)
             .max(100)
             .describe("rehabilitation or follow-up visits after a down-referral"),
         level_numbers("transfer_up_probability", &C::transfer_up_probability)
             .min(0)
             .max(1)
             .describe("probability that an inpatient at each level is transferred up as an "
                       "inpatient at the end of the stay (referred by the rules and admitted)"),
         number("down_referral_admission", &C::down_referral_admission)
             .min(0)
             .max(1)
             .describe("probability that a down-referred patient's first visit leads to a "
                       "rehabilitation stay there (the down-referral waiver applies to it)"),
         level_money("outpatient_fee", &C::outpatient_fee)
             .min(0)
             .max(kMaxChargeYuan)
             .describe("fee per consultation at each level"),
         level_money("inpatient_fee_stay", &C::inpatient_fee_stay)
             .min(0)
             .max(kMaxChargeYuan)
             .describe("fee per admission at each level"),
         level_money("inpatient_fee_day", &C::inpatient_fee_day)
             .min(0)
             .max(kMaxChargeYuan)
             .describe("fee per bed-day at each level"),
         level_numbers("choice_constant", &C::choice_constant)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("added to the choice utility of facilities at each level, for this "
                       "condition"),
         optional_number("outside_option", &C::outside_option)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .default_text("none: every episode seeks formal care")
             .describe("utility of staying out of formal care (self-treatment, a pharmacy, "
                       "waiting it out) at the episode's first choice, against the facilities' "
                       "utilities; the share of episodes without a visit follows from it")},
        finish_condition};
    return schema;
}

const RecordSchema<ChoiceModel>& choice_schema() {
    using C = ChoiceModel;
    static const RecordSchema<C> schema{
        {number("b_time", &C::b_time)
             .min(-kUtilityLimit)
             .max(0)
             .unit("per minute")
             .describe("utility per minute of travel (0 or negative)"),
         number("b_cost", &C::b_cost)
             .min(-kUtilityLimit)
             .max(0)
             .unit("per yuan")
             .describe("utility per yuan of expected out-of-pocket cost (0 or negative)"),
         number("b_log_cost", &C::b_log_cost)
             .min(-kUtilityLimit)
             .max(0)
             .unit("per ln(1 + yuan)")
             .describe("utility per unit of ln(1 + expected out-of-pocket yuan) (0 or negative): "
                       "a price rise of 1% moves utility by about b_log_cost/100 whatever the "
                       "price, from a 15-yuan clinic visit to a 5,000-yuan stay"),
         number("b_quality", &C::b_quality)
             .min(0)
             .max(kUtilityLimit)
             .describe("utility per unit of perceived quality (0 or positive)"),
         number("b_wait", &C::b_wait)
             .min(-kUtilityLimit)
             .max(0)
             .unit("per minute")
             .describe("utility per minute of expected wait (0 or negative)"),
         number("b_contract", &C::b_contract)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe(
                 "utility of the contracted family doctor's facility, for contracted residents"),
         level_numbers("level_constant", &C::level_constant)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("utility constant of each level"),
         integer("nearest_clinics", &C::nearest_clinics)
             .min(0)
             .max(10)
             .describe("village clinics offered besides the resident's own"),
         number("wait_smoothing", &C::wait_smoothing)
             .above(0)
             .max(1)
             .describe("weight of the newest wait in a facility's running expected wait"),
         level("contract_level", &C::contract_level, {Level::Village, Level::Township})
             .describe("where the contracted family doctor sits"),
         optional_number("admission_outside_option", &C::admission_outside_option)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .default_text("none: every advised admission is accepted")
             .describe("utility of declining an admission the doctor advises (going home, or "
                       "outpatient care instead) against accepting it; the share of advised "
                       "admissions declined follows from it"),
         number("admission_b_log_cost", &C::admission_b_log_cost)
             .min(-kUtilityLimit)
             .max(0)
             .unit("per ln(1 + yuan)")
             .describe("utility of accepting an advised admission per unit of ln(1 + the "
                       "stay's expected out-of-pocket yuan) (0 or negative): sets how much a "
                       "stay's price moves the share declined"),
         level_numbers("admission_level_constant", &C::admission_level_constant)
             .min(-kUtilityLimit)
             .max(kUtilityLimit)
             .describe("added to the utility of declining an advised admission at each level "
                       "(absorbs the levels' different stay prices)")},
        {}};
    return schema;
}

const RecordSchema<Behaviour>& behaviour_schema() {
    using B = Behaviour;
    static const RecordSchema<B> schema{
        {number("self_referral_probability", &B::self_referral_probability)
             .min(0)
             .max(1)
             .describe("probability that a patient referred up goes up on their own instead"),
         number("balk_queue_per_doctor", &B::balk_queue_per_doctor)
             .min(0)
             .max(10000)
             .describe(
                 "a patient balks when the queue is at least this many per doctor; 0 = never"),
         duration("patience_minutes", &B::patience_minutes)
             .default_text("none (never renege)")
             .max(kMaxMinutes)
             .unit("minutes")
             .describe("how long a patient waits for a doctor before reneging"),
         one_of("renege_action", &B::renege_action,
                {{"choose_again", RenegeAction::ChooseAgain}, {"leave", RenegeAction::Leave}})
             .describe("what a patient who reneges does"),
         one_of("closed_facility", &B::closed_facility,
                {{"wait", ClosedAction::Wait}, {"choose_again", ClosedAction::ChooseAgain}})
             .describe("what a patient who finds the chosen facility closed does"),
         one_of("full_ward", &B::full_ward,
                {{"wait", FullWardAction::Wait}, {"refer", FullWardAction::Refer}})
             .describe("what happens to an admission when no bed is free"),
         integer("max_attempts", &B::max_attempts)
             .min(1)
             .max(10)
             .describe(
                 "choices per step (after balking, reneging, a closed door) before the patient "
                 "leaves"),
         time_of_day("care_seeking_from", &B::care_seeking_from)
             .default_text("07:00")
             .describe("patients set out for a first contact from this time of day"),
         time_of_day("care_seeking_to", &B::care_seeking_to)
             .default_text("19:00")
             .describe("... until this time of day (demand is spread over this window)")},
        [](const YAML::Node& map, B& b, Reader& r) {
            if (map.IsMap() && b.care_seeking_from >= b.care_seeking_to) {
                r.error(map,
                        "care_seeking_from " + format_time_of_day(b.care_seeking_from) +
                            " is not before care_seeking_to " +
                            format_time_of_day(b.care_seeking_to),
                        "give a daily window such as 07:00 to 19:00");
            }
        }};
    return schema;
}

namespace {

/// Penalties on unreferred care apply at county level and above only: a non-zero village or
/// township entry would silently do nothing, so it is an error.
void check_penalty_levels(const YAML::Node& map, const PerLevel<double>& penalty,
                          const std::string& key, Reader& r) {
    if (!map.IsMap() || !map[key].IsDefined()) return;
    Reader::Scope scope(r, key);
    for (Level l : {Level::Village, Level::Township}) {
        const double v = penalty[idx(l)];
        if (v == 0) continue;
        r.error(map[key],
                key + " applies at county and external level only, but " + to_string(l) + " is " +
                    format_number(v),
                "give {county: x, external: y}; a single number would set every level");
        return;
    }
}

const RecordSchema<Gatekeeping>& gatekeeping_schema() {
    using G = Gatekeeping;
    static const RecordSchema<G> schema{
        {flag("enabled", &G::enabled)
             .describe("contracted residents are expected to see their family doctor first"),
         number("compliance", &G::compliance)
             .min(0)
             .max(1)
             .describe("probability that a contracted resident goes to the family doctor first "
                       "when gatekeeping is enabled"),
         level_numbers("penalty", &G::penalty)
             .min(0)
             .max(1)
             .describe("reimbursement ratio points taken off unreferred county and external "
                       "care of contracted residents (instead of unreferred_penalty); village "
                       "and township must be 0")},
        [](const YAML::Node& map, G& g, Reader& r) {
            check_penalty_levels(map, g.penalty, "penalty", r);
        }};
    return schema;
}

}  // namespace

const RecordSchema<Insurance>& insurance_schema() {
    using I = Insurance;
    static const RecordSchema<I> schema{
        {level_numbers("outpatient_ratio", &I::outpatient_ratio)
             .min(0)
             .max(1)
             .describe("share of the outpatient fee the fund pays, by level"),
         money("outpatient_cap", &I::outpatient_cap)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .describe("fund's yearly outpatient payment per person; 0 = no cap"),
         level_money("inpatient_deductible", &I::inpatient_deductible)
             .min(0)
             .max(kMaxChargeYuan)
             .describe("deductible per admission (起付线), by level"),
         level_numbers("inpatient_ratio", &I::inpatient_ratio)
             .min(0)
             .max(1)
             .describe("share above the deductible the fund pays, by level"),
         money("inpatient_cap", &I::inpatient_cap)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .describe("fund's yearly inpatient payment per person; 0 = no cap"),
         level_numbers("unreferred_penalty", &I::unreferred_penalty)
             .min(0)
             .max(1)
             .describe(
                 "reimbursement ratio points taken off unreferred care (bypassing first contact or "
                 "self-referral) at county and external level; village and township must be 0; "
                 "1 = nothing paid"),
         record("gatekeeping", &I::gatekeeping, gatekeeping_schema())
             .describe("gatekeeping by the family doctor for contracted residents"),
         flag("continuous_deductible", &I::continuous_deductible)
             .describe("a patient referred up pays only the top-up to the higher deductible"),
         flag("down_referral_waiver", &I::down_referral_waiver)
             .describe("a down-referred admission pays no new deductible"),
         by_condition_field(),
         record("catastrophic", &I::catastrophic, catastrophic_schema())
             .describe("catastrophic layer (大病保险) on each resident's yearly out-of-pocket"),
         record("assistance", &I::assistance, assistance_schema())
             .describe("medical assistance (医疗救助) for a low-income share of residents"),
         record("external_by_class", &I::external_by_class, external_by_class_schema())
             .describe("terms of external care by the hospital's place_class (市外, 省外); "
                       "a term not given keeps the external level's")},
        [](const YAML::Node& map, I& ins, Reader& r) {
            check_penalty_levels(map, ins.unreferred_penalty, "unreferred_penalty", r);
        }};
    return schema;
}

const RecordSchema<Referral>& referral_schema() {
    static const RecordSchema<ReferralRule> rule{
        {text("from", &ReferralRule::from)
             .required()
             .describe(
                 "facility id, or a level: village, township or county (a facility's own rule "
                 "overrides its level's)"),
         text("to", &ReferralRule::to)
             .required()
             .describe(
                 "facility id, or home_township (the township center of the patient's township)")},
        [](const YAML::Node& map, ReferralRule& rr, Reader& r) { rr.source = r.where(map); }};
    static const RecordSchema<Referral> schema{
        {records("rules", &Referral::rules, rule)
             .describe("where a facility refers patients it cannot treat; must not loop"),
         flag("referred_priority", &Referral::referred_priority)
             .describe("referred patients queue ahead of walk-ins")},
        {}};
    return schema;
}

const RecordSchema<ScriptedEpisode>& episode_schema() {
    using E = ScriptedEpisode;
    static const RecordSchema<E> schema{
        {number("day", &E::day)
             .min(0)
             .max(36500)
             .unit("days")
             .required()
             .describe("day of the run on which the episode starts (0 = the first day, a Monday)"),
         time_of_day("time", &E::time_of_day)
             .default_text("00:00")
             .describe("time of day the episode starts"),
         text("village", &E::village).required().describe("village id of the patient"),
         text("condition", &E::condition).required().describe("condition id"),
         flag("aged", &E::aged).describe("the patient is aged 65+"),
         flag("emergency", &E::emergency)
             .describe("an emergency episode: goes to a facility with an emergency service")},
        [](const YAML::Node&, E& e, Reader&) {
            e.at = static_cast<sim::SimTime>(std::llround(e.day * 86400.0)) + e.time_of_day;
        }};
    return schema;
}

const RecordSchema<Target>& target_schema() {
    static const RecordSchema<Target> schema{
        {optional_number("min", &Target::min)
             .unbounded("any value the indicator can take")
             .describe("lowest acceptable value"),
         optional_number("max", &Target::max)
             .unbounded("any value the indicator can take")
             .describe("highest acceptable value")},
        [](const YAML::Node& map, Target& t, Reader& r) {
            if (!map.IsMap()) return;
            if (!map["min"].IsDefined() && !map["max"].IsDefined()) {
                r.error(map, "a target needs 'min' or 'max'", "e.g. {min: 0.65}");
            } else if (t.min && t.max && *t.min > *t.max) {
                r.error(map,
                        "min " + format_number(*t.min) + " is above max " + format_number(*t.max),
                        "swap them or fix one");
            }
        }};
    return schema;
}

}  // namespace cmasim::scenario::detail
