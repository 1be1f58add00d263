#!/usr/bin/env python3
"""The loops of mpi-bench's latency, bw and allreduce, written with mpi4py's
buffer interface (the fast path mpi4py users take), with the same options and
JSON output (Benchmarks/README.md), so the report can show mpi4py beside
Swift and C.

    mpirun -np 2 python3 mpi4py_bench.py latency -m 0:4194304 --format json
"""
import argparse
import json
import sys

import numpy as np
from mpi4py import MPI


def sizes(spec, minimum, maximum):
    if spec:
        parts = spec.split(":")
        if len(parts) == 1:
            maximum = int(parts[0])
        else:
            minimum, maximum = int(parts[0]), int(parts[1])
    result = [0] if minimum == 0 else []
    size = max(minimum, 1)
    while size <= maximum:
        result.append(size)
        size *= 2
    return result


def counts(args, size, small, large):
    iterations, warmup = large if size > 8192 else small
    return (args.iterations or iterations, args.warmup if args.warmup is not None else warmup)


def percentiles(times):
    ordered = sorted(times)
    if not ordered:
        return 0.0, 0.0
    median = ordered[len(ordered) // 2] * 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6
    return median, p99


def latency(args, comm):
    rank = comm.Get_rank()
    rows = []
    for size in sizes(args.m, 0, 1 << 22):
        iterations, warmup = counts(args, size, (10000, 1000), (1000, 100))
        outgoing = np.ones(size, dtype=np.uint8)
        incoming = np.zeros(size, dtype=np.uint8)
        times = []
        comm.Barrier()
        start = 0.0
        if rank < 2:
            peer = 1 - rank
            for iteration in range(warmup + iterations):
                if iteration == warmup:
                    start = MPI.Wtime()
                began = MPI.Wtime()
                if rank == 0:
                    comm.Send([outgoing, MPI.BYTE], dest=peer, tag=1)
                    comm.Recv([incoming, MPI.BYTE], source=peer, tag=1)
                else:
                    comm.Recv([incoming, MPI.BYTE], source=peer, tag=1)
                    comm.Send([outgoing, MPI.BYTE], dest=peer, tag=1)
                if iteration >= warmup:
                    times.append((MPI.Wtime() - began) / 2)
        elapsed = MPI.Wtime() - start
        if rank == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": elapsed * 1e6 / (2 * iterations),
                         "median": median, "p99": p99, "iterations": iterations})
    return "us", rows


def bandwidth(args, comm):
    rank = comm.Get_rank()
    rows = []
    window = args.W
    for size in sizes(args.m, 1, 1 << 22):
        iterations, warmup = counts(args, size, (100, 10), (20, 2))
        outgoing = np.ones(size, dtype=np.uint8)
        incoming = np.zeros(size, dtype=np.uint8)
        ack = np.zeros(4, dtype=np.uint8)
        times = []
        comm.Barrier()
        start = 0.0
        if rank < 2:
            peer = 1 - rank
            for iteration in range(warmup + iterations):
                if iteration == warmup:
                    start = MPI.Wtime()
                began = MPI.Wtime()
                if rank == 0:
                    requests = [comm.Isend([outgoing, MPI.BYTE], dest=peer, tag=100) for _ in range(window)]
                    MPI.Request.Waitall(requests)
                    comm.Recv([ack, MPI.BYTE], source=peer, tag=101)
                else:
                    requests = [comm.Irecv([incoming, MPI.BYTE], source=peer, tag=100) for _ in range(window)]
                    MPI.Request.Waitall(requests)
                    comm.Send([ack, MPI.BYTE], dest=peer, tag=101)
                if iteration >= warmup:
                    times.append(MPI.Wtime() - began)
        elapsed = MPI.Wtime() - start
        if rank == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": size / 1e6 * iterations * window / elapsed,
                         "median": median, "p99": p99, "iterations": iterations})
    return "MB/s", rows


def allreduce(args, comm):
    rows = []
    for size in sizes(args.m, 4, 1 << 20):
        if size < 4:
            continue
        iterations, warmup = counts(args, size, (1000, 100), (100, 10))
        send = np.ones(size // 4, dtype=np.float32)
        receive = np.zeros(size // 4, dtype=np.float32)
        times = []
        total = 0.0
        comm.Barrier()
        for iteration in range(warmup + iterations):
            began = MPI.Wtime()
            comm.Allreduce([send, MPI.FLOAT], [receive, MPI.FLOAT], op=MPI.SUM)
            took = MPI.Wtime() - began
            if iteration >= warmup:
                total += took
                times.append(took)
            comm.Barrier()
        latency = total * 1e6 / iterations
        average = comm.reduce(latency, op=MPI.SUM, root=0)
        if comm.Get_rank() == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": average / comm.Get_size(),
                         "median": median, "p99": p99, "iterations": iterations})
    return "us", rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("benchmark", choices=["latency", "bw", "allreduce"])
    parser.add_argument("-m")
    parser.add_argument("-i", dest="iterations", type=int)
    parser.add_argument("-x", dest="warmup", type=int)
    parser.add_argument("-W", type=int, default=64)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args()
    comm = MPI.COMM_WORLD
    unit, rows = {"latency": latency, "bw": bandwidth, "allreduce": allreduce}[args.benchmark](args, comm)
    if comm.Get_rank() == 0:
        report = {"benchmark": args.benchmark, "implementation": "mpi4py", "ranks": comm.Get_size(),
                  "unit": unit, "rows": rows}
        if args.format == "json":
            print(json.dumps(report, sort_keys=True))
        else:
            print(f"# {args.benchmark} (mpi4py {MPI.Get_library_version().splitlines()[0]})")
            print(f"# Size          {unit}")
            for row in rows:
                print(f"{row['size']:<10}{row['value']:18.2f}")


if __name__ == "__main__":
    sys.exit(main())
