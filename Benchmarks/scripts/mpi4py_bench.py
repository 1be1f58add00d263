#!/usr/bin/env python3
"""The loops of mpi-bench's latency, bw, mbw_mr, allreduce and bcast, written with mpi4py's
buffer interface (the fast path mpi4py users take), and of its object-latency and
object-broadcast with mpi4py's lowercase (pickle) API, with the same options and
JSON output (Benchmarks/README.md), so the report can show mpi4py beside
Swift and C.

    mpirun -np 2 python3 mpi4py_bench.py latency -m 0:4194304 --format json
    mpirun -np 2 python3 mpi4py_bench.py object-latency --payload dictionary --format json

and of mpi-bench's pool-throughput with mpi4py.futures (issue 14), whose launch
makes rank 0 run this script and the other ranks the pool's workers:

    mpirun -np 3 python3 -m mpi4py.futures mpi4py_bench.py pool-throughput --chunk-size 1 --format json
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


def prepared_buffers(all_sizes):
    """OSU's buffers: allocated once for the largest size; for each size, its
    bytes set ('a' to send, 'b' to receive) before it runs. Yields the size
    and the two buffers of that size."""
    largest = max(all_sizes + [1])
    outgoing_memory = np.empty(largest, dtype=np.uint8)
    incoming_memory = np.empty(largest, dtype=np.uint8)
    for size in all_sizes:
        outgoing, incoming = outgoing_memory[:size], incoming_memory[:size]
        outgoing.fill(ord("a"))
        incoming.fill(ord("b"))
        yield size, outgoing, incoming


def latency(args, comm):
    """osu_latency: buffers allocated once for the largest size, the size's
    bytes set ('a' to send, 'b' to receive), a barrier, warm-up, then timed
    round trips; only rank 0 reads the clock, around each timed round trip."""
    rank = comm.Get_rank()
    rows = []
    for size, outgoing, incoming in prepared_buffers(sizes(args.m, 1, 1 << 22)):
        iterations, warmup = counts(args, size, (10000, 100), (1000, 10))
        times = []
        total = 0.0
        comm.Barrier()
        if rank < 2:
            peer = 1 - rank
            for iteration in range(warmup + iterations):
                if rank == 0:
                    began = MPI.Wtime() if iteration >= warmup else 0.0
                    comm.Send([outgoing, MPI.BYTE], dest=peer, tag=1)
                    comm.Recv([incoming, MPI.BYTE], source=peer, tag=1)
                    if iteration >= warmup:
                        took = MPI.Wtime() - began
                        total += took
                        times.append(took / 2)
                else:
                    comm.Recv([incoming, MPI.BYTE], source=peer, tag=1)
                    comm.Send([outgoing, MPI.BYTE], dest=peer, tag=1)
        if rank == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": total * 1e6 / (2 * iterations),
                         "median": median, "p99": p99, "iterations": iterations})
    return "us", rows


def bandwidth(args, comm):
    """osu_bw: a window of sends against a window of receives, a 1-byte
    acknowledgement; only rank 0 reads the clock, around each timed window."""
    rank = comm.Get_rank()
    rows = []
    for size, outgoing, incoming in prepared_buffers(sizes(args.m, 1, 1 << 22)):
        iterations, warmup = counts(args, size, (100, 10), (20, 2))
        if rank < 2:
            total, times = windows(args, comm, size, 1 - rank, rank == 0, outgoing, incoming, 0, iterations, warmup)
        else:
            comm.Barrier()
            total, times = 0.0, []
        if rank == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": size / 1e6 * iterations * args.W / total,
                         "median": median, "p99": p99, "iterations": iterations})
    return "MB/s", rows


def acknowledgement(buffer):
    """The acknowledgement's 1 byte: the start of a message buffer (a 0-byte
    buffer has none, so a byte of its own then)."""
    return buffer[:1] if buffer.size else np.zeros(1, dtype=np.uint8)


def windows(args, comm, size, peer, sending, outgoing, incoming, barriers, iterations, warmup):
    """The bandwidth loop between this rank and `peer`; returns the sender's
    summed window times and the per-window times (the sender's). The
    acknowledgement is 1 byte, into the receive buffer, from the send buffer."""
    window = args.W
    times = []
    total = 0.0
    comm.Barrier()
    for iteration in range(warmup + iterations):
        for _ in range(barriers):
            comm.Barrier()
        began = MPI.Wtime() if sending and iteration >= warmup else 0.0
        if sending:
            requests = [comm.Isend([outgoing, MPI.BYTE], dest=peer, tag=100) for _ in range(window)]
            MPI.Request.Waitall(requests)
            comm.Recv([acknowledgement(incoming), MPI.BYTE], source=peer, tag=101)
        else:
            requests = [comm.Irecv([incoming, MPI.BYTE], source=peer, tag=100) for _ in range(window)]
            MPI.Request.Waitall(requests)
            comm.Send([acknowledgement(outgoing), MPI.BYTE], dest=peer, tag=101)
        if sending and iteration >= warmup:
            took = MPI.Wtime() - began
            total += took
            times.append(took)
    return total, times


def message_rate(args, comm):
    """osu_mbw_mr: pairs (rank i with i + n/2) run the bandwidth loop at
    once, two barriers of all ranks before every iteration."""
    rank, ranks = comm.Get_rank(), comm.Get_size()
    if ranks % 2:
        raise SystemExit("mbw_mr needs an even number of ranks")
    pairs = ranks // 2
    peer = rank + pairs if rank < pairs else rank - pairs
    rows = []
    for size, outgoing, incoming in prepared_buffers(sizes(args.m, 1, 1 << 22)):
        iterations, warmup = counts(args, size, (100, 10), (100, 10))
        total, times = windows(args, comm, size, peer, rank < pairs, outgoing, incoming, 2, iterations, warmup)
        summed = comm.reduce(total, op=MPI.SUM, root=0)
        if rank == 0:
            seconds = summed / pairs
            value = size / 1e6 * pairs * iterations * args.W / seconds
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": value, "messages_per_second": value * 1e6 / size,
                         "median": median, "p99": p99, "iterations": iterations})
    return "MB/s", rows


def collective(args, comm, minimum, call):
    """A collective on `size` bytes per rank, a barrier between iterations;
    the figure is the mean over ranks of each rank's average call."""
    rows = []
    for size in sizes(args.m, max(minimum, 1), 1 << 20):
        if size < minimum:
            continue
        iterations, warmup = counts(args, size, (1000, 100), (100, 10))
        operation = call(size)
        times = []
        total = 0.0
        comm.Barrier()
        for iteration in range(warmup + iterations):
            began = MPI.Wtime()
            operation()
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


def allreduce(args, comm):
    def call(size):
        send = np.ones(size // 4, dtype=np.float32)
        receive = np.zeros(size // 4, dtype=np.float32)
        return lambda: comm.Allreduce([send, MPI.FLOAT], [receive, MPI.FLOAT], op=MPI.SUM)
    return collective(args, comm, 4, call)


def broadcast(args, comm):
    def call(size):
        buffer = np.full(size, ord("a"), dtype=np.uint8)
        return lambda: comm.Bcast([buffer, MPI.BYTE], root=0)
    return collective(args, comm, 1, call)


# Object messages (issue 13): mpi4py's lowercase API, which pickles, on the
# data mpi-bench's object-latency and object-broadcast send (Objects.swift).

def object_payloads(kind, all_sizes):
    """(row size, object) pairs for a payload: the record as a dict (or as a
    tuple, which pickles faster), 100 str keys to floats, or {'values': a
    float64 numpy array} of each size in bytes (numpy is how Python holds arrays)."""
    if kind == "record":
        return [(1, {"id": 42, "value": 3.14, "name": "abcdefghijklmnop"})]
    if kind == "record-tuple":
        return [(1, (42, 3.14, "abcdefghijklmnop"))]
    if kind == "dictionary":
        return [(100, {f"key{index:02d}": index + 0.25 for index in range(100)})]
    return [(size, {"values": np.arange(size // 8, dtype=np.float64) * 0.5}) for size in all_sizes]


def array_sizes(args):
    if args.m:
        return [size for size in sizes(args.m, 1024, 1 << 22) if size >= 8]
    return [1024 << (2 * step) for step in range(7)]


def object_counts(args, size, collective, dictionary=False):
    """As mpi-bench's objectCounts: OSU's counts by size, 2000 (1000) and 100
    for the dictionary, 30 and 3 from 1 MiB."""
    if size >= 1 << 20:
        return (args.iterations or 30, args.warmup if args.warmup is not None else 3)
    if dictionary:
        return (args.iterations or (1000 if collective else 2000), args.warmup if args.warmup is not None else 100)
    if collective:
        return counts(args, size, (1000, 100), (100, 10))
    return counts(args, size, (10000, 100), (1000, 10))


def object_latency(args, comm):
    """Ping-pong of objects: rank 0 sends its object and receives the echo,
    rank 1 receives (unpickles) and sends back what it received."""
    rank = comm.Get_rank()
    rows = []
    for size, value in object_payloads(args.payload, array_sizes(args)):
        bytes_ = size if args.payload == "array" else 0
        iterations, warmup = object_counts(args, bytes_, False, args.payload == "dictionary")
        times = []
        total = 0.0
        kept = None
        comm.Barrier()
        if rank < 2:
            peer = 1 - rank
            for iteration in range(warmup + iterations):
                if rank == 0:
                    began = MPI.Wtime() if iteration >= warmup else 0.0
                    comm.send(value, dest=peer, tag=1)
                    kept = comm.recv(source=peer, tag=1)
                    if iteration >= warmup:
                        took = MPI.Wtime() - began
                        total += took
                        times.append(took / 2)
                else:
                    kept = comm.recv(source=peer, tag=1)
                    comm.send(kept, dest=peer, tag=1)
        if rank == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": total * 1e6 / (2 * iterations),
                         "median": median, "p99": p99, "iterations": iterations,
                         "encoded_bytes": len(MPI.pickle.dumps(value))})
    return "us", rows


def object_broadcast(args, comm):
    """comm.bcast of the object from rank 0; every rank returns it (unpickled
    where it is not the root), a barrier between calls, as collective()."""
    rank = comm.Get_rank()
    rows = []
    for size, value in object_payloads(args.payload, array_sizes(args)):
        bytes_ = size if args.payload == "array" else 0
        iterations, warmup = object_counts(args, bytes_, True, args.payload == "dictionary")
        mine = value if rank == 0 else None
        times = []
        total = 0.0
        comm.Barrier()
        for iteration in range(warmup + iterations):
            began = MPI.Wtime()
            kept = comm.bcast(mine, root=0)
            took = MPI.Wtime() - began
            if iteration >= warmup:
                total += took
                times.append(took)
            comm.Barrier()
        latency = total * 1e6 / iterations
        average = comm.reduce(latency, op=MPI.SUM, root=0)
        if rank == 0:
            median, p99 = percentiles(times)
            rows.append({"size": size, "value": average / comm.Get_size(), "median": median, "p99": p99,
                         "iterations": iterations, "encoded_bytes": len(MPI.pickle.dumps(value))})
    return "us", rows


# The task pool (issue 14): mpi4py.futures on the empty task of mpi-bench's
# pool-throughput (Concurrency.swift), timed the same way on rank 0.

def identity(n):
    """The empty task (a module-level function, so that the workers can unpickle it)."""
    return n


def pool_throughput(args, comm):
    """MPIPoolExecutor.map(identity, range(tasks), chunksize=K) on the pool of
    `python -m mpi4py.futures` (the other ranks), -x warm-up maps (default 1),
    then -i timed ones (default 5), each result list checked; only the map is
    timed (the executor, and its workers' start, come before the first)."""
    from mpi4py.futures import MPIPoolExecutor
    iterations = args.iterations or 5
    warmup = args.warmup if args.warmup is not None else 1
    expected = list(range(args.tasks))
    times = []
    with MPIPoolExecutor() as executor:
        workers = executor.num_workers
        for iteration in range(warmup + iterations):
            began = MPI.Wtime()
            results = list(executor.map(identity, range(args.tasks), chunksize=args.chunk_size))
            took = MPI.Wtime() - began
            if results != expected:
                raise SystemExit("pool-throughput: wrong results")
            if iteration >= warmup:
                times.append(took)
    total = sum(times)
    ordered = sorted(times)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return "tasks/s", [{"size": args.chunk_size, "value": args.tasks * iterations / total,
                        "median": args.tasks / median, "iterations": iterations, "seconds": total,
                        "tasks": args.tasks, "chunk_size": args.chunk_size, "workers": workers}]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("benchmark", choices=["latency", "bw", "mbw_mr", "allreduce", "bcast",
                                              "object-latency", "object-broadcast", "pool-throughput"])
    parser.add_argument("--payload", choices=["record", "record-tuple", "dictionary", "array"], default="record",
                        help="object-latency, object-broadcast: what is sent")
    parser.add_argument("-m")
    parser.add_argument("-i", dest="iterations", type=int)
    parser.add_argument("-x", dest="warmup", type=int)
    parser.add_argument("-W", type=int, default=64)
    parser.add_argument("--tasks", type=int, default=20000, help="pool-throughput: tasks per map")
    parser.add_argument("--chunk-size", type=int, default=1, help="pool-throughput: MPIPoolExecutor.map's chunksize")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args()
    comm = MPI.COMM_WORLD
    unit, rows = {"latency": latency, "bw": bandwidth, "mbw_mr": message_rate, "allreduce": allreduce,
                  "bcast": broadcast, "object-latency": object_latency,
                  "object-broadcast": object_broadcast, "pool-throughput": pool_throughput}[args.benchmark](args, comm)
    if comm.Get_rank() == 0:
        report = {"benchmark": args.benchmark, "implementation": "mpi4py", "ranks": comm.Get_size(),
                  "unit": unit, "rows": rows}
        if args.benchmark == "pool-throughput":
            report["implementation"] = "mpi4py.futures"
        if args.benchmark.startswith("object-"):
            report["payload"] = args.payload
            report["encoded_bytes"] = {str(row["size"]): row.pop("encoded_bytes") for row in rows}
        if args.format == "json":
            print(json.dumps(report, sort_keys=True))
        else:
            print(f"# {args.benchmark} (mpi4py {MPI.Get_library_version().splitlines()[0]})")
            print(f"# Size          {unit}")
            for row in rows:
                print(f"{row['size']:<10}{row['value']:18.2f}")


if __name__ == "__main__":
    sys.exit(main())
