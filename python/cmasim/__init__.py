"""cmasim from Python: load scenarios, run them, compare them and sweep them, with the results as
pandas data frames and the same numbers as the ``cmasim`` command line, bit for bit.

    import cmasim
    s = cmasim.load("scenarios/tiny.yaml", {"horizon_days": 60})
    run = cmasim.run(s, replications=4, seed=7)
    run.county                      # one row per indicator: mean, 95% interval, ...
    run.tables["townships"]         # townships.csv as a data frame

The simulation runs in C++ with the GIL released, on ``threads`` worker threads (default: every
core). See docs/python.md.
"""

import os

import pandas as pd

from . import _cmasim
from ._cmasim import ScenarioError, set_log_level
from ._frames import Comparison, Run, Sweep, indicators
from ._values import override_list, yaml_text

__version__ = _cmasim.version
__all__ = ["Comparison", "Run", "Scenario", "ScenarioError", "Sweep", "compare", "expected_costs",
           "indicators", "load", "load_text", "run", "set_log_level", "sweep", "validate"]

# A loaded, checked scenario: name, description, file, text (None for a file), overrides, seed,
# replications, horizon_days, warmup_days.
Scenario = _cmasim.Scenario


def load(source, overrides=None, *, label=None):
    """A scenario from a file path, or from YAML text when ``source`` is a str holding a line
    break (``label`` then names it in messages; its directory anchors ``extends:`` paths).
    ``overrides``: a dict {key.path: value} or a list of ``"key.path=value"`` strings, as
    ``--set`` takes them (``facilities[county_hospital].doctors``; None removes a key).
    Raises ScenarioError with every problem found, each located as the command line locates it.
    """
    if isinstance(source, Scenario):
        if label is not None:
            raise TypeError("label is for YAML text, not for a loaded Scenario")
        return _cmasim.load(source.file, source.text, source.overrides + override_list(overrides))
    if isinstance(source, str) and "\n" in source:
        return load_text(source, overrides, label=label or "<text>")
    if label is not None:
        raise TypeError("label is for YAML text; a file is labelled by its path")
    return _cmasim.load(os.fspath(source), None, override_list(overrides))


def load_text(text, overrides=None, *, label="<text>"):
    """A scenario from YAML text (see load)."""
    return _cmasim.load(label, text, override_list(overrides))


def _scenario(source):
    return source if isinstance(source, Scenario) else load(source)


def validate(source, overrides=None):
    """Load and compile a scenario as ``cmasim validate`` does, without running it. Returns what
    it holds (name, residents, townships, villages, facilities, conditions); raises
    ScenarioError, whose text is what ``cmasim validate`` prints."""
    return _cmasim.check(load(source, overrides))


def expected_costs(source, overrides=None):
    """What the choice model expects a first contact at each facility to cost (yuan, out of
    pocket, as unreferred care; docs/model.md §4): a DataFrame with columns facility, level,
    condition, gatekept, yuan, one row per facility, condition and gatekept (True: a contracted
    resident under gatekeeping). tools/anchor_choice.py anchors the choice constants on it."""
    scenario = _scenario(source) if overrides is None else load(source, overrides)
    return pd.DataFrame(_cmasim.expected_costs(scenario),
                        columns=["facility", "level", "condition", "gatekept", "yuan"])


def run(scenario, *, replications=None, seed=None, threads=None):
    """Simulate the replications (default: the file's) with the seed (default: the file's), as
    ``cmasim run`` does. ``scenario``: a Scenario or anything load() takes. Returns a Run."""
    return Run(_cmasim.run(_scenario(scenario), replications, seed, threads))


def compare(base, *whatifs, replications=None, seed=None, threads=None, independent=False,
            labels=None):
    """Run the base and each what-if with common random numbers (replication r of each sees the
    same patients) and compare each what-if with the base, as ``cmasim compare`` does;
    ``independent=True`` gives each its own streams (Welch intervals). Labels default to the
    file names without extension. Returns a Comparison."""
    scenarios = [_scenario(s) for s in (base,) + whatifs]
    if labels is None:
        labels = [_label(s) for s in scenarios]
    return Comparison(_cmasim.compare(scenarios, list(labels), replications, seed, threads,
                                      independent))


def _label(scenario):
    return os.path.splitext(os.path.basename(scenario.file))[0]


def sweep(scenario, points, *, replications=None, seed=None, threads=None,
          common_random_numbers=True, indicators=None, confidence=0.95):
    """Run ``scenario`` at every point, a point being a dict {key.path: value} of overrides
    ({} is the scenario itself), as ``cmasim sweep`` runs a sweep file's points: the same seeds
    (one for every point with common random numbers, the default), tasks and values.
    ``indicators``: the county indicators to keep (default: all). Returns a Sweep."""
    points = [dict(p) for p in points]
    columns = []
    for point in points:
        columns += [key for key in point if key not in columns]
    values = [[yaml_text(p[c]) if c in p else None for c in columns] for p in points]
    raw = _cmasim.sweep(_scenario(scenario), columns, values, replications, seed, threads,
                        common_random_numbers, list(indicators or []), confidence)
    return Sweep(raw, columns, points)
