"""`cmake --install --component python` lays out a package the interpreter imports by itself."""

import os
import pathlib
import subprocess
import sys

import pytest

BUILD_DIR = os.environ.get("CMASIM_BUILD_DIR")


@pytest.mark.skipif(not BUILD_DIR, reason="needs CMASIM_BUILD_DIR (set by ctest)")
def test_installed_package_imports_and_runs(tmp_path, tiny):
    stage = tmp_path / "stage"
    subprocess.run(["cmake", "--install", BUILD_DIR, "--component", "python"], check=True,
                   capture_output=True, env={**os.environ, "DESTDIR": str(stage)})
    [init] = stage.rglob("cmasim/__init__.py")
    site = init.parent.parent
    assert list(init.parent.glob("_cmasim*.so"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    script = ("import cmasim; print(cmasim.__file__); "
              f"print(cmasim.run({str(tiny)!r}, replications=1, threads=1).summary['run']['seed'])")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True, env=env, cwd=tmp_path).stdout.split()
    assert pathlib.Path(out[0]).is_relative_to(stage)
    assert out[1] == "20261122"
