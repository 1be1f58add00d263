// Collectives: osu_barrier, osu_bcast, osu_reduce, osu_allreduce, osu_gather,
// osu_scatter, osu_allgather, osu_alltoall, osu_reduce_scatter, osu_iallreduce.
//
// OSU 7.4's method: buffers page-aligned and allocated once for the largest
// size; every rank times each call alone (MPI_Wtime before and after), with a
// barrier between calls outside the timing (osu_barrier: none); each rank's
// average is reduced to rank 0, which reports the mean over ranks (and with
// -f the minimum and maximum over ranks, and the iterations). Median and p99
// are of rank 0's per-call times, the intervals OSU sums. Reductions are of
// floats (osu_allreduce -T mpi_float; OSU 7.4's default is MPI_CHAR, whose
// MPI_SUM the Swift binding replaces with an operation of its own).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

// OSU's reduce_scatter splits each rank's size-byte vector of floats among
// the ranks; with equal blocks (size / 4 / n floats each, the remainder left
// out) that is MPI_Reduce_scatter_block, the function the Swift binding's
// reduceScatter(_:into:_:) calls. Define MPI_BENCH_C_REDUCE_SCATTER_BLOCK=0 to
// call MPI_Reduce_scatter with equal receive counts instead.
#ifndef MPI_BENCH_C_REDUCE_SCATTER_BLOCK
#define MPI_BENCH_C_REDUCE_SCATTER_BLOCK 1
#endif

typedef enum {
    COLLECTIVE_BCAST,
    COLLECTIVE_REDUCE,
    COLLECTIVE_ALLREDUCE,
    COLLECTIVE_GATHER,
    COLLECTIVE_SCATTER,
    COLLECTIVE_ALLGATHER,
    COLLECTIVE_ALLTOALL,
    COLLECTIVE_REDUCE_SCATTER,
} collective_kind;

static int is_reduction(collective_kind kind) {
    return kind == COLLECTIVE_REDUCE || kind == COLLECTIVE_ALLREDUCE || kind == COLLECTIVE_REDUCE_SCATTER;
}

// Reduces every rank's average time (us) to rank 0 and prints the row.
void bench_collective_row(bench_context *context, size_t size, int iterations, double timer) {
    double latency = timer * 1e6 / iterations;
    double minimum = 0, maximum = 0, sum = 0;
    MPI_Reduce(&latency, &minimum, 1, MPI_DOUBLE, MPI_MIN, 0, context->comm);
    MPI_Reduce(&latency, &maximum, 1, MPI_DOUBLE, MPI_MAX, 0, context->comm);
    MPI_Reduce(&latency, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, context->comm);
    if (context->rank != 0) return;
    bench_row row = {0};
    row.size = size;
    row.value = sum / context->ranks;
    row.iterations = iterations;
    double own_minimum, own_maximum;
    bench_percentiles(context, iterations, 1e6, &row.median, &row.p99, &own_minimum, &own_maximum);
    row.min = minimum;
    row.max = maximum;
    row.has_min_max = context->options.full;
    bench_row_out(context, &row);
}

static int run_collective(bench_context *context, collective_kind kind) {
    MPI_Comm comm = context->comm;
    int ranks = context->ranks;
    size_t maximum = context->options.maximum_size;
    size_t send_bytes = maximum, receive_bytes = maximum;
    switch (kind) {
    case COLLECTIVE_SCATTER: send_bytes = maximum * (size_t)ranks; break;
    case COLLECTIVE_GATHER:
    case COLLECTIVE_ALLGATHER: receive_bytes = maximum * (size_t)ranks; break;
    case COLLECTIVE_ALLTOALL: send_bytes = receive_bytes = maximum * (size_t)ranks; break;
    default: break;
    }
    char *send = bench_alloc(send_bytes);
    char *receive = bench_alloc(receive_bytes);
    int *counts = malloc((size_t)ranks * sizeof(int));
    if (is_reduction(kind)) {
        bench_fill_floats(send, send_bytes, 1.0f);
        bench_fill_floats(receive, receive_bytes, 0.0f);
    } else {
        memset(send, 1, send_bytes);     // OSU's set_buffer
        memset(receive, 0, receive_bytes);
    }

    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        // Reductions work on size / 4 floats (reduce_scatter: each rank's
        // size-byte vector, rank i receiving its equal block of size / 4 / n
        // floats); sizes too small for one float (one block) are skipped.
        int count = (int)size;
        if (is_reduction(kind)) count = (int)(size / sizeof(float));
        if (kind == COLLECTIVE_REDUCE_SCATTER) {
            count /= ranks;
            for (int i = 0; i < ranks; i++) counts[i] = count;
        }
        if (count == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);

        MPI_Barrier(comm);
        double timer = 0;
        for (int i = 0; i < warmup + iterations; i++) {
            double start = MPI_Wtime();
            switch (kind) {
            case COLLECTIVE_BCAST:
                MPI_Bcast(send, count, MPI_CHAR, 0, comm);
                break;
            case COLLECTIVE_REDUCE:
                MPI_Reduce(send, receive, count, MPI_FLOAT, MPI_SUM, 0, comm);
                break;
            case COLLECTIVE_ALLREDUCE:
                MPI_Allreduce(send, receive, count, MPI_FLOAT, MPI_SUM, comm);
                break;
            case COLLECTIVE_GATHER:
                MPI_Gather(send, count, MPI_CHAR, receive, count, MPI_CHAR, 0, comm);
                break;
            case COLLECTIVE_SCATTER:
                MPI_Scatter(send, count, MPI_CHAR, receive, count, MPI_CHAR, 0, comm);
                break;
            case COLLECTIVE_ALLGATHER:
                MPI_Allgather(send, count, MPI_CHAR, receive, count, MPI_CHAR, comm);
                break;
            case COLLECTIVE_ALLTOALL:
                MPI_Alltoall(send, count, MPI_CHAR, receive, count, MPI_CHAR, comm);
                break;
            case COLLECTIVE_REDUCE_SCATTER:
#if MPI_BENCH_C_REDUCE_SCATTER_BLOCK
                MPI_Reduce_scatter_block(send, receive, count, MPI_FLOAT, MPI_SUM, comm);
#else
                MPI_Reduce_scatter(send, receive, counts, MPI_FLOAT, MPI_SUM, comm);
#endif
                break;
            }
            double stop = MPI_Wtime();
            if (i >= warmup) {
                context->times[i - warmup] = stop - start;
                timer += stop - start;
            }
            MPI_Barrier(comm);
        }
        bench_collective_row(context, size, iterations, timer);
    }
    bench_end(context);
    free(counts);
    free(send);
    free(receive);
    return 0;
}

// osu_barrier: MPI_Barrier timed call by call, back to back (no barrier
// between iterations), then one barrier before the figures are reduced.
int bench_barrier(bench_context *context) {
    MPI_Comm comm = context->comm;
    int iterations, warmup;
    bench_counts(context, 0, &iterations, &warmup);
    bench_begin(context, NULL);
    double timer = 0;
    for (int i = 0; i < warmup + iterations; i++) {
        double start = MPI_Wtime();
        MPI_Barrier(comm);
        double stop = MPI_Wtime();
        if (i >= warmup) {
            context->times[i - warmup] = stop - start;
            timer += stop - start;
        }
    }
    MPI_Barrier(comm);
    bench_collective_row(context, 0, iterations, timer);
    bench_end(context);
    return 0;
}

int bench_bcast(bench_context *context) { return run_collective(context, COLLECTIVE_BCAST); }
int bench_reduce(bench_context *context) { return run_collective(context, COLLECTIVE_REDUCE); }
int bench_allreduce(bench_context *context) { return run_collective(context, COLLECTIVE_ALLREDUCE); }
int bench_gather(bench_context *context) { return run_collective(context, COLLECTIVE_GATHER); }
int bench_scatter(bench_context *context) { return run_collective(context, COLLECTIVE_SCATTER); }
int bench_allgather(bench_context *context) { return run_collective(context, COLLECTIVE_ALLGATHER); }
int bench_alltoall(bench_context *context) { return run_collective(context, COLLECTIVE_ALLTOALL); }
int bench_reduce_scatter(bench_context *context) { return run_collective(context, COLLECTIVE_REDUCE_SCATTER); }

// The compute phase: spins on MPI_Wtime for `seconds` (as mpi-bench's
// busyWait does), standing in for work overlapped with communication.
volatile long mpi_bench_c_spins;

static void busy_wait(double seconds) {
    double end = MPI_Wtime() + seconds;
    long spins = 0;
    while (MPI_Wtime() < end) spins++;
    mpi_bench_c_spins = spins;
}

// osu_iallreduce: the pure communication time (start, wait), timed like every
// collective; then the same call with a compute phase as long as this rank's
// pure time between start and wait (OSU's latency_in_secs). Overall, compute
// and pure are means over ranks; overlap is OSU's
// max(0, 100 - (overall - compute) / pure * 100) of those means. (OSU's
// compute phase is a calibrated loop of arithmetic, and it also times the
// start and the wait alone; here the phase spins on MPI_Wtime.)
int bench_iallreduce(bench_context *context) {
    MPI_Comm comm = context->comm;
    size_t maximum = context->options.maximum_size;
    float *send = bench_alloc(maximum);
    float *receive = bench_alloc(maximum);
    bench_fill_floats(send, maximum, 1.0f);
    bench_fill_floats(receive, maximum, 0.0f);
    MPI_Request request;
    MPI_Status status;

    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        int count = (int)(size / sizeof(float));
        if (count == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);

        // The communication alone.
        MPI_Barrier(comm);
        double timer = 0;
        for (int i = 0; i < warmup + iterations; i++) {
            double start = MPI_Wtime();
            MPI_Iallreduce(send, receive, count, MPI_FLOAT, MPI_SUM, comm, &request);
            MPI_Wait(&request, &status);
            double stop = MPI_Wtime();
            if (i >= warmup) timer += stop - start;
            MPI_Barrier(comm);
        }
        MPI_Barrier(comm);
        double pure_local = timer * 1e6 / iterations;
        double pure_seconds = timer / iterations;

        // The same with a compute phase as long as the communication.
        MPI_Barrier(comm);
        timer = 0;
        double compute_timer = 0;
        for (int i = 0; i < warmup + iterations; i++) {
            double start = MPI_Wtime();
            MPI_Iallreduce(send, receive, count, MPI_FLOAT, MPI_SUM, comm, &request);
            double compute_start = MPI_Wtime();
            busy_wait(pure_seconds);
            double computed = MPI_Wtime() - compute_start;
            MPI_Wait(&request, &status);
            double took = MPI_Wtime() - start;
            if (i >= warmup) {
                context->times[i - warmup] = took;
                timer += took;
                compute_timer += computed;
            }
            MPI_Barrier(comm);
        }
        double overall = timer * 1e6 / iterations;
        double compute = compute_timer * 1e6 / iterations;
        double local[3] = {overall, compute, pure_local}, sums[3] = {0, 0, 0};
        double overall_min = 0, overall_max = 0;
        MPI_Reduce(local, sums, 3, MPI_DOUBLE, MPI_SUM, 0, comm);
        MPI_Reduce(&overall, &overall_min, 1, MPI_DOUBLE, MPI_MIN, 0, comm);
        MPI_Reduce(&overall, &overall_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
        if (context->rank == 0) {
            bench_row row = {0};
            row.size = size;
            row.iterations = iterations;
            row.overall = sums[0] / context->ranks;
            row.compute = sums[1] / context->ranks;
            row.pure = sums[2] / context->ranks;
            double overlap = row.pure > 0 ? 100 - (row.overall - row.compute) / row.pure * 100 : 0;
            row.overlap = overlap > 0 ? overlap : 0;
            row.value = row.overall;
            double own_minimum, own_maximum;
            bench_percentiles(context, iterations, 1e6, &row.median, &row.p99, &own_minimum, &own_maximum);
            row.min = overall_min;
            row.max = overall_max;
            row.has_min_max = context->options.full;
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    free(send);
    free(receive);
    return 0;
}
