"""tools/levers_table.py, the command behind docs/levers.md's table of effects: its cells as a
table, and the marked section replaced whole (nothing else on the page touched)."""

import importlib.util

import pytest

from conftest import SOURCE_DIR

_spec = importlib.util.spec_from_file_location("levers_table",
                                               SOURCE_DIR / "tools" / "levers_table.py")
levers_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(levers_table)


def stat(mean, lo, hi):
    return {"n": 10, "mean": 1.0, "ci_low": 0.9, "ci_high": 1.1,
            "difference": {"n": 10, "mean": mean, "ci_low": lo, "ci_high": hi}}


@pytest.mark.parametrize("difference, scale, expected", [
    ((0.0, 0.0, 0.0), 100.0, "0 (exact)"),
    ((0.0, -0.001, 0.001), 100.0, "+0.00 [-0.10, +0.10]"),
    ((0.012, 0.011, 0.013), 100.0, "+1.20 [+1.10, +1.30] *"),
    ((-2.5, -3.0, -2.0), 1.0, "-2.50 [-3.00, -2.00] *"),
    ((5e6, 4e6, 6e6), 1e-6, "+5.00 [+4.00, +6.00] *"),
])
def test_cells(difference, scale, expected):
    assert levers_table.cell(stat(*difference), scale, 2) == expected


def test_write_replaces_only_the_marked_section(tmp_path):
    compare = {"git_commit": "abc", "replications": 10, "scenarios": [
        {"label": "baseline", "indicators": {"in_county_rate": {"mean": 0.9}}},
        {"label": "01_x", "indicators": {"in_county_rate": stat(0.01, 0.005, 0.015)}}]}
    (tmp_path / "c.json").write_text(__import__("json").dumps(compare))
    page = tmp_path / "levers.md"
    page.write_text("before\n<!-- effects:begin -->\nold\n<!-- effects:end -->\nafter\n")
    import sys
    argv, sys.argv = sys.argv, ["x", str(tmp_path / "c.json"), "--write", str(page)]
    try:
        assert levers_table.main() == 0
    finally:
        sys.argv = argv
    text = page.read_text()
    assert text.startswith("before\n<!-- effects:begin -->\n") and text.endswith("after\n")
    assert "old" not in text
    assert "| `01_x` | +1.00 [+0.50, +1.50] * |" in text
    assert "| *baseline level* | 90.00 |" in text
