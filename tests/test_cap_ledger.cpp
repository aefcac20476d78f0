// The yearly cap ledger's rows (src/model/cashier.h, CapLedger): 16 bits when every cap counted
// against it fits, 32 otherwise, saturated either way; a saturated total must bill exactly as the
// true total would.
#include <gtest/gtest.h>

#include <cstdint>

#include "../src/model/cashier.h"
#include "cmasim/model/insurance.h"

namespace {

using cmasim::model::CareRoute;
using cmasim::model::outpatient_bill;
using cmasim::model::detail::CapLedger;
using cmasim::scenario::Fen;
using cmasim::scenario::Insurance;
using cmasim::scenario::Level;

constexpr Fen kNarrowMax = 65'535;

/// The fund's share of a 500-yuan village visit (60% covered) under `cap` after `used`.
Fen fund_after(Fen cap, Fen used) {
    Insurance ins;
    ins.outpatient_ratio = {0.6, 0.6, 0.6, 0.6};
    ins.outpatient_cap = cap;
    return outpatient_bill(50'000, Level::Village, CareRoute{}, ins, used).fund;
}

TEST(CapLedger, RowsStartAtZeroAndAddUp) {
    for (const Fen cap : {Fen{10'000}, Fen{150'000}}) {
        CapLedger ledger;
        ledger.keep(3, cap);
        EXPECT_EQ(ledger.paid(2), 0);
        ledger.record(2, 0, 4'000);
        ledger.record(2, ledger.paid(2), 3'500);
        EXPECT_EQ(ledger.paid(2), 7'500) << cap;
        EXPECT_EQ(ledger.paid(1), 0) << cap;
        ledger.clear();
        EXPECT_EQ(ledger.paid(2), 0) << cap;
    }
}

TEST(CapLedger, ANarrowRowSaturatesAndStillBillsAsTheTrueTotal) {
    CapLedger ledger;
    ledger.keep(1, kNarrowMax);  // the largest cap a 16-bit row serves
    ledger.record(0, 60'000, 30'000);
    EXPECT_EQ(ledger.paid(0), kNarrowMax);
    for (const Fen cap : {Fen{10'000}, kNarrowMax})
        EXPECT_EQ(fund_after(cap, ledger.paid(0)), fund_after(cap, 90'000)) << cap;
}

TEST(CapLedger, ACapPastSixteenBitsKeepsWideRows) {
    CapLedger ledger;
    ledger.keep(1, kNarrowMax + 1);
    ledger.record(0, 60'000, 5'535);
    ledger.record(0, ledger.paid(0), 1);
    EXPECT_EQ(ledger.paid(0), kNarrowMax + 1);
    // A row saturated at 65,535 would leave 1 fen of this cap to pay.
    EXPECT_EQ(fund_after(kNarrowMax + 1, ledger.paid(0)), 0);
}

}  // namespace
