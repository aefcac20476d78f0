#!/usr/bin/env python3
"""Writes a valid scenario of about SIZE megabytes, to measure how loading grows with a file's size.

    python3 tools/gen_big_scenario.py SIZE_MB OUT.yaml [--csv-villages]
    python3 tools/gen_big_scenario.py --errors N OUT.yaml

The county is as large as the loader's limits allow where a planner's file is large: 2,000
villages (each with its clinic, a road to its township seat and one to a neighbour) in 50
townships; the rest of the size is scripted episodes, one flow map a line (the only list that can
reach tens of megabytes within the limits: at most 1,000,000 episodes). With --csv-villages the
villages come from a CSV table beside OUT.yaml (OUT.villages.csv), as planners keep them.

With --errors N it writes instead the file of tests/test_loading.cpp: the minimal county of
tests/data/valid/minimal.yaml and N scripted episodes, each with a key the schema does not know
and none of the three it requires (4 N located messages).

Used for the figures of docs/performance.md ("Loading a large scenario"); the test of linear
loading (tests/test_loading.cpp) builds its own files in the same shape.
"""
import argparse
import os

TOWNSHIPS = 50
VILLAGES = 2000
TIMES = ['"08:15"', '"10:40"', '"14:05"', '"16:30"']


def county(csv_villages, csv_name):
    out = ["name: Large county", "horizon_days: 365", "places:", "  - {id: seat, name: County seat}"]
    out += [f"  - {{id: t{t}_seat, name: Town {t}}}" for t in range(TOWNSHIPS)]
    out.append("townships:")
    out += [f"  - {{id: t{t}, name: Township {t}, seat: t{t}_seat}}" for t in range(TOWNSHIPS)]
    if csv_villages:
        out.append(f"villages: {{csv: {csv_name}}}")
    else:
        out.append("villages:")
        out += [f"  - {{id: v{v}, name: Village {v}, township: t{v % TOWNSHIPS}, population: 900}}"
                for v in range(VILLAGES)]
    out.append("roads:")
    out += [f"  - {{from: t{t}_seat, to: seat, minutes: 35}}" for t in range(TOWNSHIPS)]
    out += [f"  - {{from: v{v}, to: t{v % TOWNSHIPS}_seat, minutes: {5 + v % 20}}}"
            for v in range(VILLAGES)]
    out += [f"  - {{from: v{v}, to: v{v + TOWNSHIPS}, minutes: 15}}"
            for v in range(VILLAGES - TOWNSHIPS)]
    out.append("facilities:")
    out += [f"  - {{id: v{v}_clinic, level: village, place: v{v}, village: v{v}, "
            f"township: t{v % TOWNSHIPS}}}" for v in range(VILLAGES)]
    out += [f"  - {{id: t{t}_center, level: township, place: t{t}_seat, township: t{t}, beds: 4}}"
            for t in range(TOWNSHIPS)]
    out.append("  - {id: hospital, level: county, place: seat, beds: 200}")
    out += ["conditions:", "  - {id: minor, episodes_per_person_year: 2, consult_minutes: 10}",
            "referral:", "  rules:", "    - {from: village, to: home_township}",
            "    - {from: township, to: hospital}"]
    return "\n".join(out) + "\n"


def villages_csv():
    rows = ["id,name,township,population"]
    rows += [f"v{v},Village {v},t{v % TOWNSHIPS},900" for v in range(VILLAGES)]
    return "\n".join(rows) + "\n"


def write_errors(n, out):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "tests", "data", "valid", "minimal.yaml")) as f:
        head = f.read() + "episodes:\n"
    with open(out, "w") as f:
        f.write(head)
        f.write("  - {bogus: 1}\n" * n)
    print(f"{out}: {n} episodes, each with an unknown key and no required key")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size_mb", type=float, nargs="?", default=0)
    parser.add_argument("out")
    parser.add_argument("--csv-villages", action="store_true")
    parser.add_argument("--errors", type=int, default=0)
    args = parser.parse_args()
    if args.errors:
        write_errors(args.errors, args.out)
        return
    csv_name = os.path.basename(args.out) + ".villages.csv"
    if args.csv_villages:
        with open(os.path.join(os.path.dirname(args.out) or ".", csv_name), "w") as f:
            f.write(villages_csv())
    target = int(args.size_mb * 1_000_000)
    with open(args.out, "w") as f:
        head = county(args.csv_villages, csv_name)
        f.write(head)
        size, n = len(head), 0
        if size < target:
            f.write("episodes:\n")
            size += len("episodes:\n")
        while size < target:
            line = (f"  - {{day: {n % 365}, time: {TIMES[n % 4]}, village: v{n % VILLAGES}, "
                    f"condition: minor}}\n")
            f.write(line)
            size += len(line)
            n += 1
    print(f"{args.out}: {size} bytes, {n} episodes")


if __name__ == "__main__":
    main()
