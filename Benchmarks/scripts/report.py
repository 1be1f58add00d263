#!/usr/bin/env python3
"""The side-by-side report of `make bench`.

Runs mpi-bench (Swift) and mpi-bench-c (C), and mpi4py's loops when a Python
with mpi4py is given, alternately (A B C A B C ...) for latency, bw and
allreduce at 2 ranks; prints per size the median of each implementation and
the ratio to C; writes every run and the summary to bench-results/ as JSON;
and draws latency against message size with gnuplot.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ENVIRONMENT = {
    "OMPI_ALLOW_RUN_AS_ROOT": "1",
    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
    "OMPI_MCA_btl_base_warn_component_unused": "0",
}
BENCHMARKS = ["latency", "bw", "allreduce"]


def run(command, ranks, timeout):
    """One mpirun, under a timeout; returns the JSON report of rank 0."""
    full = ["timeout", "-k", "5", str(timeout), "mpirun", "-np", str(ranks)] + command + ["--format", "json"]
    environment = dict(os.environ, **ENVIRONMENT)
    if "OMPI_MCA_mpi_yield_when_idle" not in ENVIRONMENT:
        environment.pop("OMPI_MCA_mpi_yield_when_idle", None)   # not inherited either
    result = subprocess.run(full, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(full)}\n{result.stdout}\n{result.stderr}")
    start = result.stdout.find("{")
    if start >= 0:
        # The JSON object may span lines; anything MPI printed before it is skipped.
        report, _ = json.JSONDecoder().raw_decode(result.stdout[start:])
        return report
    raise SystemExit(f"no JSON from {' '.join(full)}:\n{result.stdout}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--swift", required=True, help="path to mpi-bench")
    parser.add_argument("--c", required=True, help="path to mpi-bench-c")
    parser.add_argument("--python", help="a python3 with mpi4py, for a third column")
    parser.add_argument("--pairs", type=int, default=5, help="alternating rounds (at least 5)")
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--output", default="bench-results")
    parser.add_argument("--benchmarks", default=",".join(BENCHMARKS))
    parser.add_argument("--extra", default="", help="extra options for every run, e.g. '-m 1:1024'")
    args = parser.parse_args()

    os.makedirs(args.output, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    implementations = {"swift": [args.swift], "c": [args.c]}
    if args.python:
        implementations["mpi4py"] = [args.python, os.path.join(here, "mpi4py_bench.py")]
    extra = args.extra.split() if args.extra else []

    # Ranks that outnumber the cores must yield when idle, or they spin
    # against each other; otherwise yielding only slows the waits it adds to.
    cores = os.cpu_count() or 1
    yielding = args.ranks > cores
    if yielding:
        ENVIRONMENT["OMPI_MCA_mpi_yield_when_idle"] = "1"
    setting = (f"mpi_yield_when_idle=1 ({args.ranks} ranks on {cores} cores)" if yielding
               else f"mpi_yield_when_idle unset ({args.ranks} ranks on {cores} cores: not oversubscribed)")
    print(f"# {setting}")
    summary = {"ranks": args.ranks, "pairs": args.pairs, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "cores": cores, "mpi_yield_when_idle": yielding, "benchmarks": {}}
    for benchmark in args.benchmarks.split(","):
        runs = {name: [] for name in implementations}
        for round_ in range(args.pairs):
            for name, command in implementations.items():
                report = run(command + [benchmark] + extra, args.ranks, timeout=900)
                runs[name].append(report)
                with open(os.path.join(args.output, f"{benchmark}-{name}-{round_ + 1}.json"), "w") as file:
                    json.dump(report, file, indent=1, sort_keys=True)
        unit = runs["c"][0]["unit"]
        sizes = [row["size"] for row in runs["c"][0]["rows"]]
        table = []
        for size in sizes:
            entry = {"size": size}
            for name in implementations:
                values = [row["value"] for report in runs[name] for row in report["rows"] if row["size"] == size]
                p50 = [row["median"] for report in runs[name] for row in report["rows"] if row["size"] == size]
                if values:
                    entry[name] = statistics.median(values)
                    entry[f"{name}_runs"] = values
                    entry[f"{name}_iteration_median"] = statistics.median(p50)
            for name in implementations:
                if name != "c" and name in entry and entry.get("c"):
                    entry[f"{name}_over_c"] = entry[name] / entry["c"]
            table.append(entry)
        summary["benchmarks"][benchmark] = {"unit": unit, "rows": table}
        print_table(benchmark, unit, table, list(implementations))

    with open(os.path.join(args.output, "summary.json"), "w") as file:
        json.dump(summary, file, indent=1, sort_keys=True)
    if "latency" in summary["benchmarks"]:
        plot(summary["benchmarks"]["latency"]["rows"], list(implementations), args.output)
    print(f"\nAll figures: {args.output}/summary.json and {args.output}/*.json")


def print_table(benchmark, unit, table, names):
    better = "lower" if unit == "us" else "higher"
    print(f"\n# {benchmark}: median over the alternating runs, in {unit} ({better} is better)")
    header = f"{'# Size':<10}" + "".join(f"{name:>14}" for name in names)
    header += "".join(f"{name + '/C':>14}" for name in names if name != "c")
    print(header)
    for entry in table:
        line = f"{entry['size']:<10}" + "".join(f"{entry.get(name, float('nan')):>14.2f}" for name in names)
        line += "".join(f"{entry.get(name + '_over_c', float('nan')):>14.3f}" for name in names if name != "c")
        print(line)


def plot(rows, names, output):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("gnuplot not found: no picture (make bench installs it)")
        return
    data = os.path.join(output, "latency.dat")
    with open(data, "w") as file:
        file.write("# size " + " ".join(names) + "\n")
        for entry in rows:
            if entry["size"] == 0:
                continue
            file.write(f"{entry['size']} " + " ".join(str(entry.get(name, "NaN")) for name in names) + "\n")
    picture = os.path.join(output, "latency.png")
    lines = ", ".join(f"'{data}' using 1:{index + 2} with linespoints title '{name}'" for index, name in enumerate(names))
    script = f"""
set terminal png size 900,600
set output '{picture}'
set title 'One-way latency, 2 ranks, shared memory (median of alternating runs)'
set xlabel 'message size (bytes)'
set ylabel 'latency (us)'
set logscale xy
set grid
set key top left
plot {lines}
"""
    subprocess.run([gnuplot], input=script, text=True, check=True)
    print(f"Picture: {picture}")


if __name__ == "__main__":
    sys.exit(main())
