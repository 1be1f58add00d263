#!/usr/bin/env python3
"""The side-by-side report of `make bench`.

Runs, alternately (A B C D E, B C D E A, ...: each round starts one later), for latency, bw, mbw_mr, allreduce,
bcast, the 2-D halo exchanges (halo_persistent, halo_neighbor; no mpi4py twin) and the one-sided
tests (put_latency, get_latency, acc_latency, put_bw, get_bw; no mpi4py twin; both programs exclude
Open MPI's osc/rdma, as the package does) at 2 ranks: mpi-bench (Swift, receives truncation-guarded as the
running MPI needs), mpi-bench --unsafe (Swift's opt-out, no guard), mpi-bench-c
(plain C), mpi-bench-c --guard (C making the same guarded calls as Swift), and
mpi4py's loops when a Python with mpi4py is given. The opt-out and the guard
change only receives, so those two run only the point-to-point tests; under an
MPI that needs no guard (MPICH) C with the guard is plain C and is not run
twice. Prints per size the median of each and the ratios; writes every run
and the summary to bench-results/ as JSON; draws latency, bandwidth and
all-reduce against message size with the ratio to C below each.

Then the object messages (issue 13; `--objects no` skips them, `--objects
only` runs only them): object-latency and object-broadcast of a record, a
dictionary and a struct holding a [Double] (mpi-bench) against mpi4py's
lowercase (pickle) API on the same data, the [Double] object against the
typed [Double] message of the same size, and particle-latency of [Particle]
(a struct datatype) against the same memory as [UInt8]; each group in
alternating runs, medians over the rounds, ratios, and each target met or
missed ("Object messages" table; "objects" in summary.json).

Then Swift concurrency and the task pool (issue 14; `--concurrency no` skips
them, `--concurrency only` runs only them): async-latency against latency at 2
ranks, async-idle (awaited, and blocking with and without Open MPI's
mpi_yield_when_idle), pool-throughput against mpi4py.futures at 3 ranks
(chunk sizes 1 and 64), and pool-primes at 2 ranks (1 worker) against 3 (2
workers); alternating runs, medians, ratios, and each target met or missed
("Concurrency and the task pool" table; "concurrency" in summary.json).
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
# The one-sided tests (issue 16's benchmarks; exactly 2 ranks, no mpi4py twin).
ONE_SIDED = ["put_latency", "get_latency", "acc_latency", "put_bw", "get_bw"]
BENCHMARKS = ["latency", "bw", "mbw_mr", "allreduce", "bcast", "halo_persistent", "halo_neighbor"] + ONE_SIDED
POINT_TO_POINT = {"latency", "bw", "bibw", "mbw_mr", "multi_lat"}
# Benchmarks whose receives Swift guards as it guards point-to-point ones
# (so mpi-bench-c --guard is their twin), and those mpi4py_bench.py lacks.
GUARDED = POINT_TO_POINT | {"halo_persistent"}
NOT_IN_MPI4PY = {"halo_persistent", "halo_neighbor"} | set(ONE_SIDED)
# Each ratio the report prints: (numerator, denominator).
RATIOS = [("swift", "c"), ("swift", "c-guard"), ("swift-unsafe", "c"), ("mpi4py", "c"), ("mpi4py", "swift")]


def run(launcher, command, ranks, timeout, settings=None):
    """One mpirun, under a timeout; returns the JSON report of rank 0. `settings`: environment
    variables for this run only, over ENVIRONMENT."""
    full = ["timeout", "-k", "5", str(timeout), launcher, "-np", str(ranks)] + command + ["--format", "json"]
    environment = dict(os.environ, **ENVIRONMENT)
    if "OMPI_MCA_mpi_yield_when_idle" not in ENVIRONMENT:
        environment.pop("OMPI_MCA_mpi_yield_when_idle", None)   # not inherited either
    environment.update(settings or {})
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
    parser.add_argument("--python", help="a python3 with mpi4py, for mpi4py's column")
    parser.add_argument("--launcher", default="mpirun", help="mpirun (Open MPI) or mpiexec.mpich")
    parser.add_argument("--pairs", type=int, default=5, help="alternating rounds (at least 5)")
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--output", default="bench-results")
    parser.add_argument("--benchmarks", default=",".join(BENCHMARKS))
    parser.add_argument("--extra", default="", help="extra options for every run, e.g. '-m 1:1024'")
    parser.add_argument("--objects", choices=["yes", "no", "only"], default="yes",
                        help="the object-message benchmarks: after the others, not at all, or alone")
    parser.add_argument("--concurrency", choices=["yes", "no", "only"], default="yes",
                        help="the concurrency and task-pool benchmarks: after the others, not at all, or alone")
    args = parser.parse_args()

    os.makedirs(args.output, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
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

    # The guard Swift uses under this MPI, as mpi-bench reports it.
    probe = run(args.launcher, [args.swift, "latency", "-m", "8:8", "-i", "10", "-x", "1"], 2, timeout=120)
    guard = probe.get("truncation_guard", "unknown")
    print(f"# launcher: {args.launcher}; Swift's truncation guard under this MPI: {guard}")
    # (command, options after the subcommand, whether it runs a benchmark)
    implementations = {"swift": ([args.swift], [], lambda _: True),
                       "swift-unsafe": ([args.swift], ["--unsafe"], lambda name: name in POINT_TO_POINT),
                       "c": ([args.c], [], lambda _: True)}
    if guard == "guarded":
        implementations["c-guard"] = ([args.c], ["--guard"], lambda name: name in GUARDED)
    if args.python:
        implementations["mpi4py"] = ([args.python, os.path.join(here, "mpi4py_bench.py")], [],
                                     lambda name: name not in NOT_IN_MPI4PY)

    summary = {"ranks": args.ranks, "pairs": args.pairs, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "cores": cores, "mpi_yield_when_idle": yielding, "launcher": args.launcher,
               "truncation_guard": guard, "benchmarks": {}}
    alone = args.objects == "only" or args.concurrency == "only"
    for benchmark in (args.benchmarks.split(",") if not alone else []):
        names = [name for name, (_, _, runs_it) in implementations.items() if runs_it(benchmark)]
        runs = {name: [] for name in names}
        for round_ in range(args.pairs):
            # Each round starts one implementation later: the run that follows
            # mpi4py's was measured slower at small sizes (MPICH: 0.33 against
            # 0.22 us for the same calls), and no program may always be it.
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                command, options, _ = implementations[name]
                # The one-sided tests run at exactly 2 ranks (origin and target), as OSU's do.
                ranks = 2 if benchmark in ONE_SIDED else args.ranks
                report = run(args.launcher, command + [benchmark] + options + extra, ranks, timeout=900)
                runs[name].append(report)
                with open(os.path.join(args.output, f"{benchmark}-{name}-{round_ + 1}.json"), "w") as file:
                    json.dump(report, file, indent=1, sort_keys=True)
        unit = runs["c"][0]["unit"]
        sizes = [row["size"] for row in runs["c"][0]["rows"]]
        table = []
        for size in sizes:
            entry = {"size": size}
            for name in names:
                values = [row["value"] for report in runs[name] for row in report["rows"] if row["size"] == size]
                p50 = [row["median"] for report in runs[name] for row in report["rows"]
                       if row["size"] == size and "median" in row]
                rates = [row["messages_per_second"] for report in runs[name] for row in report["rows"]
                         if row["size"] == size and "messages_per_second" in row]
                if values:
                    entry[name] = statistics.median(values)
                    entry[f"{name}_runs"] = values
                    # The best run: each launch on this machine settles in a
                    # fast or a slow mode (about 2x apart at small sizes), and
                    # the median of 5 follows the mix; the best is the fast
                    # mode's figure whenever any run found it.
                    entry[f"{name}_best"] = min(values) if unit == "us" else max(values)
                if p50:
                    entry[f"{name}_iteration_median"] = statistics.median(p50)
                if rates:
                    entry[f"{name}_messages_per_second"] = statistics.median(rates)
            for top, bottom in RATIOS:
                if entry.get(top) and entry.get(bottom):
                    entry[f"{top}/{bottom}"] = entry[top] / entry[bottom]
                    entry[f"{top}/{bottom}_best"] = entry[f"{top}_best"] / entry[f"{bottom}_best"]
            table.append(entry)
        summary["benchmarks"][benchmark] = {"unit": unit, "implementations": names, "rows": table}
        print_table(benchmark, unit, table, names)
        print_table(benchmark, unit, table, names, best=True)

    if args.objects != "no" and args.concurrency != "only":
        python = [args.python, os.path.join(here, "mpi4py_bench.py")] if args.python else None
        summary["objects"] = object_messages(args, [args.swift], python)
    if args.concurrency != "no" and args.objects != "only":
        futures = [args.python, "-m", "mpi4py.futures", os.path.join(here, "mpi4py_bench.py")] if args.python else None
        summary["concurrency"] = concurrency(args, args.swift, futures, cores)

    with open(os.path.join(args.output, "summary.json"), "w") as file:
        json.dump(summary, file, indent=1, sort_keys=True)
    for benchmark in ("latency", "bw", "allreduce"):
        if benchmark in summary["benchmarks"]:
            plot(benchmark, summary["benchmarks"][benchmark], args.output, guard)
    print(f"\nAll figures: {args.output}/summary.json and {args.output}/*.json")


# The object-message groups: (key, title, subcommand, [(name, program, options)], targets). A
# target is (numerator, denominator, smallest size it applies to, bound, "min" or "max"): the
# ratio of the medians must be at least ("min") or at most ("max") the bound. program is
# "swift" or "python" (mpi4py_bench.py); a group's runs alternate as the main benchmarks' do.
def object_groups():
    def swift(*options):
        return ("swift", list(options))

    def python(*options):
        return ("python", list(options))

    small = [("mpi4py", "swift", 0, 2.0, "min")]
    array = [("swift-object", "swift-typed", 65536, 1.2, "max")]
    groups = []
    for subcommand, title in (("object-latency", "latency"), ("object-broadcast", "broadcast")):
        record = [("swift", *swift("--payload", "record")), ("mpi4py", *python("--payload", "record"))]
        if subcommand == "object-latency":   # a tuple pickles faster than the dict: shown, not a target
            record.append(("mpi4py-tuple", *python("--payload", "record-tuple")))
        groups += [
            (f"{title}-record", f"{title}: record (Int, Double, 16-char String)", subcommand, record, small),
            (f"{title}-dictionary", f"{title}: dictionary (100 String keys to Double)", subcommand,
             [("swift", *swift("--payload", "dictionary")), ("mpi4py", *python("--payload", "dictionary"))], small),
            (f"{title}-array", f"{title}: struct holding a [Double] (size in bytes)", subcommand,
             [("swift-object", *swift("--payload", "array")), ("swift-typed", *swift("--payload", "array", "--typed")),
              ("mpi4py", *python("--payload", "array"))]
             + ([("swift-typed-new", *swift("--payload", "array", "--typed-new"))] if subcommand == "object-latency" else []),
             array),
        ]
    groups.append(("particle-latency", "latency: [Particle] struct datatype vs the same memory as [UInt8] (size in particles)",
                   "particle-latency",
                   [("particles", *swift("--payload", "particles")), ("bytes", *swift("--payload", "bytes")),
                    ("particles-new", *swift("--payload", "particles-new")), ("bytes-new", *swift("--payload", "bytes-new"))],
                   [("particles", "bytes", 0, 1.05, "max")]))
    return groups


# Ratios shown beside each group's medians besides its targets' (numerator, denominator).
OBJECT_EXTRA_RATIOS = {"latency-record": [("mpi4py-tuple", "swift")],
                       "latency-array": [("mpi4py", "swift-object"), ("swift-object", "swift-typed-new")],
                       "broadcast-array": [("mpi4py", "swift-object")], "particle-latency": [("particles-new", "bytes-new")]}


def object_messages(args, swift, python):
    """Runs the object groups in alternating rounds; prints each group's medians and ratios and the
    "Object messages" table of targets; returns what summary.json keeps under "objects"."""
    result = {"groups": {}, "targets": []}
    for key, title, subcommand, members, targets in object_groups():
        members = [(name, program, options) for name, program, options in members if program == "swift" or python]
        names = [name for name, _, _ in members]
        commands = {name: (swift if program == "swift" else python) + [subcommand] + options
                    for name, program, options in members}
        runs = {name: [] for name in names}
        for round_ in range(args.pairs):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                report = run(args.launcher, commands[name], args.ranks, timeout=600)
                runs[name].append(report)
                with open(os.path.join(args.output, f"objects-{key}-{name}-{round_ + 1}.json"), "w") as file:
                    json.dump(report, file, indent=1, sort_keys=True)
        sizes = [row["size"] for row in runs[names[0]][0]["rows"]]
        ratios = [(top, bottom) for top, bottom, _, _, _ in targets] + OBJECT_EXTRA_RATIOS.get(key, [])
        ratios = [(top, bottom) for top, bottom in ratios if top in names and bottom in names]
        table = []
        for size in sizes:
            entry = {"size": size}
            for name in names:
                values = [row["value"] for report in runs[name] for row in report["rows"] if row["size"] == size]
                if values:
                    entry[name] = statistics.median(values)
                    entry[f"{name}_runs"] = values
                    entry[f"{name}_best"] = min(values)
                # The median iteration of each run (less swayed by a rank descheduled now and then
                # than OSU's average), then the median over the runs.
                p50 = [row["median"] for report in runs[name] for row in report["rows"]
                       if row["size"] == size and "median" in row]
                if p50:
                    entry[f"{name}_iteration_median"] = statistics.median(p50)
                encoded = [report.get("encoded_bytes", {}).get(str(size)) for report in runs[name]]
                if encoded and encoded[0] is not None:
                    entry[f"{name}_encoded_bytes"] = encoded[0]
            for top, bottom in ratios:
                if entry.get(top) and entry.get(bottom):
                    entry[f"{top}/{bottom}"] = entry[top] / entry[bottom]
                    # The same ratio round by round (runs of a round are neighbours in time).
                    per_round = [a / b for a, b in zip(entry[f"{top}_runs"], entry[f"{bottom}_runs"]) if b]
                    entry[f"{top}/{bottom}_round_median"] = statistics.median(per_round)
                if entry.get(f"{top}_iteration_median") and entry.get(f"{bottom}_iteration_median"):
                    entry[f"{top}/{bottom}_iteration_median"] = (entry[f"{top}_iteration_median"]
                                                                 / entry[f"{bottom}_iteration_median"])
            table.append(entry)
        layout = runs[names[0]][0].get("layout")
        result["groups"][key] = {"title": title, "unit": "us", "implementations": names, "rows": table,
                                 "commands": {name: " ".join(command) for name, command in commands.items()}}
        if layout:
            result["groups"][key]["layout"] = layout
        print_object_group(title, table, names, ratios, layout)
        for top, bottom, smallest, bound, kind in targets:
            for entry in table:
                if entry["size"] < smallest:
                    continue
                ratio = entry.get(f"{top}/{bottom}")
                met = None if ratio is None else (ratio >= bound if kind == "min" else ratio <= bound)
                result["targets"].append({"group": key, "size": entry["size"], "ratio": f"{top}/{bottom}",
                                          "value": ratio, "round_median": entry.get(f"{top}/{bottom}_round_median"),
                                          "iteration_median": entry.get(f"{top}/{bottom}_iteration_median"),
                                          "target": f"{'>=' if kind == 'min' else '<='} {bound}", "met": met,
                                          top: entry.get(top), bottom: entry.get(bottom)})
    print_object_targets(result["targets"])
    return result


def print_object_group(title, table, names, ratios, layout):
    print(f"\n# {title}: median over the alternating runs, in us (lower is better)")
    if layout:
        print("# layout: " + ", ".join(f"{k} {v}" for k, v in sorted(layout.items())))
    labels = [f"{top}/{bottom}" for top, bottom in ratios]
    width = max(14, max(len(label) for label in names + labels) + 2)
    print(f"{'# Size':<10}" + "".join(f"{name:>{width}}" for name in names + labels))
    for entry in table:
        line = f"{entry['size']:<10}" + "".join(f"{entry.get(name, float('nan')):>{width}.2f}" for name in names)
        line += "".join(f"{entry.get(label, float('nan')):>{width}.3f}" for label in labels)
        print(line)
    print(f"# the same, median iteration (median over the runs of each run's median iteration)")
    for entry in table:
        line = f"{entry['size']:<10}" + "".join(
            f"{entry.get(name + '_iteration_median', float('nan')):>{width}.2f}" for name in names)
        line += "".join(f"{entry.get(label + '_iteration_median', float('nan')):>{width}.3f}" for label in labels)
        print(line)
    encoded = [(name, entry[f"{name}_encoded_bytes"]) for entry in table[:1] for name in names
               if f"{name}_encoded_bytes" in entry and entry["size"] < 1024]
    if encoded:
        print("# encoded bytes: " + ", ".join(f"{name} {size}" for name, size in encoded))


def print_object_targets(targets):
    print("\n# Object messages: targets, judged on the ratio of the medians of OSU's figure (the average)."
          "\n# per round: the median of each round's ratio; p50: the ratio of the median iterations")
    print(f"{'# group':<22}{'size':>9}{'ratio':>28}{'median':>10}{'per round':>11}{'p50':>9}{'target':>10}   result")
    nan = float("nan")
    for target in targets:
        value, per_round, p50 = target["value"], target["round_median"], target["iteration_median"]
        result = "n/a" if target["met"] is None else ("met" if target["met"] else "MISSED")
        print(f"{target['group']:<22}{target['size']:>9}{target['ratio']:>28}"
              f"{value if value is not None else nan:>10.3f}{per_round if per_round is not None else nan:>11.3f}"
              f"{p50 if p50 is not None else nan:>9.3f}{target['target']:>10}   {result}")
    missed = [t for t in targets if t["met"] is False]
    print(f"# {len(targets) - len(missed)} of {len(targets)} met")


# Swift concurrency and the task pool (issue 14): (key, title, unit, [(name, program, arguments,
# ranks, settings)], targets). program is "swift" (mpi-bench) or "futures" (mpi4py_bench.py under
# `python -m mpi4py.futures`); settings are environment variables of that run. A target is
# (numerator, denominator, sizes, bound, "min" or "max"): the ratio of the medians at each size in
# sizes ((smallest, largest or None)) must be at least or at most the bound; a denominator of None
# judges the numerator's median itself.
CONCURRENCY_LATENCY_SIZES = "8:1048576"
POOL_TASKS = "20000"


def concurrency_groups(cores):
    def swift(name, arguments, ranks, settings=None):
        return (name, "swift", arguments, ranks, settings or {})

    # More ranks than cores: Open MPI must be told to place them, and every MPI call that waits
    # must yield, as in the main benchmarks.
    def yielding(ranks):
        return {"OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_mpi_yield_when_idle": "1"} if ranks > cores else {}

    # A few maps: mpi4py.futures runs 2,000 to 5,000 tasks/s at chunk size 1 here (4 to 12 s a map).
    pool = ["-i", "2", "-x", "1"]
    groups = [
        ("latency", "ping-pong latency, awaited against blocking, 2 ranks (size in bytes)", "us",
         [swift("blocking", ["latency", "-m", CONCURRENCY_LATENCY_SIZES], 2, yielding(2)),
          swift("awaited", ["async-latency", "-m", CONCURRENCY_LATENCY_SIZES], 2, yielding(2))],
         [("awaited", "blocking", (8, 8), 10.0, "max"), ("awaited", "blocking", (65536, None), 1.1, "max")]),
        ("idle", "CPU of rank 0 while it waits 2 s for a message, % of one core (size in bytes)", "%",
         [swift("awaited", ["async-idle"], 2),
          swift("blocking", ["async-idle", "--blocking"], 2, {"OMPI_MCA_mpi_yield_when_idle": "0"}),
          swift("blocking-yield", ["async-idle", "--blocking"], 2, {"OMPI_MCA_mpi_yield_when_idle": "1"})],
         [("awaited", None, (0, None), 5.0, "max")]),
    ]
    for chunk, targets in (("1", [("swift", "mpi4py.futures", (0, None), 10.0, "min")]), ("64", [])):
        arguments = ["pool-throughput", "--tasks", POOL_TASKS, "--chunk-size", chunk] + pool
        groups.append((f"pool-throughput-{chunk}",
                       f"pool map of {POOL_TASKS} empty tasks, chunk size {chunk}, 3 ranks (size: chunk size)", "tasks/s",
                       [swift("swift", arguments, 3, yielding(3)),
                        ("mpi4py.futures", "futures", arguments, 3, yielding(3))], targets))
    # alone (shown): 1 rank, where the root runs the tasks itself, with no messages.
    groups.append(("pool-primes", "pool map counting primes below 2,000,000, 200 tasks (size: numbers per task), seconds",
                   "s", [swift("1-worker", ["pool-primes"], 2, yielding(2)), swift("2-workers", ["pool-primes"], 3, yielding(3)),
                         swift("alone", ["pool-primes"], 1)],
                   [("1-worker", "2-workers", (0, None), 1.8, "min")]))
    return groups


def concurrency(args, swift, futures, cores):
    """Runs the concurrency groups in alternating rounds; prints each group's medians and ratios and
    the "Concurrency and the task pool" table of targets; returns what summary.json keeps under
    "concurrency"."""
    result = {"groups": {}, "targets": []}
    for key, title, unit, members, targets in concurrency_groups(cores):
        members = [member for member in members if member[1] == "swift" or futures]
        names = [name for name, _, _, _, _ in members]
        commands = {name: ([swift] if program == "swift" else futures) + arguments
                    for name, program, arguments, _, _ in members}
        launches = {name: (ranks, settings) for name, _, _, ranks, settings in members}
        runs = {name: [] for name in names}
        for round_ in range(args.pairs):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                ranks, settings = launches[name]
                report = run(args.launcher, commands[name], ranks, timeout=900, settings=settings)
                runs[name].append(report)
                with open(os.path.join(args.output, f"concurrency-{key}-{name}-{round_ + 1}.json"), "w") as file:
                    json.dump(report, file, indent=1, sort_keys=True)
        lower = unit != "tasks/s"
        ratios = list(dict.fromkeys((top, bottom) for top, bottom, _, _, _ in targets
                                    if bottom and top in names and bottom in names))
        if key.startswith("pool-throughput") and "mpi4py.futures" in names:
            ratios = ratios or [("swift", "mpi4py.futures")]
        if key == "idle":
            ratios = [("blocking", "awaited")]
        table = []
        for size in [row["size"] for row in runs[names[0]][0]["rows"]]:
            entry = {"size": size}
            for name in names:
                rows = [row for report in runs[name] for row in report["rows"] if row["size"] == size]
                if rows:
                    entry[name] = statistics.median(row["value"] for row in rows)
                    entry[f"{name}_runs"] = [row["value"] for row in rows]
                    entry[f"{name}_best"] = min(entry[f"{name}_runs"]) if lower else max(entry[f"{name}_runs"])
                    entry[f"{name}_iteration_median"] = statistics.median(row["median"] for row in rows)
            for top, bottom in ratios:
                if entry.get(top) and entry.get(bottom):
                    entry[f"{top}/{bottom}"] = entry[top] / entry[bottom]
                    per_round = [a / b for a, b in zip(entry[f"{top}_runs"], entry[f"{bottom}_runs"]) if b]
                    entry[f"{top}/{bottom}_round_median"] = statistics.median(per_round)
                    entry[f"{top}/{bottom}_iteration_median"] = (entry[f"{top}_iteration_median"]
                                                                 / entry[f"{bottom}_iteration_median"])
            table.append(entry)
        result["groups"][key] = {"title": title, "unit": unit, "implementations": names, "rows": table,
                                 "commands": {name: f"{launches[name][0]} ranks: " + " ".join(command)
                                              for name, command in commands.items()},
                                 "settings": {name: launches[name][1] for name in names}}
        print_concurrency_group(title, unit, table, names, ratios)
        for top, bottom, (smallest, largest), bound, kind in targets:
            if top not in names or (bottom and bottom not in names):
                continue
            for entry in table:
                if entry["size"] < smallest or (largest is not None and entry["size"] > largest):
                    continue
                label = f"{top}/{bottom}" if bottom else top
                value = entry.get(label)
                met = None if value is None else (value >= bound if kind == "min" else value <= bound)
                result["targets"].append({"group": key, "size": entry["size"], "figure": label, "value": value,
                                          "round_median": entry.get(f"{label}_round_median"),
                                          "iteration_median": entry.get(f"{label}_iteration_median"),
                                          "target": f"{'>=' if kind == 'min' else '<='} {bound:g}", "met": met})
    print_concurrency_targets(result["targets"])
    return result


def print_concurrency_group(title, unit, table, names, ratios):
    better = "higher" if unit == "tasks/s" else "lower"
    print(f"\n# {title}: median over the alternating runs, in {unit} ({better} is better)")
    labels = [f"{top}/{bottom}" for top, bottom in ratios]
    width = max(14, max(len(label) for label in names + labels) + 2)
    nan = float("nan")
    for heading, suffix in (("", ""), ("# the same, median iteration (median over the runs of each run's median)\n",
                                       "_iteration_median")):
        print(heading + f"{'# Size':<10}" + "".join(f"{name:>{width}}" for name in names + labels))
        for entry in table:
            print(f"{entry['size']:<10}" + "".join(f"{entry.get(name + suffix, nan):>{width}.2f}" for name in names)
                  + "".join(f"{entry.get(label + suffix, nan):>{width}.3f}" for label in labels))


def print_concurrency_targets(targets):
    print("\n# Concurrency and the task pool: targets, judged on the median over the runs (of the ratio of"
          "\n# the medians for a ratio). per round: the median of each round's ratio; p50: the same of the"
          "\n# median iterations")
    print(f"{'# group':<22}{'size':>9}{'figure':>28}{'median':>11}{'per round':>11}{'p50':>10}{'target':>10}   result")
    nan = float("nan")
    for target in targets:
        value, per_round, p50 = target["value"], target["round_median"], target["iteration_median"]
        result = "n/a" if target["met"] is None else ("met" if target["met"] else "MISSED")
        print(f"{target['group']:<22}{target['size']:>9}{target['figure']:>28}"
              f"{value if value is not None else nan:>11.3f}{per_round if per_round is not None else nan:>11.3f}"
              f"{p50 if p50 is not None else nan:>10.3f}{target['target']:>10}   {result}")
    missed = [t for t in targets if t["met"] is False]
    print(f"# {len(targets) - len(missed)} of {len(targets)} met")


def ratio_names(names):
    return [f"{top}/{bottom}" for top, bottom in RATIOS if top in names and bottom in names]


def print_table(benchmark, unit, table, names, best=False):
    better = "lower" if unit == "us" else "higher"
    which = "best run" if best else "median over the alternating runs"
    print(f"\n# {benchmark}: {which}, in {unit} ({better} is better)")
    ratios = ratio_names(names)
    width = max(14, max(len(name) for name in names + ratios) + 2)
    suffix = "_best" if best else ""
    print(f"{'# Size':<10}" + "".join(f"{name:>{width}}" for name in names + ratios))
    for entry in table:
        line = f"{entry['size']:<10}" + "".join(f"{entry.get(name + suffix, float('nan')):>{width}.2f}" for name in names)
        line += "".join(f"{entry.get(ratio + suffix, float('nan')):>{width}.3f}" for ratio in ratios)
        print(line)
    if benchmark == "mbw_mr" and not best:
        print(f"# {benchmark}: messages per second")
        for entry in table:
            print(f"{entry['size']:<10}" + "".join(
                f"{entry.get(name + '_messages_per_second', float('nan')):>{width}.0f}" for name in names))


TITLES = {"latency": ("One-way latency", "latency (us)"), "bw": ("Bandwidth (window of 64)", "bandwidth (MB/s)"),
          "allreduce": ("All-reduce (float sum)", "latency (us)")}


def plot(benchmark, result, output, guard):
    """Values against size (log-log) above, each implementation's ratio to C below."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("gnuplot not found: no picture (make bench installs it)")
        return
    names = result["implementations"]
    data = os.path.join(output, f"{benchmark}.dat")
    with open(data, "w") as file:
        file.write("# size " + " ".join(names) + " " + " ".join(f"{name}/c" for name in names) + "\n")
        for entry in result["rows"]:
            if entry["size"] == 0:
                continue
            values = [entry.get(name) for name in names]
            ratios = [value / entry["c"] if value and entry.get("c") else None for value in values]
            file.write(f"{entry['size']} " + " ".join("NaN" if v is None else str(v) for v in values + ratios) + "\n")
    picture = os.path.join(output, f"{benchmark}.png")
    count = len(names)
    # One colour per implementation in both panels.
    top = ", ".join(f"'{data}' using 1:{index + 2} with linespoints linetype {index + 1} title '{name}'"
                    for index, name in enumerate(names))
    bottom = ", ".join(f"'{data}' using 1:{count + index + 2} with linespoints linetype {index + 1} title '{name}/C'"
                       for index, name in enumerate(names) if name != "c")
    title, label = TITLES[benchmark]
    script = f"""
set terminal png size 1000,800
set output '{picture}'
set multiplot
set lmargin 12
set size 1,0.62
set origin 0,0.38
set title '{title}, 2 ranks, shared memory; median of alternating runs (guard: {guard})'
set ylabel '{label}'
set logscale xy
set format x ''
set grid
set key top left
plot {top}
set size 1,0.38
set origin 0,0
unset title
set format x '%g'
set xlabel 'message size (bytes)'
set ylabel 'ratio to C'
unset logscale y
set logscale x
set key top right
plot 1 with lines dashtype 2 linecolor 'black' notitle, {bottom}
unset multiplot
"""
    subprocess.run([gnuplot], input=script, text=True, check=True)
    print(f"Picture: {picture}")


if __name__ == "__main__":
    sys.exit(main())
