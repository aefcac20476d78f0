"""cmasim.run gives the numbers `cmasim run` writes, bit for bit, whatever the threads."""

import json
import threading

import numpy as np
import pandas as pd

import cmasim
from conftest import SHORT, SHORT_SET, cli


def cli_run(tiny, out, *extra):
    cli("run", tiny, "-r", 3, "--seed", 11, "-t", 2, "-q", "--out", out, *SHORT_SET, *extra)
    return out


def test_summary_equals_the_cli_summary_json(tiny, tmp_path):
    out = cli_run(tiny, tmp_path)
    run = cmasim.run(cmasim.load(str(tiny), SHORT), replications=3, seed=11, threads=2)
    text = (out / "summary.json").read_text(encoding="utf-8")
    assert run.summary_json == text
    assert run.summary == json.loads(text)
    assert run.summary["run"]["seed"] == 11 and run.summary["run"]["replications"] == 3


def test_tables_equal_the_cli_csv_files(tiny, tmp_path):
    out = cli_run(tiny, tmp_path)
    run = cmasim.run(cmasim.load(str(tiny), SHORT), replications=3, seed=11)
    assert set(run.tables) == {p.stem for p in out.glob("*.csv")}
    for name, frame in run.tables.items():
        keys = [c for c in frame.columns if c not in ("replication", "value")]
        csv = pd.read_csv(out / f"{name}.csv", float_precision="round_trip",
                          dtype={k: str for k in keys}, keep_default_na=False,
                          na_values={"value": [""]})
        assert list(frame.columns) == list(csv.columns)
        assert len(frame) == len(csv) > 0
        for column in ["replication"] + keys:
            assert frame[column].tolist() == csv[column].tolist(), (name, column)
        # Exact equality of every double (NaN where the file has an empty field).
        np.testing.assert_array_equal(frame["value"].to_numpy(), csv["value"].to_numpy())


def test_county_frame_reads_the_summary(tiny):
    run = cmasim.run(cmasim.load(str(tiny), SHORT), replications=2, seed=3)
    county = run.county.set_index("indicator")
    entry = run.summary["county"]["grassroots_rate"]
    assert county.loc["grassroots_rate", "mean"] == entry["mean"]
    assert county.loc["grassroots_rate", "label"] == entry["label"]
    wide = run.wide()
    assert list(wide.index) == [0, 1]
    assert wide.loc[1, "grassroots_rate"] == run.replications.query(
        "replication == 1 and indicator == 'grassroots_rate'")["value"].item()


def test_one_thread_and_two_threads_give_the_same_run(tiny):
    scenario = cmasim.load(str(tiny), SHORT)
    one = cmasim.run(scenario, replications=4, seed=5, threads=1)
    two = cmasim.run(scenario, replications=4, seed=5, threads=2)
    assert one.summary_json == two.summary_json
    for name in one.tables:
        pd.testing.assert_frame_equal(one.tables[name], two.tables[name])


def test_runs_from_python_threads_at_once_match_a_run_alone(tiny):
    # The GIL is released while simulating, so Python threads may run scenarios side by side.
    scenario = cmasim.load(str(tiny), SHORT)
    alone = [cmasim.run(scenario, replications=2, seed=s, threads=1).summary_json
             for s in (1, 2, 3)]
    together = [None] * 3

    def work(k):
        together[k] = cmasim.run(scenario, replications=2, seed=k + 1, threads=1).summary_json

    workers = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert together == alone


def test_seed_and_overrides_change_the_run(tiny):
    a = cmasim.run(cmasim.load(str(tiny), SHORT), replications=2, seed=1)
    b = cmasim.run(cmasim.load(str(tiny), SHORT), replications=2, seed=2)
    assert a.summary["county"] != b.summary["county"]
    richer = cmasim.load(str(tiny), {**SHORT, "insurance.outpatient_ratio.township": 0.9})
    assert richer.overrides[-1] == "insurance.outpatient_ratio.township=0.9"
    c = cmasim.run(richer, replications=2, seed=1)
    assert c.summary["county"] != a.summary["county"]


def test_load_text_and_properties(tiny):
    text = tiny.read_text(encoding="utf-8")
    from_text = cmasim.load(text, SHORT, label=str(tiny))
    from_file = cmasim.load(tiny, SHORT)
    assert from_text.text == text and from_file.text is None
    assert from_text.name == from_file.name == "Tiny county"
    assert from_file.horizon_days == 40 and from_file.seed == 20261122
    same = [cmasim.run(s, replications=2, threads=1).summary["county"]
            for s in (from_text, from_file)]
    assert same[0] == same[1]


def test_indicator_table():
    table = cmasim.indicators()
    assert list(table.columns) == ["key", "label", "chinese", "unit", "section", "decimals",
                                   "description"]
    names = table.set_index("key")["chinese"]
    assert names["in_county_rate"] == "县域就诊率" and names["grassroots_share"] == "基层诊疗量占比"
    assert table["key"].is_unique
