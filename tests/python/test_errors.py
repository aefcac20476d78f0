"""Bad scenarios raise cmasim.ScenarioError with the command line's located messages."""

import pytest

import cmasim
from conftest import cli

BAD = """\
name: Broken county
seed: 1
replications: 0
horizon_days: -5
"""


def extends_tiny(tmp_path, tiny, body):
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {tiny}\n{body}", encoding="utf-8")
    return path


def test_error_text_is_what_cmasim_validate_prints(tiny, tmp_path):
    path = extends_tiny(tmp_path, tiny, "replications: 0\nchoice: {b_tme: -0.04}\n")
    printed = cli("validate", path, check=False)
    assert printed.returncode == 2
    with pytest.raises(cmasim.ScenarioError) as caught:
        cmasim.validate(str(path))
    assert str(caught.value) + "\n" == printed.stderr
    # Located: file:line:column, the key path and a fix.
    assert f"{path}:2:" in str(caught.value)
    assert "choice: unknown key 'b_tme'" in str(caught.value)
    assert "did you mean" in str(caught.value)


def test_diagnostics_one_by_one(tiny, tmp_path):
    path = extends_tiny(tmp_path, tiny, "replications: 0\nhorizon_days: -5\n")
    with pytest.raises(cmasim.ScenarioError) as caught:
        cmasim.load(str(path))
    found = {d["key_path"]: d for d in caught.value.diagnostics}
    assert {"replications", "horizon_days"} <= set(found)
    bad = found["horizon_days"]
    assert (bad["file"], bad["line"]) == (str(path), 3) and bad["column"] > 0
    assert bad["text"].startswith(f"{path}:3:{bad['column']}: horizon_days: ")
    assert isinstance(caught.value, ValueError)


def test_an_override_error_names_the_override(tiny):
    with pytest.raises(cmasim.ScenarioError) as caught:
        cmasim.load(str(tiny), {"facilities[nowhere].doctors": 3})
    printed = cli("validate", tiny, "--set", "facilities[nowhere].doctors=3", check=False)
    assert str(caught.value) + "\n" == printed.stderr
    assert "--set facilities[nowhere].doctors=3" in str(caught.value)


def test_text_errors_are_located_in_the_label():
    with pytest.raises(cmasim.ScenarioError) as caught:
        cmasim.load_text(BAD, label="county.yaml")
    assert any(d["file"] == "county.yaml" and d["line"] == 4 for d in caught.value.diagnostics)


def test_a_missing_file_raises(tmp_path):
    with pytest.raises(cmasim.ScenarioError, match="nothing.yaml"):
        cmasim.load(str(tmp_path / "nothing.yaml"))


def test_validate_counts_what_the_county_holds(tiny):
    counts = cmasim.validate(tiny)
    assert counts == {"name": "Tiny county", "residents": 6000, "townships": 2, "villages": 4,
                      "facilities": 8, "conditions": counts["conditions"]}
    assert f"{counts['residents']} residents" in cli("validate", tiny).stdout


def test_bad_arguments_raise_value_errors(tiny):
    scenario = cmasim.load(tiny)
    with pytest.raises(ValueError):
        cmasim.run(scenario, replications=0)
    with pytest.raises(TypeError):
        cmasim.load(tiny, "horizon_days=40")
    with pytest.raises(ValueError, match="unknown indicator"):
        cmasim.sweep(scenario, [{}], indicators=["no_such_indicator"])
