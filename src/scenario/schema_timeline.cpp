// The policy timeline: `start_date` and `timeline:` entries (at, name, set). What a change may
// touch is a table below: a change applies to episodes that start after it (docs/model.md: the
// policy timeline), so it may change how patients choose, are treated, referred and billed, but
// not what the whole county shares for the run (its places, capacity, demand and calendar).
#include <array>
#include <cstdio>

#include "cmasim/scenario/key_path.h"
#include "fields.h"
#include "schemas.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

namespace {

/// Key paths a timeline entry may change, list selectors written "[]"; a path is allowed when it
/// is one of these or lies below one.
constexpr const char* kChangeable[] = {
    "insurance",
    "choice.b_time",
    "choice.b_cost",
    "choice.b_log_cost",
    "choice.b_quality",
    "choice.b_contract",
    "choice.level_constant",
    "choice.contract_level",
    "behaviour.self_referral_probability",
    "behaviour.balk_queue_per_doctor",
    "behaviour.patience_minutes",
    "behaviour.renege_action",
    "behaviour.closed_facility",
    "behaviour.full_ward",
    "behaviour.max_attempts",
    "referral.rules",
    "policy.payment",
    "policy.contract_share",
    "policy.remote_consultation",
    "policy.stationed_physicians.also_treats",
    "policy.stationed_physicians.quality_bonus",
    "facilities[].quality",
    "facilities[].constant",
    "facilities[].also_treats",
    "facilities[].cannot_treat",
    "villages[].contract_share",
    "conditions[].consult_minutes",
    "conditions[].admission_probability",
    "conditions[].stay_days",
    "conditions[].follow_ups",
    "conditions[].follow_up_interval_days",
    "conditions[].down_referral_probability",
    "conditions[].down_referral_to",
    "conditions[].down_referral_visits",
    "conditions[].down_referral_admission",
    "conditions[].transfer_up_probability",
    "conditions[].outpatient_fee",
    "conditions[].inpatient_fee_stay",
    "conditions[].inpatient_fee_day",
    "conditions[].choice_constant",
    "conditions[].outside_option",
};

/// The path with every list selector written "[]".
std::string shape_of(const std::vector<KeyPathSegment>& segments) {
    std::string out;
    for (const auto& s : segments) {
        if (!s.is_key) {
            out += "[]";
            continue;
        }
        if (!out.empty()) out += '.';
        out += s.key;
    }
    return out;
}

bool changeable(const std::string& shape) {
    for (const char* allowed : kChangeable) {
        const std::string a(allowed);
        if (shape == a || (shape.size() > a.size() && shape.compare(0, a.size(), a) == 0 &&
                           (shape[a.size()] == '.' || shape[a.size()] == '[')))
            return true;
    }
    return false;
}

void read_at(const YAML::Node& n, TimelineChange& e, Reader& r, const SchemaKey& doc) {
    if (!n.IsScalar()) return r.error(n, "expected a date (YYYY-MM-DD) or a day number");
    e.at = n.Scalar();
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(e.at.c_str(), "%d-%d-%d%c", &y, &m, &d, &tail) == 3) {
        if (!civil_date(e.at)) {
            r.error(n, "'" + e.at + "' is not a calendar date",
                    "write YYYY-MM-DD, e.g. 2025-07-01");
        }
        return;  // the day is found from start_date once the whole file is read
    }
    if (auto day = read_number(n, r, doc)) e.day = *day;
}

void read_set(const YAML::Node& n, TimelineChange& e, Reader& r) {
    auto entries = map_entries(n, r, {}, "a map of key.path: value");
    if (!entries) return;
    if (entries->empty()) {
        r.error(n, "the entry changes nothing", "give at least one key.path: value");
    }
    for (const auto& entry : *entries) {
        std::string error;
        const auto segments = parse_key_path(entry.key, error);
        if (!segments) {
            r.error_at_key(entry.key_node, entry.key,
                           "malformed key path '" + entry.key + "': " + error, key_path_hint());
            continue;
        }
        if (!changeable(shape_of(*segments))) {
            r.error_at_key(entry.key_node, entry.key,
                           "'" + entry.key + "' cannot change during a run: a timeline changes " +
                               "what episodes starting later meet (insurance, choice, " +
                               "treatment, referral, payment, contracts), not the county's " +
                               "places, capacity, demand or calendar",
                           "run it as a separate scenario (a what-if), or see "
                           "docs/model.md (the policy timeline) for the keys a change may set");
            continue;
        }
        e.keys.push_back(entry.key);
        e.key_sources.push_back(r.where(entry.key_node));
    }
}

}  // namespace

std::optional<std::int64_t> civil_date(const std::string& text) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return std::nullopt;
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
    // Days since 1970-01-01 of the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    y -= m <= 2;
    const int era = y / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

const RecordSchema<TimelineChange>& timeline_schema() {
    using T = TimelineChange;
    static const RecordSchema<T> schema{
        {FieldBuilder<T>("at", "date or number", "none",
                         [](const YAML::Node& n, T& e, Reader& r, const SchemaKey& doc) {
                             read_at(n, e, r, doc);
                         })
             .min(0)
             .max(36500)
             .unit("days")
             .required()
             .describe("when the change takes effect: a date YYYY-MM-DD (needs start_date) or "
                       "a day of the horizon (0 = its first day, after the warm-up)"),
         text("name", &T::name).describe("the period's name in outputs; default: `at` as written"),
         FieldBuilder<T>(
             "set", "map of key path to value", "none",
             [](const YAML::Node& n, T& e, Reader& r, const SchemaKey&) { read_set(n, e, r); })
             .required()
             .describe("the keys that change and their new values, written as `--set` writes "
                       "them (`insurance.outpatient_ratio.township: 0.75`); a value replaces "
                       "what was there")},
        [](const YAML::Node& map, T& e, Reader& r) { e.source = r.where(map); }};
    return schema;
}

/// The date `days` after a civil date's day number, as YYYY-MM-DD (H. Hinnant's
/// civil_from_days).
std::string date_text(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", y, m, d);
    return out;
}

namespace {

/// start_date: a calendar date on the first of a month, agreeing with horizon_start_month when
/// both are given (the date sets the month otherwise).
void check_start_date(const YAML::Node& map, Scenario& s, Reader& r) {
    if (s.start_date.empty()) return;
    const SourceRef at = r.locate("start_date", SourceRef{r.file(), 0, 0});
    int y = 0, m = 0, d = 0;
    if (!civil_date(s.start_date) ||
        std::sscanf(s.start_date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
        return r.report(at, "start_date", "'" + s.start_date + "' is not a calendar date",
                        "write YYYY-MM-DD, e.g. 2025-01-01");
    }
    if (d != 1) {
        return r.report(at, "start_date", "start_date must be the first day of a month",
                        "the model's calendar starts the horizon on a month's first day; e.g. " +
                            s.start_date.substr(0, 8) + "01");
    }
    if (value_of(map, "horizon_start_month").IsDefined() && s.horizon_start_month != m) {
        return r.report(at, "start_date",
                        "start_date is in month " + std::to_string(m) +
                            " but horizon_start_month is " + std::to_string(s.horizon_start_month),
                        "remove horizon_start_month (start_date sets it) or make them agree");
    }
    s.horizon_start_month = m;
}

/// An entry's day: from its date and start_date, or as given; false when it cannot be found.
bool resolve_day(const Scenario& s, TimelineChange& e, const SourceRef& at, Reader& r,
                 const std::string& path) {
    const auto date = civil_date(e.at);
    if (!date) return true;  // a day number, read by the schema
    if (s.start_date.empty()) {
        r.report(at, path, "a date needs the scenario's start_date",
                 "add start_date: YYYY-MM-01 (the horizon's first day), or give `at` as a day "
                 "number of the horizon");
        return false;
    }
    e.day = static_cast<double>(*date - *civil_date(s.start_date));
    return true;
}

}  // namespace

void check_timeline(const YAML::Node& map, Scenario& s, Reader& r) {
    check_start_date(map, s, r);
    if (r.has_errors()) return;
    double previous = -1;
    for (std::size_t i = 0; i < s.timeline.size(); ++i) {
        auto& e = s.timeline[i];
        const std::string path = "timeline[" + std::to_string(i) + "].at";
        const SourceRef at = r.locate(path, e.source);
        if (!resolve_day(s, e, at, r, path)) continue;
        if (e.name.empty()) e.name = civil_date(e.at) ? e.at : "day " + e.at;
        if (e.day < 0 || e.day >= s.horizon_days) {
            r.report(at, path,
                     "day " + format_number(e.day) + " is outside the horizon (days 0 to " +
                         format_number(s.horizon_days) + ")",
                     s.start_date.empty()
                         ? "give a day inside the horizon"
                         : "give a date from " + s.start_date + " to " +
                               date_text(*civil_date(s.start_date) +
                                         static_cast<std::int64_t>(s.horizon_days) - 1));
        } else if (e.day <= previous) {
            r.report(at, path, "the timeline's entries must be in order of time, each later",
                     "sort the entries by `at`, or merge two entries of the same day");
        }
        previous = e.day;
    }
}

}  // namespace cmasim::scenario::detail
