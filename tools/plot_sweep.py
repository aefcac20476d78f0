#!/usr/bin/python3
"""Plot a cmasim sweep summary (DIR/summary.csv from `cmasim sweep` or `cmasim merge`).

  tools/plot_sweep.py DIR --indicator grassroots_rate --x township_outpatient_ratio \\
      [--by county_deductible_yuan] [--out line.png]
      an indicator against one parameter: the mean with its confidence band, one line per value
      of --by (for a sampled design: points with error bars, since no two points share a value)
  tools/plot_sweep.py DIR --indicator grassroots_rate --heatmap township_outpatient_ratio \\
      county_deductible_yuan [--out heat.png]
      the mean over two parameters as a heatmap, each cell labelled with its value

Parameters that are neither --x/--by nor heatmap axes are averaged over (a note says so).
Without --indicator, the first indicator of the file is used; without --x or --heatmap, the first
parameter. Needs Debian's python3-pandas and python3-matplotlib (tools/dev.sh installs them).
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

STAT_COLUMNS = ["indicator", "n", "mean", "sd", "ci_low", "ci_high"]


def load(directory):
    summary = pd.read_csv(os.path.join(directory, "summary.csv"))
    parameters = [c for c in summary.columns if c not in STAT_COLUMNS and c != "point"]
    manifest = {}
    path = os.path.join(directory, "manifest.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    return summary, parameters, manifest


def fail(message):
    print(f"plot_sweep: {message}", file=sys.stderr)
    sys.exit(2)


def averaged_note(parameters, shown):
    rest = [p for p in parameters if p not in shown]
    return f" (averaged over {', '.join(rest)})" if rest else ""


def line_plot(data, parameters, indicator, x, by, manifest, out):
    sampled = data.groupby(x).size().max() == 1 and by is None and len(parameters) > 1
    fig, ax = plt.subplots(figsize=(7, 4.5))
    confidence = manifest.get("confidence", 0.95)
    if sampled:
        # A sampled design: every point has its own x, so show each with its interval.
        d = data.sort_values(x)
        ax.errorbar(d[x], d["mean"], yerr=[d["mean"] - d["ci_low"], d["ci_high"] - d["mean"]], fmt="o",
                    capsize=3, label=f"mean, {confidence:.0%} CI")
        note = " (other parameters vary: sampled design)"
    else:
        groups = [(None, data)] if by is None else list(data.groupby(by))
        for value, g in groups:
            g = g.groupby(x, as_index=False)[["mean", "ci_low", "ci_high"]].mean().sort_values(x)
            label = f"mean, {confidence:.0%} CI" if value is None else f"{by} = {value}"
            line, = ax.plot(g[x], g["mean"], marker="o", label=label)
            ax.fill_between(g[x], g["ci_low"], g["ci_high"], color=line.get_color(), alpha=0.2)
        note = averaged_note(parameters, [x] + ([by] if by else []))
    ax.set_xlabel(x)
    ax.set_ylabel(indicator)
    ax.set_title(f"{manifest.get('sweep_name', 'sweep')}: {indicator}{note}", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=150)


def heatmap(data, parameters, indicator, x, y, manifest, out):
    table = data.pivot_table(index=y, columns=x, values="mean", aggfunc="mean").sort_index(ascending=False)
    fig, ax = plt.subplots(figsize=(7, 5))
    image = ax.imshow(table.values, aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns])
    ax.set_yticks(range(len(table.index)), [str(i) for i in table.index])
    middle = (table.values.min() + table.values.max()) / 2
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            value = table.values[i, j]
            ax.text(j, i, f"{value:.4g}", ha="center", va="center", fontsize=8,
                    color="black" if value > middle else "white")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(image, ax=ax, label=f"{indicator} (mean)")
    ax.set_title(f"{manifest.get('sweep_name', 'sweep')}: {indicator}{averaged_note(parameters, [x, y])}",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=150)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", help="sweep output directory (holds summary.csv)")
    ap.add_argument("--indicator", help="indicator key (default: the first in the file)")
    ap.add_argument("--x", help="parameter column on the x axis")
    ap.add_argument("--by", help="parameter column: one line per value")
    ap.add_argument("--heatmap", nargs=2, metavar=("X", "Y"), help="two parameter columns for a heatmap")
    ap.add_argument("--out", help="image file (default: DIR/<indicator>_<kind>.png)")
    a = ap.parse_args()

    summary, parameters, manifest = load(a.directory)
    if not parameters:
        fail("summary.csv has no parameter columns")
    indicator = a.indicator or summary["indicator"].iloc[0]
    data = summary[summary["indicator"] == indicator]
    if data.empty:
        fail(f"no indicator '{indicator}'; the file has: {', '.join(summary['indicator'].unique())}")
    for column in [a.x, a.by] + (a.heatmap or []):
        if column is not None and column not in parameters:
            fail(f"no parameter column '{column}'; the file has: {', '.join(parameters)}")
    if a.heatmap:
        out = a.out or os.path.join(a.directory, f"{indicator}_heatmap.png")
        heatmap(data, parameters, indicator, a.heatmap[0], a.heatmap[1], manifest, out)
    else:
        x = a.x or parameters[0]
        out = a.out or os.path.join(a.directory, f"{indicator}_by_{x}.png")
        line_plot(data, parameters, indicator, x, a.by, manifest, out)
    print(out)


if __name__ == "__main__":
    main()
