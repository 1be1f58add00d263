// mpi-bench-c: OSU-method micro-benchmarks in C against MPI directly, the
// baseline of the Swift suite mpi-bench (see Benchmarks/README.md).
//
//   mpirun -np 2 mpi-bench-c SUBCOMMAND [-m MIN:MAX] [-i ITERATIONS] [-x WARMUP]
//                                       [-W WINDOW] [-f] [--guard] [--format text|json]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int main(int argc, char **argv) {
#ifdef OPEN_MPI
    // What the Swift package's MPI.initialize does (Sources/MPI/CFloor/TransportSettings.swift):
    // Open MPI 4.1.4's osc/rdma excluded unless the user chose a one-sided component, so that
    // the one-sided benchmarks of both programs run on the same one (onesided.c).
    if (getenv("OMPI_MCA_osc") == NULL) setenv("OMPI_MCA_osc", "^rdma", 0);
#endif
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        fprintf(stderr, "mpi-bench-c: MPI_Init failed\n");
        return 1;
    }
    bench_context context = {0};
    context.comm = MPI_COMM_WORLD;
    MPI_Comm_rank(context.comm, &context.rank);
    MPI_Comm_size(context.comm, &context.ranks);

    // Every rank parses the same arguments, so every rank takes the same path.
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        if (context.rank == 0) bench_print_usage();
        MPI_Finalize();
        return argc < 2 ? 2 : 0;
    }
    context.benchmark = bench_find(argv[1]);
    if (context.benchmark == NULL) {
        if (context.rank == 0) {
            fprintf(stderr, "mpi-bench-c: unknown benchmark %s\n", argv[1]);
            bench_print_usage();
        }
        MPI_Finalize();
        return 2;
    }
    char error[256];
    if (!bench_parse_options(argc - 2, argv + 2, context.benchmark, &context.options, error, sizeof error)) {
        if (context.rank == 0) {
            fprintf(stderr, "mpi-bench-c: %s\n", error);
            bench_print_usage();
        }
        MPI_Finalize();
        return 2;
    }

    // The guard concerns the point-to-point receives only (halo_persistent's too).
    int one_sided = context.benchmark->family == FAMILY_RMA_LATENCY || context.benchmark->family == FAMILY_RMA_BANDWIDTH;
    int point_to_point = (context.benchmark->layout == LAYOUT_PT2PT && !one_sided)
                         || context.benchmark->layout == LAYOUT_MBW_MR || context.benchmark->run == bench_halo_persistent;
    context.guarded = context.options.guard && point_to_point && bench_guard_applies();

    // Per-iteration times, allocated once for the largest iteration count.
    const bench_options *options = &context.options;
    context.capacity = options->iterations > options->iterations_large ? options->iterations
                                                                      : options->iterations_large;
    context.times = bench_alloc((size_t)context.capacity * sizeof(double));
    context.sorted = bench_alloc((size_t)context.capacity * sizeof(double));
    // Touched now, so that no page of them is first faulted in while timing.
    memset(context.times, 0, (size_t)context.capacity * sizeof(double));
    memset(context.sorted, 0, (size_t)context.capacity * sizeof(double));

    int status = context.benchmark->run(&context);

    free(context.times);
    free(context.sorted);
    MPI_Finalize();
    return status;
}
