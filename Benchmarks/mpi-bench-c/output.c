// Output from rank 0: OSU's text layout, or the JSON object of Benchmarks/README.md.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

// OSU 7.4's column width and precision (as its configure.ac defines them).
#define FIELD_WIDTH 18
#define FLOAT_PRECISION 2
#define SIZE_WIDTH 10
#define ITERATIONS_WIDTH 12

static int rows_written = 0;

// The datatype OSU's "# Datatype:" line names: bytes, or floats for the
// reductions (as osu_allreduce -T mpi_float).
const char *bench_datatype_name(const bench_description *benchmark) {
    const char *name = benchmark->name;
    if (strcmp(name, "reduce") == 0 || strcmp(name, "allreduce") == 0 || strcmp(name, "reduce_scatter") == 0 ||
        strcmp(name, "iallreduce") == 0) {
        return "MPI_FLOAT";
    }
    return "MPI_CHAR";
}

void bench_error(const bench_context *context, const char *message) {
    if (context->rank == 0) fprintf(stderr, "mpi-bench-c %s: %s\n", context->benchmark->name, message);
}

void bench_begin(const bench_context *context, const char *const *extra_header_lines) {
    if (context->rank != 0) return;
    const bench_description *benchmark = context->benchmark;
    rows_written = 0;
    if (context->options.format == FORMAT_JSON) {
        printf("{\n");
        printf("  \"benchmark\": \"%s\",\n", benchmark->name);
        printf("  \"implementation\": \"c\",\n");
        printf("  \"ranks\": %d,\n", context->ranks);
        printf("  \"guard\": \"%s\",\n", bench_guard_name(context));
        printf("  \"unit\": \"%s\",\n", benchmark->unit);
        printf("  \"rows\": [");
        fflush(stdout);
        return;
    }
    printf("# %s (mpi-bench-c, OSU 7.4's method)\n", benchmark->title);
    if (context->guarded) {
        printf("# truncation guard: matched-probe/swapped-type (--guard: receives as the Swift binding makes them)\n");
    } else if (context->options.guard && !bench_guard_applies()) {
        printf("# truncation guard: none (--guard: this MPI clips messages, the Swift binding receives plainly)\n");
    } else if (context->options.guard) {
        printf("# truncation guard: none (--guard concerns the point-to-point receives only)\n");
    } else {
        printf("# truncation guard: none (plain MPI_Recv, MPI_Irecv)\n");
    }
    for (const char *const *line = extra_header_lines; line && *line; line++) printf("%s\n", *line);
    if (benchmark->layout != LAYOUT_BARRIER) printf("# Datatype: %s.\n", bench_datatype_name(benchmark));
    int full = context->options.full;
    switch (benchmark->layout) {
    case LAYOUT_PT2PT:
        printf("%-*s%*s\n", SIZE_WIDTH, "# Size", FIELD_WIDTH, benchmark->figure);
        break;
    case LAYOUT_MBW_MR:
        printf("%-*s%*s%*s\n", SIZE_WIDTH, "# Size", FIELD_WIDTH, "MB/s", FIELD_WIDTH, "Messages/s");
        break;
    case LAYOUT_COLLECTIVE:
    case LAYOUT_BARRIER:
        if (benchmark->layout == LAYOUT_BARRIER) {
            printf("# %s", benchmark->figure);
        } else {
            printf("%-*s%*s", SIZE_WIDTH, "# Size", FIELD_WIDTH, benchmark->figure);
        }
        if (full) {
            printf("%*s%*s%*s\n", FIELD_WIDTH, "Min Latency(us)", FIELD_WIDTH, "Max Latency(us)",
                   ITERATIONS_WIDTH, "Iterations");
        } else {
            printf("\n");
        }
        break;
    case LAYOUT_NBC:
        // OSU's line names MPI_Test too; these loops make no test calls.
        printf("# Overall = Coll. Init + Compute + MPI_Wait\n\n");
        printf("%-*s%*s%*s%*s%*s", SIZE_WIDTH, "# Size", FIELD_WIDTH, "Overall(us)", FIELD_WIDTH, "Compute(us)",
               FIELD_WIDTH, "Pure Comm.(us)", FIELD_WIDTH, "Overlap(%)");
        if (full) {
            printf("%*s%*s%*s\n", FIELD_WIDTH, "Min Overall(us)", FIELD_WIDTH, "Max Overall(us)",
                   ITERATIONS_WIDTH, "Iterations");
        } else {
            printf("\n");
        }
        break;
    }
    fflush(stdout);
}

static void json_number(const char *name, double value) {
    if (isfinite(value)) {
        printf(", \"%s\": %.3f", name, value);
    } else {
        printf(", \"%s\": null", name);
    }
}

void bench_row_out(const bench_context *context, const bench_row *row) {
    if (context->rank != 0) return;
    const bench_description *benchmark = context->benchmark;
    if (context->options.format == FORMAT_JSON) {
        printf("%s\n    {\"size\": %zu", rows_written ? "," : "", row->size);
        json_number("value", row->value);
        json_number("median", row->median);
        json_number("p99", row->p99);
        if (row->has_min_max) {
            json_number("min", row->min);
            json_number("max", row->max);
        }
        printf(", \"iterations\": %d", row->iterations);
        if (benchmark->layout == LAYOUT_MBW_MR) json_number("messages_per_second", row->messages_per_second);
        if (benchmark->layout == LAYOUT_NBC) {
            json_number("overall", row->overall);
            json_number("compute", row->compute);
            json_number("pure", row->pure);
            json_number("overlap", row->overlap);
        }
        printf("}");
        rows_written++;
        fflush(stdout);
        return;
    }
    int full = context->options.full;
    switch (benchmark->layout) {
    case LAYOUT_PT2PT:
        printf("%-*zu%*.*f\n", SIZE_WIDTH, row->size, FIELD_WIDTH, FLOAT_PRECISION, row->value);
        break;
    case LAYOUT_MBW_MR:
        printf("%-*zu%*.*f%*.*f\n", SIZE_WIDTH, row->size, FIELD_WIDTH, FLOAT_PRECISION, row->value,
               FIELD_WIDTH, FLOAT_PRECISION, row->messages_per_second);
        break;
    case LAYOUT_COLLECTIVE:
    case LAYOUT_BARRIER:
        if (benchmark->layout == LAYOUT_BARRIER) {
            printf("%*.*f", 17, FLOAT_PRECISION, row->value);
        } else {
            printf("%-*zu%*.*f", SIZE_WIDTH, row->size, FIELD_WIDTH, FLOAT_PRECISION, row->value);
        }
        if (full) {
            printf("%*.*f%*.*f%*d\n", FIELD_WIDTH, FLOAT_PRECISION, row->min, FIELD_WIDTH, FLOAT_PRECISION, row->max,
                   ITERATIONS_WIDTH, row->iterations);
        } else {
            printf("\n");
        }
        break;
    case LAYOUT_NBC:
        printf("%-*zu%*.*f%*.*f%*.*f%*.*f", SIZE_WIDTH, row->size, FIELD_WIDTH, FLOAT_PRECISION, row->overall,
               FIELD_WIDTH, FLOAT_PRECISION, row->compute, FIELD_WIDTH, FLOAT_PRECISION, row->pure,
               FIELD_WIDTH, FLOAT_PRECISION, row->overlap);
        if (full) {
            printf("%*.*f%*.*f%*d\n", FIELD_WIDTH, FLOAT_PRECISION, row->min, FIELD_WIDTH, FLOAT_PRECISION, row->max,
                   ITERATIONS_WIDTH, row->iterations);
        } else {
            printf("\n");
        }
        break;
    }
    fflush(stdout);
}

void bench_end(const bench_context *context) {
    if (context->rank != 0) return;
    if (context->options.format == FORMAT_JSON) {
        printf("\n  ]\n}\n");
    }
    fflush(stdout);
}

static int compare_doubles(const void *left, const void *right) {
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

// Median (the mean of the two middle values when the count is even), the
// 99th percentile by nearest rank (the ceil(0.99 n)-th smallest), minimum and
// maximum of a sorted copy of the first `count` per-iteration times,
// multiplied by `scale`.
void bench_percentiles(bench_context *context, int count, double scale, double *median, double *p99,
                       double *minimum, double *maximum) {
    if (count <= 0) {
        *median = *p99 = *minimum = *maximum = NAN;
        return;
    }
    memcpy(context->sorted, context->times, (size_t)count * sizeof(double));
    qsort(context->sorted, (size_t)count, sizeof(double), compare_doubles);
    const double *sorted = context->sorted;
    if (count % 2 == 1) {
        *median = sorted[count / 2] * scale;
    } else {
        *median = (sorted[count / 2 - 1] + sorted[count / 2]) / 2 * scale;
    }
    long rank = (99L * count + 99) / 100;  // ceil(0.99 n), in integers
    if (rank < 1) rank = 1;
    if (rank > count) rank = count;
    *p99 = sorted[rank - 1] * scale;
    *minimum = sorted[0] * scale;
    *maximum = sorted[count - 1] * scale;
}
