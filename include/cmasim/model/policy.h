// Policy rules as small pure functions (docs/model.md §6): capacity reserved for referred
// patients and the settlements of a global budget and of DIP points. The engine and the metrics
// call these; tests table them.
#pragma once

#include "cmasim/scenario/spec.h"

namespace cmasim::model {

/// Servers (doctors or beds) kept for referred patients out of `capacity`: at least `share` of
/// them, rounded up, but never all of them (walk-ins keep one).
int reserved_count(double share, int capacity);

/// May a patient take one of `on_duty` servers when `busy` are taken, `busy_walkin` of them by
/// walk-ins, and `reserved` are kept for referred patients? Walk-ins may use at most
/// on_duty - reserved; referred patients may use any free one.
/// Inline: asked at every arrival at a facility and every time a doctor or bed frees up.
inline bool may_take_server(int busy, int busy_walkin, int on_duty, int reserved, bool walkin) {
    if (busy >= on_duty) return false;
    return !walkin || busy_walkin < on_duty - reserved;
}

/// The year-end settlement of a global budget (医保基金总额付费, 结余留用、合理超支分担).
struct BudgetSettlement {
    double budget = 0;    ///< what the insurer paid the alliance up front (yuan)
    double paid = 0;      ///< what the alliance paid for its residents' care (yuan)
    double result = 0;    ///< budget - paid: surplus > 0, deficit < 0
    double retained = 0;  ///< the alliance's gain (share of a surplus) or loss (share of a deficit)
    double insurer = 0;   ///< the insurer's net spending after the settlement
};

/// Surplus: the alliance keeps `retention` of it, the insurer recovers the rest. Deficit: the
/// alliance bears `deficit_share` of it, the insurer adds the rest.
BudgetSettlement settle_global_budget(double budget, double paid, double retention,
                                      double deficit_share);

/// What one facility gets for the next insurance year from a year's retained surplus.
struct CapacityPurchase {
    int doctors = 0;   ///< whole doctors, on duty in the facility's own opening hours
    int beds = 0;      ///< whole beds
    double spent = 0;  ///< yuan: doctors × their yearly cost + beds × theirs
};

/// The capacity rule (docs/model.md, "Capacity bought with a retained surplus"): `share` of a
/// positive retained amount (yuan; nothing after a deficit) is split equally among `facilities`;
/// at each, `doctor_share` of its part buys whole doctors at their yearly cost and the rest whole
/// beds at theirs. What whole doctors and beds leave over is not spent (it stays retained).
CapacityPurchase buy_capacity(double retained, const scenario::SurplusInvestment& terms,
                              std::size_t facilities);

/// The year-end settlement of DIP/DRG points inside a global budget (总额控制下按病种分值付费):
/// the budget buys the points earned, whatever their number, so a point is worth the budget ÷
/// the points (点值). The patients' shares were billed on the fees; the providers receive
/// points × point value in place of the fund's share of those fees.
struct PointSettlement {
    double budget = 0;       ///< the budget the points share (yuan)
    double points = 0;       ///< points earned by the admissions of the year
    double point_value = 0;  ///< yuan per point: budget ÷ points (0 when no point was earned)
    double fee_fund = 0;     ///< the fund's share of those admissions' fees (yuan)
    double adjustment = 0;   ///< paid to the providers − fee_fund: above 0 the points pay more
    double paid = 0;         ///< points × point value: the budget, or 0 when no point was earned
};

/// Settles a year: point value = budget ÷ points; the providers are paid points × value.
PointSettlement settle_dip_points(double budget, double points, double fee_fund);

}  // namespace cmasim::model
