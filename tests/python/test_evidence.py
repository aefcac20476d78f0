"""tools/evidence.py, the evidence table's command: its statistics as tables, and one run end to
end over the tiny county (docs/evidence.md)."""

import importlib.util
import math

import pytest

from conftest import BINARY, SOURCE_DIR, cli

_spec = importlib.util.spec_from_file_location("evidence", SOURCE_DIR / "tools" / "evidence.py")
evidence = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(evidence)


@pytest.mark.parametrize("p, df, expected", [
    (0.975, 1, 12.7062), (0.975, 9, 2.2622), (0.975, 29, 2.0452), (0.975, 1000, 1.9623),
    (0.5, 5, 0.0), (0.025, 9, -2.2622)])
def test_t_quantile_matches_tables(p, df, expected):
    assert evidence.t_quantile(p, df) == pytest.approx(expected, abs=2e-4)


@pytest.mark.parametrize("measure, base, whatif, expected", [
    ({"type": "level"}, 0.4, 9.0, 0.4),
    ({"type": "difference"}, 6.0, 6.5, 0.5),
    ({"type": "relative_change"}, 200.0, 300.0, 0.5),
    ({"type": "elasticity", "price_ratio": 1.1}, 100.0, 100.0 * 1.1 ** -0.5, -0.5),
    ({"type": "elasticity", "price_ratio": 0.9}, 100.0, 100.0 * 0.9 ** -0.37, -0.37)])
def test_effect_by_measure(measure, base, whatif, expected):
    assert evidence.effect(measure, base, whatif) == pytest.approx(expected, rel=1e-12)


def test_unknown_measure_is_an_error():
    with pytest.raises(evidence.EvidenceError, match="measure.type"):
        evidence.effect({"type": "ratio"}, 1.0, 2.0)


@pytest.mark.parametrize("sim, pub, expected", [
    ((-0.1, 0.1), (-0.7, -0.3), "above"), ((-0.9, -0.8), (-0.7, -0.3), "below"),
    ((-0.4, -0.1), (-0.7, -0.3), "agrees"), ((-0.8, -0.2), (-0.7, -0.3), "agrees"),
    ((float("nan"), float("nan")), (0, 1), "no interval")])
def test_verdict_is_interval_overlap(sim, pub, expected):
    assert evidence.verdict(*sim, *pub) == expected


def test_mean_interval():
    mean, low, high = evidence.mean_interval([1.0, 2.0, 3.0, 4.0])
    half = 3.1824 * math.sqrt((5.0 / 3.0) / 4.0)
    assert (mean, low, high) == pytest.approx((2.5, 2.5 - half, 2.5 + half), abs=1e-3)
    assert evidence.mean_interval([0.5] * 5) == (0.5, 0.5, 0.5)


def test_quantity_expressions():
    values = {"a": 2.0, "b": 3.0}
    assert evidence.evaluate("a + b * 2", values) == 8.0
    assert evidence.evaluate("(a + b) / 2", values) == 2.5
    with pytest.raises(evidence.EvidenceError, match="no indicator 'c'"):
        evidence.evaluate("a + c", values)
    with pytest.raises(evidence.EvidenceError, match="only indicator keys"):
        evidence.evaluate("__import__('os')", values)


def test_condition_quantities():
    values = {"a": 2.0, "conditions.chronic.grassroots_share": 0.8}
    assert evidence.evaluate("conditions.chronic.grassroots_share - 0.5", values) == \
        pytest.approx(0.3)
    with pytest.raises(evidence.EvidenceError, match="no indicator 'conditions.x.visits' in "
                       "the run's conditions.csv"):
        evidence.evaluate("conditions.x.visits", values)
    for bad in ("a.b", "conditions.chronic", "x.chronic.visits", "conditions.a.b.c"):
        with pytest.raises(evidence.EvidenceError, match="conditions.<condition id>"):
            evidence.evaluate(bad, values)


def test_read_replications_adds_the_conditions(tmp_path):
    (tmp_path / "replications.csv").write_text(
        "replication,indicator,value\n1,visits,10\n0,visits,9\n")
    assert evidence.read_replications(tmp_path / "replications.csv") == [
        {"visits": 9.0}, {"visits": 10.0}]
    (tmp_path / "conditions.csv").write_text(
        'replication,condition,name,indicator,value\n0,chronic,"Chronic, managed",visits,4\n'
        "1,chronic,Chronic,visits,5\n")
    assert evidence.read_replications(tmp_path / "replications.csv") == [
        {"visits": 9.0, "conditions.chronic.visits": 4.0},
        {"visits": 10.0, "conditions.chronic.visits": 5.0}]


EXPERIMENTS = """
experiments:
  - id: same
    claim: A scenario against itself
    study: none
    published: {value: 0, low: -0.01, high: 0.01, kind: band}
    base: {tiny}
    whatif: {tiny}
    measure: {type: difference, quantity: visits_per_capita}
  - id: dearer
    claim: Dearer outpatient care
    study: none
    published: {value: -0.5, low: -0.7, high: -0.3, kind: interval}
    base: {tiny}
    whatif: dearer.yaml
    measure: {type: elasticity, quantity: visits_village + visits_township, price_ratio: 1.5}
    if_not: Says why.
  - id: one_condition
    claim: One condition against itself
    study: none
    published: {value: 0, low: -0.01, high: 0.01, kind: band}
    base: {tiny}
    whatif: {tiny}
    measure: {type: difference, quantity: conditions.minor_acute.visits}
"""


def _write_experiments(tmp_path):
    tiny = SOURCE_DIR / "scenarios" / "tiny.yaml"
    (tmp_path / "dearer.yaml").write_text(
        f"extends: {tiny}\ninsurance:\n  outpatient_ratio: {{village: 0.0, township: 0.0}}\n")
    (tmp_path / "experiments.yaml").write_text(EXPERIMENTS.replace("{tiny}", str(tiny)))
    return tmp_path / "experiments.yaml"


def test_run_end_to_end_writes_the_marked_part_only(tmp_path):
    spec = _write_experiments(tmp_path)
    doc = tmp_path / "evidence.md"
    doc.write_text(f"# Title\n\n{evidence.BEGIN}\nold table\n{evidence.END}\n\nAfter.\n")
    rc = evidence.main(["--experiments", str(spec), "--binary", BINARY, "-r", "3", "-t", "2",
                        "--set", "horizon_days=40", "--set", "warmup_days=7", "--write", str(doc)])
    assert rc == 0
    text = doc.read_text()
    assert text.startswith("# Title\n") and text.endswith("\n\nAfter.\n")
    assert "old table" not in text
    same = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert "+0.000 (+0.000 to +0.000) | **agrees**" in same
    assert "| 2 | Dearer outpatient care |" in text
    one = next(line for line in text.splitlines() if line.startswith("| 3 |"))
    assert "+0.000 (+0.000 to +0.000) | **agrees**" in one


def test_missing_markers_leave_the_file_alone(tmp_path):
    spec = _write_experiments(tmp_path)
    doc = tmp_path / "evidence.md"
    doc.write_text("no markers\n")
    rc = evidence.main(["--experiments", str(spec), "--binary", BINARY, "-r", "2", "-t", "1",
                        "--only", "same", "--set", "horizon_days=20", "--set", "warmup_days=0",
                        "--write", str(doc)])
    assert rc == 2
    assert doc.read_text() == "no markers\n"


def test_a_row_without_whatif_is_refused(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("experiments:\n  - {id: x, claim: c, study: s, published: {value: 0, low: 0,"
                    " high: 1}, base: b.yaml, measure: {type: difference, quantity: q}}\n")
    assert evidence.main(["--experiments", str(spec)]) == 2


def test_shipped_experiments_load_and_their_scenarios_validate():
    spec = SOURCE_DIR / "scenarios" / "evidence" / "experiments.yaml"
    _, rows = evidence.load_experiments(spec)
    files = {row[k] for row in rows for k in ("base", "whatif") if k in row}
    assert len(files) >= 5
    for f in sorted(files):
        done = cli("validate", spec.parent / f, check=False)
        assert done.returncode == 0, f"{f}: {done.stderr}"
    for row in rows:
        assert row["published"]["low"] <= row["published"]["value"] <= row["published"]["high"]
