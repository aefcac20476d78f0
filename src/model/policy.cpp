#include "cmasim/model/policy.h"

#include <algorithm>
#include <cmath>

namespace cmasim::model {

int reserved_count(double share, int capacity) {
    if (share <= 0 || capacity <= 1) return 0;
    return std::min(capacity - 1, static_cast<int>(std::ceil(share * capacity - 1e-9)));
}

BudgetSettlement settle_global_budget(double budget, double paid, double retention,
                                      double deficit_share) {
    BudgetSettlement s;
    s.budget = budget;
    s.paid = paid;
    s.result = budget - paid;
    s.retained = s.result >= 0 ? retention * s.result : deficit_share * s.result;
    s.insurer = budget - (s.result - s.retained);
    return s;
}

CapacityPurchase buy_capacity(double retained, const scenario::SurplusInvestment& terms,
                              std::size_t facilities) {
    CapacityPurchase buy;
    if (retained <= 0 || terms.share <= 0 || facilities == 0) return buy;
    const double each = terms.share * retained / static_cast<double>(facilities);
    const double doctor_cost = static_cast<double>(terms.doctor_cost) / 100.0;
    const double bed_cost = static_cast<double>(terms.bed_cost) / 100.0;
    // At most a million of each: the loader's bounds keep real figures far below.
    auto whole = [](double n) { return static_cast<int>(std::min(std::floor(n), 1e6)); };
    buy.doctors = whole(each * terms.doctor_share / doctor_cost);
    buy.beds = whole(each * (1 - terms.doctor_share) / bed_cost);
    buy.spent = buy.doctors * doctor_cost + buy.beds * bed_cost;
    return buy;
}

PointSettlement settle_dip_points(double budget, double points, double fee_fund) {
    PointSettlement s;
    s.budget = budget;
    s.points = points;
    s.fee_fund = fee_fund;
    s.point_value = points > 0 ? budget / points : 0;
    s.paid = points > 0 ? budget : 0;  // = point value × points, without its rounding
    s.adjustment = s.paid - fee_fund;
    return s;
}

}  // namespace cmasim::model
