// mpi-bench-c: the C baseline of mpi-bench (Benchmarks/README.md).
//
// OSU Micro-Benchmarks 7.x's method, written in C against MPI directly, with
// the same loops as the Swift suite, so that the difference between the two
// programs is the cost of the binding.
#ifndef MPI_BENCH_C_BENCH_H
#define MPI_BENCH_C_BENCH_H

#include <stddef.h>
#include <mpi.h>

// OSU switches to the large-message iteration counts above 8 KiB (not osu_mbw_mr).
#define LARGE_MESSAGE_SIZE 8192
// OSU's defaults: point-to-point up to 4 MiB, collectives up to 1 MiB.
#define MAX_MESSAGE_SIZE_PT2PT (1u << 22)
#define MAX_MESSAGE_SIZE_COLLECTIVE (1u << 20)
#define DEFAULT_WINDOW 64

// Which default iteration counts a benchmark uses.
// OSU 7.4's defaults (osu_util.h), timed / warm-up iterations.
typedef enum {
    FAMILY_LATENCY,       // 10000 / 100 up to 8 KiB, 1000 / 10 above
    FAMILY_BANDWIDTH,     // 100 / 10 up to 8 KiB, 20 / 2 above
    FAMILY_MESSAGE_RATE,  // 100 / 10 at every size (osu_mbw_mr never switches)
    FAMILY_COLLECTIVE,    // 1000 / 100 up to 8 KiB, 100 / 10 above
    // OSU's one-sided tests (osu_put_latency, osu_put_bw, ...):
    FAMILY_RMA_LATENCY,   // 10000 / 100 up to 8 KiB, 100 / 10 above
    FAMILY_RMA_BANDWIDTH, // 10000 / 100 up to 8 KiB, 30 / 10 above
} bench_family;

// How a benchmark's rows look in text.
typedef enum {
    LAYOUT_PT2PT,       // "# Size" + one figure
    LAYOUT_MBW_MR,      // "# Size" + MB/s + Messages/s
    LAYOUT_COLLECTIVE,  // "# Size" + Avg Latency(us) [+ Min, Max, Iterations with -f]
    LAYOUT_BARRIER,     // Avg Latency(us) [+ Min, Max, Iterations with -f], no size
    LAYOUT_NBC,         // "# Size" + Overall, Compute, Pure Comm., Overlap
} bench_layout;

typedef enum { FORMAT_TEXT, FORMAT_JSON } bench_format;

struct bench_context;
typedef int (*bench_function)(struct bench_context *context);

typedef struct {
    const char *name;          // the subcommand
    const char *title;         // OSU's test name, for the text header
    const char *figure;        // the figure's column in text
    const char *unit;          // the JSON "unit"
    bench_family family;
    bench_layout layout;
    size_t minimum_size;       // default first size
    size_t maximum_size;       // default last size
    bench_function run;
} bench_description;

typedef struct {
    size_t minimum_size;
    size_t maximum_size;
    int iterations;            // up to LARGE_MESSAGE_SIZE
    int warmup;
    int iterations_large;      // above LARGE_MESSAGE_SIZE
    int warmup_large;
    int window;
    int full;
    int guard;                 // --guard: receive as the Swift binding does (see pt2pt.c)
    bench_format format;
} bench_options;

typedef struct bench_context {
    const bench_description *benchmark;
    bench_options options;
    MPI_Comm comm;
    int rank;
    int ranks;
    // Per-iteration times in seconds (each rank its own; rank 0's are
    // reported) and scratch space for sorting a copy of them, both allocated
    // once before any timing, as long as the largest iteration count.
    double *times;
    double *sorted;
    int capacity;
    // --guard under an MPI whose receives the Swift binding guards (Open
    // MPI): blocking receives by matched probe, nonblocking ones through the
    // byte-swapped type. 0 without --guard, and under MPICH.
    int guarded;
} bench_context;

// One row of results. Times are in microseconds.
typedef struct {
    size_t size;
    double value;              // the figure OSU prints
    double median, p99;        // of the timed intervals OSU sums (see pt2pt.c, collectives.c)
    double min, max;           // with -f (collectives: over ranks' averages)
    int has_min_max;
    int iterations;
    double messages_per_second;  // mbw_mr
    double overall, compute, pure, overlap;  // iallreduce
} bench_row;

// options.c
const bench_description *bench_find(const char *name);
void bench_print_usage(void);
int bench_parse_options(int argc, char **argv, const bench_description *benchmark,
                        bench_options *options, char *error, size_t error_size);
void bench_counts(const bench_context *context, size_t size, int *iterations, int *warmup);
// OSU's size sequence: from the minimum, 0 -> 1, then doubling, up to the maximum.
#define BENCH_SIZES(context, size) \
    for (size_t size = (context)->options.minimum_size; size <= (context)->options.maximum_size; \
         size = size ? size * 2 : 1)
void *bench_alloc(size_t bytes);
void bench_fill_floats(void *buffer, size_t bytes, float value);
// The truncation guard in use, for the output ("none" or "matched-probe/swapped-type").
const char *bench_guard_name(const bench_context *context);
int bench_guard_applies(void);  // whether this MPI is one the Swift binding guards

// output.c
const char *bench_datatype_name(const bench_description *benchmark);
void bench_begin(const bench_context *context, const char *const *extra_header_lines);
void bench_row_out(const bench_context *context, const bench_row *row);
void bench_end(const bench_context *context);
// Median, 99th percentile, minimum and maximum of the first `count`
// per-iteration times (seconds), scaled.
void bench_percentiles(bench_context *context, int count, double scale, double *median, double *p99,
                       double *minimum, double *maximum);
void bench_error(const bench_context *context, const char *message);

// pt2pt.c
int bench_latency(bench_context *context);
int bench_bw(bench_context *context);
int bench_bibw(bench_context *context);
int bench_mbw_mr(bench_context *context);
int bench_multi_lat(bench_context *context);
// The byte count MPI recorded in a status, as the binding reads it.
long long bench_recorded_bytes(MPI_Status *status);

// collectives.c
int bench_barrier(bench_context *context);
int bench_bcast(bench_context *context);
int bench_reduce(bench_context *context);
int bench_allreduce(bench_context *context);
int bench_gather(bench_context *context);
int bench_scatter(bench_context *context);
int bench_allgather(bench_context *context);
int bench_alltoall(bench_context *context);
int bench_reduce_scatter(bench_context *context);
int bench_iallreduce(bench_context *context);
// Reduces every rank's average time (us) over `iterations` to rank 0, which prints the row.
void bench_collective_row(bench_context *context, size_t size, int iterations, double timer);

// halo.c
int bench_halo_persistent(bench_context *context);
int bench_halo_neighbor(bench_context *context);

// onesided.c
int bench_put_latency(bench_context *context);
int bench_get_latency(bench_context *context);
int bench_acc_latency(bench_context *context);
int bench_put_bw(bench_context *context);
int bench_get_bw(bench_context *context);

#endif
