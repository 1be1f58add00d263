// One-sided (RMA): osu_put_latency, osu_get_latency, osu_acc_latency,
// osu_put_bw and osu_get_bw in OSU's default mode, the loop of mpi-bench's
// BenchmarkLoops/OneSided.swift call for call.
//
// For each size a window of size * operations bytes made by MPI_Win_allocate
// and zeroed (as the Swift binding's allocateWindow zeroes it), a barrier,
// then rank 0 takes a shared lock of rank 1 for the whole series: warm-up
// and timed iterations, each `operations` operations (1 for latency, the
// window for bandwidth; operation j at displacement j * size, from or into
// the origin at j * size) and one MPI_Win_flush of rank 1; the clock read
// before the first operation and after the flush of each timed iteration.
// Then the unlock, a barrier (where rank 1, the target, waits throughout),
// and MPI_Win_free. Bytes are MPI_UINT8_T, the type the binding uses for
// UInt8 (accumulate: MPI_SUM on it).
//
// Under Open MPI, main.c excludes osc/rdma before MPI_Init (OMPI_MCA_osc=^rdma
// unless set), as the Swift package's MPI.initialize does, so both programs
// run on the same one-sided component.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef enum { ONE_SIDED_PUT, ONE_SIDED_GET, ONE_SIDED_ACCUMULATE } one_sided_operation;

static int one_sided_series(bench_context *context, one_sided_operation operation, int bandwidth) {
    if (context->ranks != 2) {
        bench_error(context, "needs exactly 2 ranks");
        return 1;
    }
    int operations = bandwidth ? context->options.window : 1;
    char window_line[96] = "# Synchronization: MPI_Win_flush";
    if (bandwidth) {
        snprintf(window_line, sizeof window_line, "# Synchronization: MPI_Win_flush [ window size: %d ]", operations);
    }
    const char *lines[] = {"# Window creation: MPI_Win_allocate", window_line, NULL};
    bench_begin(context, lines);
    size_t largest = 0;
    BENCH_SIZES(context, size) largest = size;
    char *origin = bench_alloc(largest * (size_t)operations);
    BENCH_SIZES(context, size) {
        if (bandwidth && size == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        size_t bytes = size * (size_t)operations;
        memset(origin, operation == ONE_SIDED_GET ? 'b' : 'a', bytes);
        MPI_Win window;
        void *base = NULL;
        if (MPI_Win_allocate((MPI_Aint)bytes, 1, MPI_INFO_NULL, context->comm, &base, &window) != MPI_SUCCESS) {
            bench_error(context, "MPI_Win_allocate failed");
            MPI_Abort(context->comm, 1);
        }
        if (bytes > 0) memset(base, 0, bytes);
        int count = (int)size;
        double total = 0;
        MPI_Barrier(context->comm);
        if (context->rank == 0) {
            MPI_Win_lock(MPI_LOCK_SHARED, 1, 0, window);
            for (int iteration = 0; iteration < warmup + iterations; iteration++) {
                double start = 0;
                if (iteration >= warmup) start = MPI_Wtime();
                for (int j = 0; j < operations; j++) {
                    char *block = origin + (size_t)j * size;
                    MPI_Aint displacement = (MPI_Aint)((size_t)j * size);
                    switch (operation) {
                    case ONE_SIDED_PUT:
                        MPI_Put(block, count, MPI_UINT8_T, 1, displacement, count, MPI_UINT8_T, window);
                        break;
                    case ONE_SIDED_GET:
                        MPI_Get(block, count, MPI_UINT8_T, 1, displacement, count, MPI_UINT8_T, window);
                        break;
                    case ONE_SIDED_ACCUMULATE:
                        MPI_Accumulate(block, count, MPI_UINT8_T, 1, displacement, count, MPI_UINT8_T, MPI_SUM,
                                       window);
                        break;
                    }
                }
                MPI_Win_flush(1, window);
                if (iteration >= warmup) {
                    double took = MPI_Wtime() - start;
                    total += took;
                    context->times[iteration - warmup] = took;
                }
            }
            MPI_Win_unlock(1, window);
        }
        MPI_Barrier(context->comm);
        MPI_Win_free(&window);
        if (context->rank == 0) {
            bench_row row = {0};
            row.size = size;
            row.iterations = iterations;
            row.value = bandwidth ? (double)size / 1e6 * iterations * operations / total : total * 1e6 / iterations;
            double minimum, maximum;
            bench_percentiles(context, iterations, 1e6, &row.median, &row.p99, &minimum, &maximum);
            bench_row_out(context, &row);
        }
    }
    free(origin);
    bench_end(context);
    return 0;
}

int bench_put_latency(bench_context *context) { return one_sided_series(context, ONE_SIDED_PUT, 0); }
int bench_get_latency(bench_context *context) { return one_sided_series(context, ONE_SIDED_GET, 0); }
int bench_acc_latency(bench_context *context) { return one_sided_series(context, ONE_SIDED_ACCUMULATE, 0); }
int bench_put_bw(bench_context *context) { return one_sided_series(context, ONE_SIDED_PUT, 1); }
int bench_get_bw(bench_context *context) { return one_sided_series(context, ONE_SIDED_GET, 1); }
