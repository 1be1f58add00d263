// Point-to-point: osu_latency, osu_bw, osu_bibw, osu_mbw_mr, osu_multi_lat.
//
// Two loops, as in the Swift suite (Benchmarks/BenchmarkLoops/Loops.swift):
// a ping-pong and a window of nonblocking messages. Both follow OSU: warm-up
// iterations, then the timed ones, the total from MPI_Wtime at the first
// timed iteration to MPI_Wtime after the last; each iteration is also timed
// alone (MPI_Wtime before and after) for the median and p99.
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

typedef struct {
    char *send;
    char *receive;
    char *acknowledgement;     // the bandwidth loop's 4-byte reply
    MPI_Request *requests;     // 2 * window
    MPI_Status *statuses;      // 2 * window
} pt2pt_buffers;

// Everything allocated once, for the largest size, before any timing.
static pt2pt_buffers pt2pt_allocate(const bench_context *context) {
    pt2pt_buffers buffers;
    size_t window = (size_t)context->options.window;
    buffers.send = bench_alloc(context->options.maximum_size);
    buffers.receive = bench_alloc(context->options.maximum_size);
    buffers.acknowledgement = bench_alloc(4);
    buffers.requests = bench_alloc(2 * window * sizeof(MPI_Request));
    buffers.statuses = bench_alloc(2 * window * sizeof(MPI_Status));
    return buffers;
}

static void pt2pt_free(pt2pt_buffers *buffers) {
    free(buffers->send);
    free(buffers->receive);
    free(buffers->acknowledgement);
    free(buffers->requests);
    free(buffers->statuses);
}

// Fills the row's median and p99 from this rank's per-iteration times.
static void distribution(bench_context *context, bench_row *row, double scale) {
    double minimum, maximum;
    bench_percentiles(context, row->iterations, scale, &row->median, &row->p99, &minimum, &maximum);
}

// One ping-pong series between this rank and `peer` (the lower rank pings).
// Ranks that are not `active` only take part in the barrier. Returns 1 and
// fills `row` (latency: half the round trip) on the pinging rank.
static int ping_pong(bench_context *context, pt2pt_buffers *buffers, size_t size, int peer, int active,
                     int iterations, int warmup, bench_row *row) {
    MPI_Comm comm = context->comm;
    int count = (int)size;
    int pinging = context->rank < peer;
    MPI_Status status;
    MPI_Barrier(comm);
    double start = 0;
    if (active) {
        for (int i = 0; i < warmup + iterations; i++) {
            if (i == warmup) start = MPI_Wtime();
            double began = MPI_Wtime();
            if (pinging) {
                MPI_Send(buffers->send, count, MPI_CHAR, peer, 1, comm);
                MPI_Recv(buffers->receive, count, MPI_CHAR, peer, 1, comm, &status);
            } else {
                MPI_Recv(buffers->receive, count, MPI_CHAR, peer, 1, comm, &status);
                MPI_Send(buffers->send, count, MPI_CHAR, peer, 1, comm);
            }
            if (i >= warmup) context->times[i - warmup] = MPI_Wtime() - began;
        }
    }
    double elapsed = MPI_Wtime() - start;
    if (!(active && pinging)) return 0;
    *row = (bench_row){0};
    row->size = size;
    row->iterations = iterations;
    row->value = elapsed * 1e6 / (2.0 * iterations);
    distribution(context, row, 0.5e6);
    return 1;
}

// OSU's bandwidth loop: the sender starts a window of sends, the receiver a
// window of receives (all on one buffer, as OSU does), both wait for all, and
// the receiver acknowledges with 4 bytes. Bidirectional: both ranks start a
// window of receives, then a window of sends, and wait for all of them at
// once. Returns 1 and fills `row` (MB/s) on the lower rank of the pair.
static int windows(bench_context *context, pt2pt_buffers *buffers, size_t size, int peer, int active,
                   int bidirectional, int iterations, int warmup, bench_row *row) {
    MPI_Comm comm = context->comm;
    int count = (int)size;
    int window = context->options.window;
    int sending = context->rank < peer;
    MPI_Request *requests = buffers->requests;
    MPI_Status status;
    MPI_Barrier(comm);
    double start = 0;
    if (active) {
        for (int i = 0; i < warmup + iterations; i++) {
            if (i == warmup) start = MPI_Wtime();
            double began = MPI_Wtime();
            if (bidirectional) {
                for (int j = 0; j < window; j++) {
                    MPI_Irecv(buffers->receive, count, MPI_CHAR, peer, 10, comm, &requests[j]);
                }
                for (int j = 0; j < window; j++) {
                    MPI_Isend(buffers->send, count, MPI_CHAR, peer, 10, comm, &requests[window + j]);
                }
                MPI_Waitall(2 * window, requests, buffers->statuses);
            } else if (sending) {
                for (int j = 0; j < window; j++) {
                    MPI_Isend(buffers->send, count, MPI_CHAR, peer, 100, comm, &requests[j]);
                }
                MPI_Waitall(window, requests, buffers->statuses);
                MPI_Recv(buffers->acknowledgement, 4, MPI_CHAR, peer, 101, comm, &status);
            } else {
                for (int j = 0; j < window; j++) {
                    MPI_Irecv(buffers->receive, count, MPI_CHAR, peer, 100, comm, &requests[j]);
                }
                MPI_Waitall(window, requests, buffers->statuses);
                MPI_Send(buffers->acknowledgement, 4, MPI_CHAR, peer, 101, comm);
            }
            if (i >= warmup) context->times[i - warmup] = MPI_Wtime() - began;
        }
    }
    double elapsed = MPI_Wtime() - start;
    if (!(active && sending)) return 0;
    double bytes = (double)size * iterations * window * (bidirectional ? 2 : 1);
    *row = (bench_row){0};
    row->size = size;
    row->iterations = iterations;
    row->value = bytes / 1e6 / elapsed;
    distribution(context, row, 1e6);  // each window, in microseconds
    return 1;
}

int bench_latency(bench_context *context) {
    if (context->ranks < 2) {
        bench_error(context, "this test needs at least 2 ranks (ranks 0 and 1 run it)");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context);
    int peer = context->rank == 0 ? 1 : 0;
    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        bench_row row;
        if (ping_pong(context, &buffers, size, peer, context->rank < 2, iterations, warmup, &row)) {
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}

static int bandwidth(bench_context *context, int bidirectional) {
    if (context->ranks < 2) {
        bench_error(context, "this test needs at least 2 ranks (ranks 0 and 1 run it)");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context);
    int peer = context->rank == 0 ? 1 : 0;
    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        if (size == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        bench_row row;
        if (windows(context, &buffers, size, peer, context->rank < 2, bidirectional, iterations, warmup, &row)) {
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}

int bench_bw(bench_context *context) { return bandwidth(context, 0); }
int bench_bibw(bench_context *context) { return bandwidth(context, 1); }

// Pairs (rank i with i + n/2) run the bandwidth loop at once; the figure is
// the sum of the pairs' bandwidths, the message rate that over the size.
int bench_mbw_mr(bench_context *context) {
    if (context->ranks < 2 || context->ranks % 2 != 0) {
        bench_error(context, "this test needs an even number of ranks");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context);
    int pairs = context->ranks / 2;
    int peer = context->rank < pairs ? context->rank + pairs : context->rank - pairs;
    char pairs_line[96];
    snprintf(pairs_line, sizeof pairs_line, "# [ pairs: %d ] [ window size: %d ]", pairs, context->options.window);
    const char *header[] = {pairs_line, NULL};
    bench_begin(context, header);
    BENCH_SIZES(context, size) {
        if (size == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        bench_row row = {0};
        windows(context, &buffers, size, peer, 1, 0, iterations, warmup, &row);
        double total = 0;
        MPI_Reduce(&row.value, &total, 1, MPI_DOUBLE, MPI_SUM, 0, context->comm);
        if (context->rank == 0) {
            row.value = total;
            row.messages_per_second = total * 1e6 / (double)size;
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}

// Pairs (rank i with i + n/2) ping-pong at once; the figure is the mean of
// the pinging ranks' latencies.
int bench_multi_lat(bench_context *context) {
    if (context->ranks < 2 || context->ranks % 2 != 0) {
        bench_error(context, "this test needs an even number of ranks");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context);
    int pairs = context->ranks / 2;
    int peer = context->rank < pairs ? context->rank + pairs : context->rank - pairs;
    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        bench_row row = {0};
        ping_pong(context, &buffers, size, peer, 1, iterations, warmup, &row);
        double total = 0;
        MPI_Reduce(&row.value, &total, 1, MPI_DOUBLE, MPI_SUM, 0, context->comm);
        if (context->rank == 0) {
            row.value = total / pairs;
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}
