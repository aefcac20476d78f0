// Internal to the loader: the record schemas of the scenario file, one getter per record.
// Each is built once (thread-safe static) and never changes.
#pragma once

#include "schema_core.h"

namespace cmasim::scenario::detail {

const RecordSchema<Scenario>& scenario_schema();

// county.cpp: the places, roads, townships, villages, facilities and the synthetic county
const RecordSchema<Place>& place_schema();
const RecordSchema<Road>& road_schema();
const RecordSchema<Township>& township_schema();
const RecordSchema<Village>& village_schema();
const RecordSchema<Facility>& facility_schema();
const RecordSchema<SyntheticCounty>& synthetic_schema();
// alliances.cpp: a county's medical alliances, when it has more than one
const RecordSchema<Alliance>& alliance_schema();
// synthetic.cpp: a village's internal spread
const RecordSchema<Hamlet>& hamlet_schema();
/// The hamlets' shares add up to 1 (none listed: nothing to check).
void check_hamlets(const YAML::Node& map, const Village& v, Reader& r);

// care.cpp: conditions, patients' choices and behaviour, insurance, referral, targets
const RecordSchema<Condition>& condition_schema();
const RecordSchema<ChoiceModel>& choice_schema();
const RecordSchema<Behaviour>& behaviour_schema();
const RecordSchema<Insurance>& insurance_schema();
// insurance.cpp: cover by condition group and by place class, the catastrophic and assistance
// layers
FieldBuilder<Insurance> by_condition_field();
const RecordSchema<Catastrophic>& catastrophic_schema();
const RecordSchema<Assistance>& assistance_schema();
const RecordSchema<ExternalByClass>& external_by_class_schema();
const RecordSchema<Referral>& referral_schema();
const RecordSchema<Target>& target_schema();
const RecordSchema<ScriptedEpisode>& episode_schema();

// policy.cpp: the policy levers besides insurance
const RecordSchema<Policy>& policy_schema();
/// Village circuit clinics' default window: Tuesday and Friday, 09:00 to 12:00.
OpeningWindow default_circuit_window();
const RecordSchema<QueueingNetwork>& network_schema();

// timeline.cpp: the policy timeline
const RecordSchema<TimelineChange>& timeline_schema();
/// start_date (sets horizon_start_month) and each entry's day: from its date, inside the
/// horizon, in order. Run after the whole file is read (`map` is the top level).
void check_timeline(const YAML::Node& map, Scenario& s, Reader& r);
/// Days since 1970-01-01 of a YYYY-MM-DD date; nullopt when the text is not a calendar date.
std::optional<std::int64_t> civil_date(const std::string& text);
/// The YYYY-MM-DD text of a day number of civil_date().
std::string date_text(std::int64_t days);

// schema_payment.cpp: provider payment and the providers' responses by mode
const RecordSchema<ProviderPayment>& payment_schema();
const RecordSchema<ResponseOverrides>& response_overrides_schema();
/// Overrides of the response table mean nothing when the providers do not respond.
void check_response_overrides(const YAML::Node& map, Policy& p, Reader& r);
/// Whether an override gives any multiplier.
bool any_override(const ResponseOverride& o);

// reform.cpp: chronic-disease management and the medicine lists
const RecordSchema<ChronicManagement>& chronic_schema();
const RecordSchema<MedicineList>& medicine_schema();
const RecordSchema<HomeBeds>& home_beds_schema();
const RecordSchema<EmergencyPathway>& emergency_schema();
// exams.cpp: the shared exam centers and the conditions that need an exam
const RecordSchema<ExamCenter>& exam_center_schema();
const RecordSchema<ExamNeed>& exam_need_schema();
/// One center per kind, one exam per condition, no center without exams.
void check_exams(const YAML::Node& map, const Policy& p, Reader& r);

/// Bounds shared by every utility term: beyond |50| a logit choice is deterministic anyway.
inline constexpr double kUtilityLimit = 50;
/// Largest yearly fund cap per person (yuan): 10^9 fen, so the engine keeps each resident's
/// year-to-date payments in 32 bits (far above any real cap, which are 10^4-10^6 yuan).
inline constexpr double kMaxYearlyCapYuan = 10'000'000;

}  // namespace cmasim::scenario::detail
