#!/usr/bin/env python3
"""Level constants that absorb a log-cost term at a scenario's own prices (docs/model.md, the
outside option and the anchoring of the baseline).

Adding `choice.b_log_cost` to a calibrated scenario would also move which level patients choose
at today's prices. This prints, per condition and level, the scenario's expected out-of-pocket
cost of a first contact (yuan, as the choice model computes it for a resident outside
gatekeeping) and the choice constant that keeps every facility's utility at today's prices what
it was without the term: the existing constant minus b_log_cost * ln(1 + cost). Price *changes*
then move utility by b_log_cost * change in ln(1 + cost).

    /usr/bin/python3 tools/anchor_choice.py scenarios/baseline.yaml --b-log-cost -1.5 \
        --base-constants FILE

--base-constants names a scenario whose conditions' choice_constant are the ones calibrated
without the term (default: the scenario itself)."""
import argparse
import math

import yaml

LEVELS = ["village", "township", "county", "external"]


def per_level(node, default=0.0):
    node = node or {}
    base = node.get("default", default)
    return [float(node.get(level, base)) for level in LEVELS]


def expected_oop(cond, ins, level):
    """expected_out_of_pocket_yuan() of src/model/county.cpp, unreferred, not gatekept."""
    l = LEVELS.index(level)
    penalty = per_level(ins.get("unreferred_penalty"))[l] if l >= 2 else 0.0
    ratio = lambda r: min(1.0, max(0.0, r - penalty))
    op = per_level(cond.get("outpatient_fee"))[l] * (1 - ratio(per_level(ins["outpatient_ratio"])[l]))
    p_admit = per_level(cond.get("admission_probability"))[l]
    ip = 0.0
    if p_admit > 0:
        stay = cond["stay_days"].get(level, cond["stay_days"].get("default"))
        fee = per_level(cond.get("inpatient_fee_stay"))[l] + per_level(
            cond.get("inpatient_fee_day"))[l] * float(stay["mean"])
        ded = min(fee, per_level(ins["inpatient_deductible"])[l])
        ip = ded + (fee - ded) * (1 - ratio(per_level(ins["inpatient_ratio"])[l]))
    return op + p_admit * ip


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("scenario")
    p.add_argument("--b-log-cost", type=float, required=True)
    p.add_argument("--base-constants")
    a = p.parse_args()
    s = yaml.safe_load(open(a.scenario))
    base = yaml.safe_load(open(a.base_constants)) if a.base_constants else s
    base_constants = {c["id"]: c.get("choice_constant", {}) for c in base["conditions"]}
    for cond in s["conditions"]:
        old = per_level(base_constants[cond["id"]])
        costs = [expected_oop(cond, s["insurance"], level) for level in LEVELS]
        new = [o - a.b_log_cost * math.log1p(c) for o, c in zip(old, costs)]
        print(f"# {cond['id']}: expected out-of-pocket "
              + ", ".join(f"{lv} {c:.1f}" for lv, c in zip(LEVELS, costs)))
        print("    choice_constant: {" + ", ".join(f"{lv}: {v:.2f}" for lv, v in zip(LEVELS, new)) + "}")


if __name__ == "__main__":
    main()
