"""The results of runs, comparisons and sweeps as pandas data frames."""

import json

import pandas as pd

from . import _cmasim

# Estimate columns in the order summary.json and summary.csv use.
ESTIMATE_COLUMNS = ["n", "mean", "sd", "ci_low", "ci_high", "half_width"]


def _frame(columns):
    """A data frame from a dict of columns (lists or arrays), keeping the column order."""
    return pd.DataFrame({name: columns[name] for name in columns})


def _table(name, doc):
    return property(lambda self: self.tables[name], doc=doc)


class Run:
    """One scenario's replications: ``summary`` (summary.json as a dict), ``tables`` (each CSV
    file of ``cmasim run`` as a data frame, by name without ``.csv``) and ``county`` (the county
    estimates, one row per indicator)."""

    def __init__(self, raw):
        self.summary_json = raw["summary_json"]
        self.summary = json.loads(self.summary_json)
        self.tables = {}
        for table in raw["tables"]:
            data = table["data"]
            self.tables[table["name"]] = _frame({c: data[c] for c in table["columns"]})

    replications = _table("replications", "replications.csv: replication, indicator, value.")
    townships = _table("townships",
                       "townships.csv: replication, township, name, indicator, value.")
    months = _table("months", "months.csv: replication, month, indicator, value.")
    facilities = _table("facilities",
                        "facilities.csv: replication, facility, name, indicator, value.")
    conditions = _table("conditions",
                        "conditions.csv: replication, condition, name, indicator, value.")
    levels = _table("levels", "levels.csv: replication, level, indicator, value.")

    @property
    def county(self):
        """indicator, label, unit, n, mean, sd, ci_low, ci_high, half_width (NaN for null)."""
        rows = [{"indicator": key, **entry} for key, entry in self.summary["county"].items()]
        frame = pd.DataFrame(rows, columns=["indicator", "label", "unit"] + ESTIMATE_COLUMNS)
        return frame.astype({c: float for c in ESTIMATE_COLUMNS[1:]})

    def wide(self, table="replications"):
        """A tidy table spread out: one column per indicator."""
        frame = self.tables[table]
        index = [c for c in frame.columns if c not in ("indicator", "value")]
        return frame.pivot(index=index, columns="indicator", values="value")

    def __repr__(self):
        run = self.summary["run"]
        return (f"<cmasim.Run {run['scenario_name']!r}: {run['replications']} replications, "
                f"seed {run['seed']}>")


class Comparison:
    """What-ifs against a base: ``estimates`` (scenario, indicator, estimate columns),
    ``differences`` (each what-if minus the base, paired over replications with common random
    numbers, else Welch) and ``summary`` (compare.json as a dict)."""

    def __init__(self, raw):
        self.summary = json.loads(raw["json"])
        self.replications = raw["replications"]
        self.seed = raw["seed"]
        self.paired = self.summary["paired"]
        self.estimates = _frame(raw["estimates"])
        self.differences = _frame(raw["differences"])

    def __repr__(self):
        labels = [s["label"] for s in self.summary["scenarios"]]
        return (f"<cmasim.Comparison {labels[1:]} vs {labels[0]!r}: {self.replications} "
                f"replications, seed {self.seed}, {'paired' if self.paired else 'Welch'}>")


class Sweep:
    """A sweep kept in memory: ``points`` (point, one column per key path, seed), ``results``
    (as results.csv: point, key paths, replication, indicator, value), ``summary`` (as
    summary.csv, plus half_width) and ``differences(reference)``."""

    def __init__(self, raw, columns, points):
        self._raw = raw
        self.columns = list(columns)
        self.replications = raw.replications
        frame = pd.DataFrame(points, columns=self.columns)
        frame.insert(0, "point", range(len(points)))
        frame["seed"] = pd.Series(raw.seeds, dtype="uint64")
        self.points = frame
        self.results = self._with_parameters(_frame(raw.results()))
        self.summary = self._with_parameters(_frame(raw.summary()))

    def differences(self, reference=0):
        """Every other point minus point ``reference``, per indicator: paired over replications
        when the points share their random numbers (the default), else Welch."""
        return self._with_parameters(_frame(self._raw.differences(reference)))

    def _with_parameters(self, frame):
        parameters = self.points[["point"] + self.columns]
        merged = frame.merge(parameters, on="point", how="left", sort=False)
        rest = [c for c in frame.columns if c != "point"]
        return merged[["point"] + self.columns + rest]

    def __repr__(self):
        return (f"<cmasim.Sweep {len(self.points)} points x {self.replications} replications over "
                f"{self.columns}>")


def indicators():
    """The indicator table: key, label, chinese (the official Chinese name, empty where the
    policy documents give none), unit, section, decimals, description; one row per indicator in
    the report's order."""
    return _frame(_cmasim.indicator_table())
