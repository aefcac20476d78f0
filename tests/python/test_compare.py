"""cmasim.compare gives what `cmasim compare` gives: the same compare.json, and paired
differences that really are paired."""

import json

import numpy as np
import pytest

import cmasim
from conftest import SHORT, cli

TOWNSHIP_UP = "insurance.outpatient_ratio.township"


def write_whatif(tmp_path, tiny):
    path = tmp_path / "richer.yaml"
    path.write_text(f"extends: {tiny}\nhorizon_days: 40\nwarmup_days: 7\n"
                    f"insurance: {{outpatient_ratio: {{township: 0.9}}}}\n", encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text(f"extends: {tiny}\nhorizon_days: 40\nwarmup_days: 7\n", encoding="utf-8")
    return base, path


@pytest.mark.parametrize("independent", [False, True])
def test_compare_json_equals_the_cli(tiny, tmp_path, independent):
    base, whatif = write_whatif(tmp_path, tiny)
    flags = ["--independent"] if independent else []
    cli("compare", base, whatif, "-r", 3, "--seed", 5, "-t", 2, "--out", tmp_path / "o", *flags)
    mine = cmasim.compare(str(base), str(whatif), replications=3, seed=5, threads=2,
                          independent=independent)
    assert mine.summary == json.loads((tmp_path / "o" / "compare.json").read_text())
    assert mine.paired == (not independent)
    assert list(mine.estimates["scenario"].unique()) == ["base", "richer"]
    assert set(mine.differences["scenario"]) == {"richer"}


def test_paired_difference_is_the_mean_of_per_replication_differences(tiny):
    base = cmasim.load(tiny, SHORT)
    richer = cmasim.load(base, {TOWNSHIP_UP: 0.9})
    comparison = cmasim.compare(base, richer, replications=3, seed=5, labels=["a", "b"])
    runs = [cmasim.run(s, replications=3, seed=5).wide()["visits_township"] for s in (base, richer)]
    paired = (runs[1] - runs[0]).tolist()
    row = comparison.differences.set_index("indicator").loc["visits_township"]
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(np.mean(paired), rel=1e-12)
    assert row["sd"] == pytest.approx(np.std(paired, ddof=1), rel=1e-12)
    assert row["mean"] > 0  # paying more at the township moves visits there
    estimates = comparison.estimates.set_index(["scenario", "indicator"])
    assert estimates.loc[("a", "visits_township"), "mean"] == pytest.approx(runs[0].mean(), rel=1e-12)


def test_compare_needs_a_whatif(tiny):
    with pytest.raises(ValueError):
        cmasim.compare(tiny)


def test_library_logs_go_to_stderr_and_only_when_asked(tiny, capfd):
    base = cmasim.load(tiny, SHORT)
    cmasim.compare(base, base, replications=2, seed=1, threads=1, labels=["a", "b"])
    quiet = capfd.readouterr()
    assert quiet.out == "" and quiet.err == ""
    cmasim.set_log_level("info")
    try:
        cmasim.compare(base, base, replications=2, seed=1, threads=1, labels=["a", "b"])
    finally:
        cmasim.set_log_level("warn")
    loud = capfd.readouterr()
    assert loud.out == "" and "running" in loud.err and "seed 1" in loud.err
    with pytest.raises(ValueError):
        cmasim.set_log_level("chatty")
