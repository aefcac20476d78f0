#!/usr/bin/env python3
"""Level constants that absorb the cost terms at a scenario's own prices (docs/model.md, the
outside option and the anchoring of the baseline).

The choice constants of a calibrated scenario were set while a facility's utility held
b_cost * (the expected out-of-pocket cost of the condition at its level, one figure per level).
Adding `choice.b_log_cost`, and pricing a first contact per facility along the path the episode
would take from there (issue 13: follow-ups, the referral where the facility cannot treat, the
transfer up, the down-referral; `cmasim.expected_costs()`), would also move which level patients
choose at today's prices. This prints, per condition and level, the expected out-of-pocket cost
of a first contact there (yuan, for a resident outside gatekeeping, averaged over the level's
facilities; the range when they differ) and the choice constant that keeps the level's utility
at today's prices what it was in the calibration:

    calibrated constant - b_log_cost * mean ln(1 + cost) - b_cost * (mean cost - calibration cost)

where the calibration cost is the old one-per-level figure at the calibration scenario's prices.
Price *changes*, and differences between facilities of one level (a township center that cannot
treat the condition costs the referral), then move choices through b_cost and b_log_cost.

    /usr/bin/python3 tools/anchor_choice.py scenarios/baseline.yaml \\
        --base-constants FILE [--b-log-cost B] [--write]

--base-constants names the calibration scenario: its conditions' choice_constant were calibrated
without the terms, at its own prices (default: the scenario itself). --write replaces each
condition's `choice_constant:` line in the scenario file (keeping its comment). The module is
taken from build/release/python unless PYTHONPATH names another build."""
import argparse
import math
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "build" / "release" / "python"))
import cmasim  # noqa: E402  (after the build directory joins the path)

LEVELS = ["village", "township", "county", "external"]


def per_level(node, default=0.0):
    node = node or {}
    base = node.get("default", default)
    return [float(node.get(level, base)) for level in LEVELS]


def calibration_oop(cond, ins, level):
    """The one-per-level expected cost the calibrated constants saw (before issue 13): the visit
    and, with the level's admission probability, the stay, as unreferred care, not gatekept."""
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


def anchored(scenario_file, scenario, base, b_cost, b_log_cost):
    """{condition id: (constants per level, costs per level as (mean, min, max))}."""
    costs = cmasim.expected_costs(scenario_file)
    costs = costs[~costs["gatekept"]]
    out = {}
    calibrated = {c["id"]: c for c in base["conditions"]}
    for current in scenario["conditions"]:
        cond = calibrated[current["id"]]
        rows = costs[costs["condition"] == cond["id"]]
        old = per_level(cond.get("choice_constant"))
        constants, spread = [], []
        for lv, o in zip(LEVELS, old):
            yuan = rows[rows["level"] == lv]["yuan"]
            if yuan.empty:  # no facility of this level: keep the constant unused but defined
                constants.append(o)
                spread.append(None)
                continue
            mean_log = sum(math.log1p(y) for y in yuan) / len(yuan)
            shift = yuan.mean() - calibration_oop(cond, base["insurance"], lv)
            constants.append(o - b_log_cost * mean_log - b_cost * shift)
            spread.append((yuan.mean(), yuan.min(), yuan.max()))
        out[cond["id"]] = (constants, spread)
    return out


def constant_text(constants):
    return "{" + ", ".join(f"{lv}: {v:.2f}" for lv, v in zip(LEVELS, constants)) + "}"


def write(path, result):
    """Replaces the first `choice_constant: {...}` after each condition's `- id:` line."""
    text = pathlib.Path(path).read_text()
    for cid, (constants, _) in result.items():
        block = re.search(rf"^  - id: {re.escape(cid)}\n", text, re.M)
        line = re.compile(r"^(\s+choice_constant: )\{[^}\n]*\}", re.M)
        m = line.search(text, block.end())
        text = text[:m.start()] + m.group(1) + constant_text(constants) + text[m.end():]
    pathlib.Path(path).write_text(text)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("scenario")
    p.add_argument("--b-log-cost", type=float, help="default: the scenario's choice.b_log_cost")
    p.add_argument("--base-constants")
    p.add_argument("--write", action="store_true")
    a = p.parse_args()
    s = yaml.safe_load(open(a.scenario))
    base = yaml.safe_load(open(a.base_constants)) if a.base_constants else s
    b_log_cost = a.b_log_cost if a.b_log_cost is not None else s["choice"].get("b_log_cost", 0.0)
    result = anchored(a.scenario, s, base, s["choice"].get("b_cost", 0.0), b_log_cost)
    for cid, (constants, spread) in result.items():
        print(f"# {cid}: expected out-of-pocket " + ", ".join(
            f"{lv} {c[0]:.1f}" + (f" ({c[1]:.1f}-{c[2]:.1f})" if c[2] - c[1] > 0.05 else "")
            for lv, c in zip(LEVELS, spread) if c))
        print("    choice_constant: " + constant_text(constants))
    if a.write:
        write(a.scenario, result)


if __name__ == "__main__":
    main()
