"""cmasim.sweep runs the points `cmasim sweep` runs: the same seeds, values and summaries."""

import io

import numpy as np
import pandas as pd
import pytest

import cmasim
from conftest import SHORT, cli

RATIO = "insurance.outpatient_ratio.township"
DEDUCTIBLE = "insurance.inpatient_deductible.county"
GRID = [{RATIO: r, DEDUCTIBLE: d} for r in (0.5, 0.9) for d in (300, 1200)]


def sweep_file(tmp_path, tiny, extra=""):
    path = tmp_path / "grid.yaml"
    path.write_text(f"""\
base: {tiny}
set: {{horizon_days: 40, warmup_days: 7}}
seed: 9
replications: 2
{extra}parameters:
  - path: {RATIO}
    values: [0.5, 0.9]
  - path: {DEDUCTIBLE}
    values: [300, 1200]
""", encoding="utf-8")
    return path


def read(path):
    return pd.read_csv(path, float_precision="round_trip")


@pytest.fixture(scope="module")
def grid(tiny):
    return cmasim.sweep(cmasim.load(tiny, SHORT), GRID, replications=2, seed=9, threads=2)


def test_results_equal_cmasim_sweep(tiny, tmp_path, grid):
    cli("sweep", sweep_file(tmp_path, tiny), "--out", tmp_path / "out", "-t", 2, "-q")
    pd.testing.assert_frame_equal(grid.results, read(tmp_path / "out" / "results.csv"),
                                  check_exact=True, check_dtype=False)
    summary = read(tmp_path / "out" / "summary.csv")
    mine = grid.summary.drop(columns="half_width")
    assert list(mine.columns) == list(summary.columns)
    # With one finite value summary.csv writes the degenerate [mean, mean]; Python says NaN.
    rows = mine["n"] >= 2
    pd.testing.assert_frame_equal(mine[rows], summary[rows], check_exact=True, check_dtype=False)
    assert rows.sum() > 0.8 * len(rows)


def test_seeds_equal_the_sweeps_list_of_points(tiny, tmp_path, grid):
    for common, extra in ((True, ""), (False, "common_random_numbers: false\n")):
        listed = cli("sweep", sweep_file(tmp_path, tiny, extra), "--list-points").stdout
        expected = pd.read_csv(io.StringIO(listed), dtype={"seed": "uint64"})["seed"]
        scenario = cmasim.load(tiny, SHORT)
        mine = grid if common else cmasim.sweep(scenario, GRID, replications=1, seed=9,
                                                common_random_numbers=False)
        assert mine.points["seed"].tolist() == expected.tolist()
    assert len(set(expected)) == len(GRID)


def test_one_thread_and_two_threads_give_the_same_sweep(tiny, grid):
    one = cmasim.sweep(cmasim.load(tiny, SHORT), GRID, replications=2, seed=9, threads=1)
    pd.testing.assert_frame_equal(one.results, grid.results, check_exact=True)


def test_differences_are_paired_over_replications(grid):
    diff = grid.differences(reference=0)
    assert sorted(set(diff["point"])) == [1, 2, 3]
    assert list(diff.columns[:3]) == ["point", RATIO, DEDUCTIBLE]
    values = grid.results.pivot(index=["point", "replication"], columns="indicator",
                                values="value")
    paired = [values.loc[(3, r), "grassroots_rate"] - values.loc[(0, r), "grassroots_rate"]
              for r in (0, 1)]
    row = diff.query("point == 3 and indicator == 'grassroots_rate'").iloc[0]
    assert row["mean"] == sum(paired) / 2
    assert row["sd"] == np.std(paired, ddof=1)
    against_3 = grid.differences(reference=3)
    assert sorted(set(against_3["point"])) == [0, 1, 2]
    with pytest.raises(IndexError):
        grid.differences(reference=4)


def test_points_may_leave_keys_alone_and_keep_some_indicators(tiny):
    sweep = cmasim.sweep(tiny, [{}, {RATIO: 0.9}], replications=1, seed=4, threads=1,
                         indicators=["grassroots_rate", "in_county_rate"],
                         )
    assert np.isnan(sweep.points.loc[0, RATIO]) and sweep.points.loc[1, RATIO] == 0.9
    assert set(sweep.results["indicator"]) == {"grassroots_rate", "in_county_rate"}
    alone = cmasim.run(tiny, replications=1, seed=4, threads=1).summary["county"]
    base = sweep.results.query("point == 0").set_index("indicator")["value"]
    assert base["grassroots_rate"] == alone["grassroots_rate"]["mean"]


def test_a_bad_point_is_reported_as_cmasim_sweep_reports_it(tiny, tmp_path):
    bad = sweep_file(tmp_path, tiny).read_text().replace("[0.5, 0.9]", "[0.5, 1.5]")
    (tmp_path / "bad.yaml").write_text(bad)
    printed = cli("sweep", tmp_path / "bad.yaml", "--out", tmp_path / "o", check=False)
    assert printed.returncode == 2
    points = [{RATIO: r, DEDUCTIBLE: d} for r in (0.5, 1.5) for d in (300, 1200)]
    with pytest.raises(cmasim.ScenarioError) as caught:
        cmasim.sweep(cmasim.load(tiny, SHORT), points, replications=2, seed=9)
    assert str(caught.value) + "\n" == printed.stderr
    assert "sweep point 2" in str(caught.value)
