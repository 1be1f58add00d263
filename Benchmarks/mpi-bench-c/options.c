// The benchmarks, their defaults, and OSU's options.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static const bench_description benchmarks[] = {
    {"latency", "OSU MPI Latency Test", "Avg Latency(us)", "us",
     FAMILY_LATENCY, LAYOUT_PT2PT, 1, MAX_MESSAGE_SIZE_PT2PT, bench_latency},
    {"bw", "OSU MPI Bandwidth Test", "Bandwidth (MB/s)", "MB/s",
     FAMILY_BANDWIDTH, LAYOUT_PT2PT, 1, MAX_MESSAGE_SIZE_PT2PT, bench_bw},
    {"bibw", "OSU MPI Bi-Directional Bandwidth Test", "Bandwidth (MB/s)", "MB/s",
     FAMILY_BANDWIDTH, LAYOUT_PT2PT, 1, MAX_MESSAGE_SIZE_PT2PT, bench_bibw},
    {"mbw_mr", "OSU MPI Multiple Bandwidth / Message Rate Test", "MB/s", "MB/s",
     FAMILY_MESSAGE_RATE, LAYOUT_MBW_MR, 1, MAX_MESSAGE_SIZE_PT2PT, bench_mbw_mr},
    {"multi_lat", "OSU MPI Multi Latency Test", "Avg Latency(us)", "us",
     FAMILY_LATENCY, LAYOUT_PT2PT, 1, MAX_MESSAGE_SIZE_PT2PT, bench_multi_lat},
    {"barrier", "OSU MPI Barrier Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_BARRIER, 0, 0, bench_barrier},
    {"bcast", "OSU MPI Broadcast Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_bcast},
    {"reduce", "OSU MPI Reduce Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_reduce},
    {"allreduce", "OSU MPI Allreduce Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_allreduce},
    {"gather", "OSU MPI Gather Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_gather},
    {"scatter", "OSU MPI Scatter Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_scatter},
    {"allgather", "OSU MPI Allgather Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_allgather},
    {"alltoall", "OSU MPI All-to-All Personalized Exchange Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_alltoall},
    {"reduce_scatter", "OSU MPI Reduce_scatter Latency Test", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_reduce_scatter},
    {"iallreduce", "OSU MPI Non-blocking Allreduce Latency Test", "Overall(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_NBC, 1, MAX_MESSAGE_SIZE_COLLECTIVE, bench_iallreduce},
    {"halo_persistent", "2-D Halo Exchange by Persistent Requests", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 8, 1u << 18, bench_halo_persistent},
    {"halo_neighbor", "2-D Halo Exchange by MPI_Neighbor_alltoall", "Avg Latency(us)", "us",
     FAMILY_COLLECTIVE, LAYOUT_COLLECTIVE, 8, 1u << 18, bench_halo_neighbor},
    {"put_latency", "OSU MPI_Put Latency Test", "Latency (us)", "us",
     FAMILY_RMA_LATENCY, LAYOUT_PT2PT, 0, MAX_MESSAGE_SIZE_PT2PT, bench_put_latency},
    {"get_latency", "OSU MPI_Get latency Test", "Latency (us)", "us",
     FAMILY_RMA_LATENCY, LAYOUT_PT2PT, 0, MAX_MESSAGE_SIZE_PT2PT, bench_get_latency},
    {"acc_latency", "OSU MPI_Accumulate latency Test", "Latency (us)", "us",
     FAMILY_RMA_LATENCY, LAYOUT_PT2PT, 0, MAX_MESSAGE_SIZE_PT2PT, bench_acc_latency},
    {"put_bw", "OSU MPI_Put Bandwidth Test", "Bandwidth (MB/s)", "MB/s",
     FAMILY_RMA_BANDWIDTH, LAYOUT_PT2PT, 1, MAX_MESSAGE_SIZE_PT2PT, bench_put_bw},
    {"get_bw", "OSU MPI_Get Bandwidth Test", "Bandwidth (MB/s)", "MB/s",
     FAMILY_RMA_BANDWIDTH, LAYOUT_PT2PT, 1, MAX_MESSAGE_SIZE_PT2PT, bench_get_bw},
};

const bench_description *bench_find(const char *name) {
    for (size_t i = 0; i < sizeof benchmarks / sizeof benchmarks[0]; i++) {
        if (strcmp(benchmarks[i].name, name) == 0) return &benchmarks[i];
    }
    return NULL;
}

void bench_print_usage(void) {
    fprintf(stderr,
            "usage: mpirun -np N mpi-bench-c SUBCOMMAND [-m MIN:MAX] [-i ITERATIONS] [-x WARMUP]\n"
            "                                [-W WINDOW] [-f] [--guard] [--format text|json]\n"
            "subcommands:");
    for (size_t i = 0; i < sizeof benchmarks / sizeof benchmarks[0]; i++) {
        fprintf(stderr, " %s", benchmarks[i].name);
    }
    fprintf(stderr,
            "\n"
            "  -m MIN:MAX  message sizes in bytes, doubling from MIN to MAX (-m MAX sets the maximum;\n"
            "              a 0-byte row only when asked for with -m 0:MAX)\n"
            "  -i N        timed iterations per size (OSU 7.4's defaults, up to 8 KiB, then above:\n"
            "              latency 10000, 1000; bandwidth 100, 20; mbw_mr 100; collectives 1000, 100)\n"
            "  -x N        warm-up iterations per size (latency 100, 10; bandwidth 10, 2; mbw_mr 10;\n"
            "              collectives 100, 10)\n"
            "  -W N        window size for bw, bibw, mbw_mr (default 64)\n"
            "  -f          full output: min, max, iterations (collectives)\n"
            "  --guard     receive as the Swift binding does under this MPI (Open MPI: matched probe\n"
            "              for blocking receives, byte-swapped type for nonblocking ones; MPICH: plain)\n"
            "  --format F  text (OSU's layout, default) or json\n");
}

// A non-negative decimal integer, the whole string.
static int parse_count(const char *text, unsigned long long *value) {
    if (text == NULL || *text == '\0' || *text == '-' || *text == '+') return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long parsed = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0') return 0;
    *value = parsed;
    return 1;
}

// -m MIN:MAX, -m MAX, -m MIN: (as OSU accepts).
static int parse_sizes(const char *text, bench_options *options) {
    const char *colon = strchr(text, ':');
    unsigned long long minimum = options->minimum_size, maximum = options->maximum_size;
    if (colon == NULL) {
        if (!parse_count(text, &maximum)) return 0;
    } else {
        char first[64];
        size_t length = (size_t)(colon - text);
        if (length >= sizeof first) return 0;
        memcpy(first, text, length);
        first[length] = '\0';
        if (length > 0 && !parse_count(first, &minimum)) return 0;
        if (colon[1] != '\0' && !parse_count(colon + 1, &maximum)) return 0;
    }
    // Sizes stay within an int count even for the collectives' n-block buffers.
    if (maximum > (1ull << 30) || minimum > maximum) return 0;
    options->minimum_size = (size_t)minimum;
    options->maximum_size = (size_t)maximum;
    return 1;
}

int bench_parse_options(int argc, char **argv, const bench_description *benchmark,
                        bench_options *options, char *error, size_t error_size) {
    options->minimum_size = benchmark->minimum_size;
    options->maximum_size = benchmark->maximum_size;
    if (benchmark->family == FAMILY_BANDWIDTH) {
        options->iterations = 100;
        options->warmup = 10;
        options->iterations_large = 20;
        options->warmup_large = 2;
    } else if (benchmark->family == FAMILY_COLLECTIVE) {
        options->iterations = 1000;
        options->warmup = 100;
        options->iterations_large = 100;
        options->warmup_large = 10;
    } else if (benchmark->family == FAMILY_RMA_LATENCY || benchmark->family == FAMILY_RMA_BANDWIDTH) {
        options->iterations = 10000;
        options->warmup = 100;
        options->iterations_large = benchmark->family == FAMILY_RMA_LATENCY ? 100 : 30;
        options->warmup_large = 10;
    } else if (benchmark->family == FAMILY_MESSAGE_RATE) {
        options->iterations = options->iterations_large = 100;
        options->warmup = options->warmup_large = 10;
    } else {
        options->iterations = 10000;
        options->warmup = 100;
        options->iterations_large = 1000;
        options->warmup_large = 10;
    }
    options->window = DEFAULT_WINDOW;
    options->full = 0;
    options->guard = 0;
    options->format = FORMAT_TEXT;

    for (int i = 0; i < argc; i++) {
        const char *option = argv[i];
        if (strcmp(option, "-f") == 0) {
            options->full = 1;
            continue;
        }
        if (strcmp(option, "--guard") == 0) {
            options->guard = 1;
            continue;
        }
        const char *value = NULL;
        if (strncmp(option, "--format=", 9) == 0) {
            value = option + 9;
            option = "--format";
        } else if (strcmp(option, "-m") == 0 || strcmp(option, "-i") == 0 || strcmp(option, "-x") == 0 ||
                   strcmp(option, "-W") == 0 || strcmp(option, "--format") == 0) {
            if (i + 1 >= argc) {
                snprintf(error, error_size, "missing value for %s", option);
                return 0;
            }
            value = argv[++i];
        } else {
            snprintf(error, error_size, "unknown option %s", option);
            return 0;
        }

        unsigned long long count = 0;
        if (strcmp(option, "-m") == 0) {
            if (!parse_sizes(value, options)) {
                snprintf(error, error_size, "bad -m %s", value);
                return 0;
            }
        } else if (strcmp(option, "-i") == 0) {
            // As OSU: -i sets the iterations for every size.
            if (!parse_count(value, &count) || count < 1 || count > 100000000) {
                snprintf(error, error_size, "bad -i %s", value);
                return 0;
            }
            options->iterations = options->iterations_large = (int)count;
        } else if (strcmp(option, "-x") == 0) {
            if (!parse_count(value, &count) || count > 100000000) {
                snprintf(error, error_size, "bad -x %s", value);
                return 0;
            }
            options->warmup = options->warmup_large = (int)count;
        } else if (strcmp(option, "-W") == 0) {
            if (!parse_count(value, &count) || count < 1 || count > 1000000) {
                snprintf(error, error_size, "bad -W %s", value);
                return 0;
            }
            options->window = (int)count;
        } else {  // --format
            if (strcmp(value, "text") == 0) {
                options->format = FORMAT_TEXT;
            } else if (strcmp(value, "json") == 0) {
                options->format = FORMAT_JSON;
            } else {
                snprintf(error, error_size, "bad --format %s (text or json)", value);
                return 0;
            }
        }
    }
    return 1;
}

void bench_counts(const bench_context *context, size_t size, int *iterations, int *warmup) {
    if (size > LARGE_MESSAGE_SIZE) {
        *iterations = context->options.iterations_large;
        *warmup = context->options.warmup_large;
    } else {
        *iterations = context->options.iterations;
        *warmup = context->options.warmup;
    }
}

// Page-aligned, as OSU allocates its buffers (posix_memalign to the page
// size), at least 1 byte; not touched here: the benchmarks fill what they use
// before timing, as OSU does.
void *bench_alloc(size_t bytes) {
    if (bytes < 1) bytes = 1;
    long page = sysconf(_SC_PAGESIZE);
    void *buffer = NULL;
    if (posix_memalign(&buffer, page > 0 ? (size_t)page : 4096, bytes) != 0) {
        fprintf(stderr, "mpi-bench-c: cannot allocate %zu bytes\n", bytes);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return buffer;
}

// Reductions work on floats: 1.0 everywhere keeps the sums finite and normal.
void bench_fill_floats(void *buffer, size_t bytes, float value) {
    float *elements = buffer;
    for (size_t i = 0; i < bytes / sizeof(float); i++) elements[i] = value;
}

// The Swift binding guards receives where the MPI library writes past a short
// buffer (Sources/MPI/CFloor/Implementation.swift: Open MPI 4.1), not under
// MPICH, which clips every message to the buffer.
int bench_guard_applies(void) {
#if defined(MPICH_VERSION) || defined(MPICH)
    return 0;
#else
    return 1;
#endif
}

const char *bench_guard_name(const bench_context *context) {
    return context->guarded ? "matched-probe/swapped-type" : "none";
}
