// policy.provider_response_by_mode against the payment modes the scenario puts in force: an
// override of a mode that no period pays is an error, not silently ignored.
#include <array>

#include "checks.h"
#include "schemas.h"

namespace cmasim::scenario::detail {
namespace {

struct ModeKey {
    PaymentMode mode;
    const char* key;
};

constexpr std::array<ModeKey, 4> kModes{{
    {PaymentMode::CaseBased, "case_based"},
    {PaymentMode::GlobalBudget, "global_budget"},
    {PaymentMode::DipPoints, "dip_points"},
    {PaymentMode::CapitationPerDiem, "capitation_per_diem"},
}};

bool in_force(const Scenario& s, PaymentMode mode) {
    if (s.policy.payment.mode == mode) return true;
    for (const auto& t : s.timeline)
        if (t.scenario && t.scenario->policy.payment.mode == mode) return true;
    return false;
}

/// The overrides of one period (the base or a timeline entry's scenario), at `prefix`; a
/// timeline entry's overrides as the base's were reported at the base.
void check_period(const Scenario& whole, const Scenario& period, const std::string& prefix,
                  Reader& r) {
    for (const auto& m : kModes) {
        const ResponseOverride& o = *period.policy.response_overrides.of(m.mode);
        if (!any_override(o) || in_force(whole, m.mode)) continue;
        if (&period != &whole && o == *whole.policy.response_overrides.of(m.mode)) continue;
        const std::string key = prefix + "policy.provider_response_by_mode." + m.key;
        r.report(r.locate(key, SourceRef{r.file(), 0, 0}), key,
                 std::string("responses for ") + m.key +
                     ", a payment mode in force in no period of the scenario",
                 std::string("remove it, or set policy.payment.mode: ") + m.key +
                     " (here or in a timeline entry)");
    }
}

}  // namespace

void check_response_modes(const Scenario& s, Reader& r) {
    check_period(s, s, "", r);
    for (std::size_t k = 0; k < s.timeline.size(); ++k) {
        if (s.timeline[k].scenario)  // none after an error in the entry
            check_period(s, *s.timeline[k].scenario, "timeline[" + std::to_string(k) + "].", r);
    }
}

}  // namespace cmasim::scenario::detail
