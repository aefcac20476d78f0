"""docs/python.md's example runs as written: every ```python block, in order, in one namespace,
from the repository root, as a notebook would run its cells."""

import os
import re

from conftest import SOURCE_DIR


def python_blocks(markdown):
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def test_the_example_runs_and_draws_its_figures(capsys):
    blocks = python_blocks((SOURCE_DIR / "docs" / "python.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    namespace = {"__name__": "docs_python_md"}
    cwd = os.getcwd()
    os.chdir(SOURCE_DIR)
    try:
        for number, block in enumerate(blocks):
            exec(compile(block, f"docs/python.md block {number + 1}", "exec"), namespace)
    finally:
        os.chdir(cwd)
    for name in ("compare.png", "sweep.png"):
        png = namespace["figures"] / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    # The comparison printed what the page says it prints.
    printed = capsys.readouterr().out
    assert "Tiny county" in printed and "did you mean" in printed
    assert namespace["comparison"].paired
    assert len(namespace["grid"].points) == 5
