"""Shared set-up of the Python tests: where the source tree and the cmasim binary are (ctest
passes them in the environment; see python/CMakeLists.txt), and running the binary."""

import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("CMASIM_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("CMASIM_BINARY", str(SOURCE_DIR / "build/release/src/cmasim"))
TINY = SOURCE_DIR / "scenarios" / "tiny.yaml"

# A short horizon keeps each run well under a second.
SHORT = {"horizon_days": 40, "warmup_days": 7}
SHORT_SET = ["--set", "horizon_days=40", "--set", "warmup_days=7"]


def cli(*args, check=True):
    """Runs the cmasim binary; returns the completed process (text output)."""
    return subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, check=check)


@pytest.fixture(scope="session")
def tiny():
    return TINY
