#!/usr/bin/python3
"""The evidence table: each published behavioural effect next to the simulated one.

Reads an experiments file (default scenarios/evidence/experiments.yaml), runs every scenario it
names once with the same seed (common random numbers: the base and its what-ifs see the same
patients), computes each row's simulated effect per replication, and prints, per row, the
published effect with its interval, the simulated effect with its 95% Student-t interval over
replications, and a verdict. With --write FILE the table replaces the part of FILE between the
markers `<!-- evidence:begin -->` and `<!-- evidence:end -->` (docs/evidence.md), written whole
or not at all.

    /usr/bin/python3 tools/evidence.py [--experiments FILE] [-r N] [-t N] [--set KEY=VALUE]
                                       [--only ID,ID] [--write docs/evidence.md]

Measures (the `measure.type` of a row), q = the row's quantity per replication:
  level             q(base)                                   e.g. a bypass share
  difference        q(whatif) - q(base)                       e.g. visits per resident
  relative_change   q(whatif) / q(base) - 1                   e.g. +55% primary-care visits
  elasticity        ln(q(whatif) / q(base)) / ln(price_ratio) the arc elasticity of a designed
                                                              price change (price_ratio)
A quantity is an arithmetic expression (+ - * / and parentheses) over indicator keys of
replications.csv, e.g. `visits_per_capita * grassroots_rate`, and over one condition's
indicators of conditions.csv as `conditions.<condition id>.<indicator>`, e.g.
`conditions.chronic.grassroots_share` (a study of one group of patients).
"""

import argparse
import ast
import csv
import datetime
import math
import operator
import os
import pathlib
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- evidence:begin -->", "<!-- evidence:end -->"
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv}


class EvidenceError(Exception):
    """A wrong experiments file or a failed run: printed as one message, exit status 2."""


# ---------------------------------------------------------------------------------------------
# Statistics (pure functions, tested in tests/python/test_evidence.py)
# ---------------------------------------------------------------------------------------------

def _t_cdf(t, df):
    """Student t distribution function by the regularized incomplete beta (continued fraction)."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t > 0 else tail


def _betainc(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _betainc(b, a, 1.0 - x)
    # Lentz's continued fraction
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
    f = d
    for m in range(1, 300):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
            c = 1.0 + num / c
            c = c if abs(c) > 1e-300 else 1e-300
            f *= c * d
        if abs(c * d - 1.0) < 1e-14:
            break
    return front * f / a


def t_quantile(p, df):
    """The p-quantile of Student's t with df degrees of freedom (bisection on the cdf)."""
    lo, hi = -1e3, 1e3
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _t_cdf(mid, df) < p else (lo, mid)
    return 0.5 * (lo + hi)


def mean_interval(values, confidence=0.95):
    """Mean and Student-t interval of independent replications; a constant gives a zero width."""
    n = len(values)
    if n == 0:
        raise EvidenceError("no replications to summarise")
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan"), float("nan")
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * math.sqrt(var / n)
    return mean, mean - half, mean + half


def effect(measure, base, whatif):
    """One replication's simulated effect of a row (see the module's documentation)."""
    kind = measure["type"]
    if kind == "level":
        return base
    if kind == "difference":
        return whatif - base
    if kind == "relative_change":
        return whatif / base - 1.0 if base != 0 else float("nan")
    if kind == "elasticity":
        ratio = float(measure["price_ratio"])
        if base <= 0 or whatif <= 0:
            return float("nan")
        return math.log(whatif / base) / math.log(ratio)
    raise EvidenceError(f"measure.type '{kind}' is not one of level, difference, "
                        "relative_change, elasticity")


def verdict(sim_low, sim_high, pub_low, pub_high):
    """Whether the simulated interval overlaps the published one, and on which side if not."""
    if any(math.isnan(v) for v in (sim_low, sim_high)):
        return "no interval"
    if sim_high < pub_low:
        return "below"
    if sim_low > pub_high:
        return "above"
    return "agrees"


def _dotted(node):
    """`a` or `conditions.x.y` as text; None for any other attribute chain."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    if len(parts) > 1 and (len(parts) != 3 or parts[-1] != "conditions"):
        return None
    return ".".join(reversed(parts))


def evaluate(expression, values):
    """Evaluates a quantity expression over one replication's indicators (no names but keys)."""
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, (ast.Name, ast.Attribute)):
            key = _dotted(node)
            if key is None:
                raise EvidenceError(f"quantity '{expression}': a dotted name must be "
                                    "conditions.<condition id>.<indicator>")
            if key not in values:
                where = "conditions.csv" if "." in key else "replications.csv"
                raise EvidenceError(f"quantity '{expression}': no indicator '{key}' in the "
                                    f"run's {where}")
            return values[key]
        raise EvidenceError(f"quantity '{expression}': only indicator keys, numbers, + - * / "
                            "and parentheses are allowed")
    try:
        tree = ast.parse(str(expression), mode="eval")
    except SyntaxError as e:
        raise EvidenceError(f"quantity '{expression}': {e.msg}") from None
    return walk(tree)


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------

def read_replications(path):
    """replications.csv → [{indicator: value}] by replication number, with each condition's
    indicators of conditions.csv beside it (when the run wrote one) as
    `conditions.<condition>.<indicator>`."""
    path = pathlib.Path(path)
    reps = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            reps.setdefault(int(row["replication"]), {})[row["indicator"]] = float(row["value"])
    conditions = path.with_name("conditions.csv")
    if conditions.exists():
        with open(conditions, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                key = f"conditions.{row['condition']}.{row['indicator']}"
                reps.setdefault(int(row["replication"]), {})[key] = float(row["value"])
    return [reps[k] for k in sorted(reps)]


def run_scenario(binary, scenario, out_dir, seed, replications, threads, sets=()):
    cmd = [binary, "run", str(scenario), "-q", "--out", str(out_dir), "-t", str(threads)]
    for s in sets:
        cmd += ["--set", s]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if replications is not None:
        cmd += ["-r", str(replications)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise EvidenceError(f"{' '.join(cmd)} failed (exit {done.returncode}):\n{done.stderr}")
    return read_replications(pathlib.Path(out_dir) / "replications.csv")


REQUIRED = ("id", "study", "claim", "published", "base", "measure")


def load_experiments(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise EvidenceError(f"{path}: {e}") from None
    rows = (doc or {}).get("experiments")
    if not isinstance(rows, list) or not rows:
        raise EvidenceError(f"{path}: expected a non-empty list under 'experiments:'")
    for i, row in enumerate(rows):
        missing = [k for k in REQUIRED if k not in row]
        if row.get("measure", {}).get("type") != "level" and "whatif" not in row:
            missing.append("whatif")
        if missing:
            raise EvidenceError(f"{path}: experiment {i + 1} ({row.get('id', '?')}) lacks "
                                f"{', '.join(missing)}")
    return doc, rows


def simulate(rows, folder, args, work):
    """Runs each scenario the rows name once (same seed: common random numbers)."""
    results = {}
    for row in rows:
        for key in ("base", "whatif"):
            if key not in row or row[key] in results:
                continue
            out = pathlib.Path(work) / f"run{len(results)}"
            print(f"running {row[key]}", file=sys.stderr)
            results[row[key]] = run_scenario(args.binary, folder / row[key], out, args.seed,
                                             args.replications, args.threads, args.set)
    return results


def summarise(row, results):
    """The row's simulated mean and interval from per-replication effects."""
    base = results[row["base"]]
    whatif = results.get(row.get("whatif"), base)
    if len(base) != len(whatif):
        raise EvidenceError(f"{row['id']}: base and what-if ran different replication counts")
    q = row["measure"].get("quantity")
    if q is None:
        raise EvidenceError(f"{row['id']}: measure.quantity is missing")
    values = [effect(row["measure"], evaluate(q, b), evaluate(q, w)) for b, w in zip(base, whatif)]
    return mean_interval(values)


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

def fmt(x, digits):
    return "n/a" if math.isnan(x) else f"{x:+.{digits}f}" if digits >= 0 else f"{x:.{-digits}f}"


KINDS = {"interval": "95% CI", "derived": "derived 95% CI", "band": "band (ours)"}


def table(rows, summaries):
    lines = ["| # | effect | study | published | simulated (95% CI) | verdict |",
             "|---|---|---|---|---|---|"]
    notes = []
    for i, (row, (mean, low, high)) in enumerate(zip(rows, summaries), start=1):
        pub = row["published"]
        d = int(row["measure"].get("digits", 3))
        plow, phigh = float(pub["low"]), float(pub["high"])
        what = KINDS.get(pub.get("kind", "interval"))
        if what is None:
            raise EvidenceError(f"{row['id']}: published.kind must be one of {', '.join(KINDS)}")
        published = f"{fmt(float(pub['value']), d)} ({what} {fmt(plow, d)} to {fmt(phigh, d)})"
        v = verdict(low, high, plow, phigh)
        simulated = f"{fmt(mean, d)} ({fmt(low, d)} to {fmt(high, d)})"
        lines.append(f"| {i} | {row['claim']} | {row['study']} | {published} | {simulated} | "
                     f"**{v}** |")
        if v != "agrees" and row.get("if_not"):
            notes.append(f"{i}. {' '.join(str(row['if_not']).split())}")
    return lines, notes


def git_commit():
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True)
    except OSError:  # no git (an unpacked release): the table still says which build made it
        return "unknown"
    return done.stdout.strip() or "unknown"


def render(rows, summaries, args, replications):
    lines, notes = table(rows, summaries)
    seed = f"seed {args.seed}" if args.seed is not None else "each base scenario's own seed"
    sets = f", with {', '.join(args.set)}" if args.set else ""
    head = [f"Produced by `{args.command_line}` on {datetime.date.today().isoformat()} at commit "
            f"{git_commit()}: {replications} replications, {seed}{sets}; common random numbers "
            "between each base and its what-if. Intervals are Monte Carlo intervals over "
            "replications: they do not include the uncertainty of the model's parameters.", ""]
    tail = (["", "Rows that do not agree, and what would fix them:", ""] + notes) if notes else []
    return "\n".join(head + lines + tail) + "\n"


def write_between_markers(path, text):
    """Replaces the marked part of a document; the file is replaced whole or left as it was."""
    path = pathlib.Path(path)
    old = path.read_text(encoding="utf-8")
    if BEGIN not in old or END not in old:
        raise EvidenceError(f"{path}: the markers {BEGIN} and {END} are missing")
    new = old[:old.index(BEGIN) + len(BEGIN)] + "\n" + text + old[old.index(END):]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--experiments", default=str(ROOT / "scenarios/evidence/experiments.yaml"))
    p.add_argument("--binary", default=str(ROOT / "build/release/src/cmasim"))
    p.add_argument("-r", "--replications", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("-t", "--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--write", help="a Markdown file with the evidence markers (docs/evidence.md)")
    p.add_argument("--only", help="comma-separated experiment ids")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="passed to every run (e.g. horizon_days=60 for a quick look)")
    args = p.parse_args(argv)
    args.command_line = " ".join(["/usr/bin/python3 tools/evidence.py"] + (argv or sys.argv[1:]))
    try:
        spec = pathlib.Path(args.experiments)
        _, rows = load_experiments(spec)
        if args.only:
            keep = set(args.only.split(","))
            rows = [r for r in rows if r["id"] in keep]
        with tempfile.TemporaryDirectory(prefix="cmasim-evidence-") as work:
            results = simulate(rows, spec.parent, args, work)
            summaries = [summarise(r, results) for r in rows]
        replications = min(len(r) for r in results.values())
        text = render(rows, summaries, args, replications)
        if args.write:
            write_between_markers(args.write, text)
        sys.stdout.write(text)
    except EvidenceError as e:
        print(f"evidence: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
