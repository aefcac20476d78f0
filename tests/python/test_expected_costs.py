"""cmasim.expected_costs(): what the choice model expects a first contact at each facility to
cost (the figures tools/anchor_choice.py anchors the choice constants on)."""

import pytest

import cmasim


def cost(frame, facility, condition):
    row = frame[(frame["facility"] == facility) & (frame["condition"] == condition)
                & ~frame["gatekept"]]
    assert len(row) == 1
    return float(row["yuan"].iloc[0])


def test_one_row_per_facility_condition_and_gatekept(tiny):
    frame = cmasim.expected_costs(str(tiny))
    assert list(frame.columns) == ["facility", "level", "condition", "gatekept", "yuan"]
    facilities, conditions = 8, 2  # scenarios/tiny.yaml
    assert len(frame) == 2 * conditions * facilities
    assert set(frame[frame["facility"] == "east_center"]["level"]) == {"township"}


def test_a_facility_that_cannot_treat_costs_the_referral_and_what_follows(tiny):
    frame = cmasim.expected_costs(str(tiny))
    # A village visit: 40 yuan at a 60% outpatient ratio, no follow-ups, no stay.
    assert cost(frame, "e1_clinic", "minor_acute") == pytest.approx(16.0)
    # Serious illness is treated from the county up: the village visit, then the county
    # hospital's episode as a referred patient (the referral goes to the first facility up the
    # rules' chain that treats, past the township; tiny.yaml has no referral penalty, so
    # referred and unreferred care cost the same there). The township center pays its own
    # visit (85 yuan at 50%) instead.
    county = cost(frame, "county_hospital", "serious")
    assert cost(frame, "e1_clinic", "serious") == pytest.approx(16.0 + county)
    assert cost(frame, "east_center", "serious") == pytest.approx(42.5 + county)


def test_overrides_reach_the_costs(tiny):
    dearer = cmasim.expected_costs(str(tiny), {"insurance.outpatient_ratio.village": 0.5})
    assert cost(dearer, "e1_clinic", "minor_acute") == pytest.approx(20.0)
