// Cost sharing under the resident insurance scheme, as small pure functions over integer fen.
// Each is table-tested; the engine only calls them.
#pragma once

#include <array>

#include "cmasim/scenario/spec.h"

namespace cmasim::model {

using scenario::Fen;
using scenario::Level;

/// How the patient arrived at the encounter, as the insurer sees it.
struct CareRoute {
    bool referred = false;                ///< with a referral (up or down) from the alliance
    bool down_referred = false;           ///< sent down after a discharge
    bool up_referred_in_episode = false;  ///< an earlier step of this episode referred up
    bool gatekept = false;  ///< a contracted resident under gatekeeping (its penalty applies)
};

/// Who pays what for one encounter. Invariant: fund + catastrophic + assistance + out_of_pocket
/// == total, all >= 0.
struct Bill {
    Fen total = 0;
    Fen fund = 0;
    Fen out_of_pocket = 0;
    Fen deductible = 0;    ///< part of what the basic scheme left to the patient (inpatient only)
    Fen catastrophic = 0;  ///< paid by the catastrophic layer (大病保险)
    Fen assistance = 0;    ///< paid by medical assistance (医疗救助)
};

/// The scheme's terms for one condition at hospitals of one place class: `base` with what
/// `cover` gives in their place, then the external level's terms replaced by what
/// `base.external_by_class[place]` gives (the place's term wins over the condition's for
/// external care). Referral status then acts through effective_ratio and deductible_due.
scenario::Insurance cover_terms(const scenario::Insurance& base,
                                const scenario::ConditionCover& cover,
                                scenario::PlaceClass place = scenario::PlaceClass::InPrefecture);

/// The terms of one condition at each place class, indexed by idx(PlaceClass).
using PlaceTerms = std::array<scenario::Insurance, scenario::kPlaceClasses>;

/// What the catastrophic layer pays on a bill that adds `oop` to the resident's yearly
/// out-of-pocket `oop_ytd` (both after the basic scheme): each band's ratio on the part of
/// [oop_ytd, oop_ytd + oop] inside it, limited by what is left of the layer's yearly cap
/// (`paid_ytd` paid so far). Rounded on the cumulative amount, so the payments of a year add up
/// to the layer applied to the year's total.
Fen catastrophic_payment(const scenario::Catastrophic& layer, Fen oop_ytd, Fen oop, Fen paid_ytd);

/// What medical assistance pays of the `oop` a low-income resident still owes: ratio x oop,
/// limited by what is left of the yearly cap (`paid_ytd` paid so far).
Fen assistance_payment(const scenario::Assistance& layer, Fen oop, Fen paid_ytd);

/// Reimbursement ratio after penalties: unreferred care at county level and above loses the
/// unreferred penalty points (the gatekeeping penalty instead, for gatekept residents).
double effective_ratio(double ratio, Level level, const CareRoute& route,
                       const scenario::Insurance& ins);

/// Outpatient visit: the fund pays ratio x fee, limited by what is left of the person's yearly
/// outpatient cap (cap 0 = no cap). cap_used is the fund's outpatient payments to this person
/// so far this insurance year.
Bill outpatient_bill(Fen fee, Level level, const CareRoute& route, const scenario::Insurance& ins,
                     Fen cap_used);

/// Deductible due for an admission at this level. Continuous deductible: an up-referred patient
/// pays only the top-up above what the episode already paid. Down-referral waiver: none.
Fen deductible_due(Level level, const CareRoute& route, const scenario::Insurance& ins,
                   Fen episode_deductible_paid);

/// Admission: the patient pays the deductible (at most the fee); the fund pays ratio x the rest,
/// limited by what is left of the yearly inpatient cap.
Bill inpatient_bill(Fen fee, Level level, const CareRoute& route, const scenario::Insurance& ins,
                    Fen episode_deductible_paid, Fen cap_used);

/// Case-based provider payment (DRG-like): the provider is paid case_rate for the admission
/// instead of its fees; the patient still pays the share computed on the fees, and the fund pays
/// the rest of the case rate (never below zero). case_rate 0 = fee-for-service: bill unchanged.
Bill case_based(const Bill& fee_bill, Fen case_rate);

/// Per-diem provider payment (按床日付费): rate × the stay's days (the days of the per-day fee,
/// so a stay of 2.5 days is paid 2.5 days), rounded to the fen; 0 when the rate is 0. The
/// admission is then settled as a case rate of that amount (case_based): the patient's share
/// stays the share computed on the fees.
Fen per_diem_payment(Fen rate, double days);

}  // namespace cmasim::model
