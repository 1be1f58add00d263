// Point-to-point: osu_latency, osu_bw, osu_bibw, osu_mbw_mr, osu_multi_lat.
//
// Two loops, as in the Swift suite (Benchmarks/BenchmarkLoops/Loops.swift):
// a ping-pong and a window of nonblocking messages, each following OSU 7.4:
// buffers page-aligned and allocated once for the largest size (osu_multi_lat:
// per size), the size's bytes filled before timing ('a' to send, 'b' to
// receive), a barrier, warm-up iterations, then timed ones. Only the rank
// that OSU times calls MPI_Wtime, right before its first call and right after
// its last one of each timed iteration; the figure is from the sum of those
// intervals, and the median and p99 are of the same intervals.
//
// --guard (Open MPI): receives as the Swift binding makes them under this
// MPI (Sources/MPI/Machinery/MatchedReceive.swift, SwappedReceive.swift):
// blocking ones by MPI_Mprobe, the status's byte count and MPI_Mrecv;
// nonblocking ones by MPI_Irecv through a datatype covering the buffer with
// its first and last byte swapped, the bytes put back after completion.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct {
    char *send;
    char *receive;
    MPI_Request *send_requests;    // window
    MPI_Request *receive_requests; // window
    MPI_Status *statuses;          // window
    // --guard: per window receive, the last byte before posting, and the
    // scratch memory of a receive shorter than 2 bytes.
    unsigned char *saved;
    char **scratch;
    MPI_Datatype swapped;          // the byte-swapped type of the current size
    MPI_Datatype swapped_scratch;  // the one of 2 bytes, for scratch memory
} pt2pt_buffers;

// Everything that does not depend on the size, allocated before any timing;
// the message buffers too unless `per_size` (osu_multi_lat allocates them
// for each size).
static pt2pt_buffers pt2pt_allocate(const bench_context *context, int per_size) {
    pt2pt_buffers buffers = {0};
    size_t window = (size_t)context->options.window;
    if (!per_size) {
        buffers.send = bench_alloc(context->options.maximum_size);
        buffers.receive = bench_alloc(context->options.maximum_size);
    }
    buffers.send_requests = bench_alloc(window * sizeof(MPI_Request));
    buffers.receive_requests = bench_alloc(window * sizeof(MPI_Request));
    buffers.statuses = bench_alloc(window * sizeof(MPI_Status));
    buffers.saved = bench_alloc(window);
    buffers.scratch = bench_alloc(window * sizeof(char *));
    buffers.swapped = MPI_DATATYPE_NULL;
    buffers.swapped_scratch = MPI_DATATYPE_NULL;
    return buffers;
}

static void pt2pt_free(pt2pt_buffers *buffers) {
    free(buffers->send);
    free(buffers->receive);
    free(buffers->send_requests);
    free(buffers->receive_requests);
    free(buffers->statuses);
    free(buffers->saved);
    free(buffers->scratch);
    if (buffers->swapped != MPI_DATATYPE_NULL) MPI_Type_free(&buffers->swapped);
    if (buffers->swapped_scratch != MPI_DATATYPE_NULL) MPI_Type_free(&buffers->swapped_scratch);
}

// The Swift binding's byte-swapping type covering `bytes` (>= 2) bytes:
// blocks of 1 byte at bytes-1, bytes-2 at 1, 1 at 0 (as Benchmarks/callcost-c
// makes it, and SwappedByteTypes caches it).
static MPI_Datatype swapped_type(int bytes) {
    int lengths[3] = {1, bytes - 2, 1};
    MPI_Aint displacements[3] = {bytes - 1, 1, 0};
    MPI_Datatype type;
    if (MPI_Type_create_hindexed(3, lengths, displacements, MPI_BYTE, &type) != MPI_SUCCESS ||
        MPI_Type_commit(&type) != MPI_SUCCESS) {
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return type;
}

// What OSU does between sizes (set_buffer_pt2pt), and, with the guard, the
// swapped type for this size (the binding makes it at its first use, in the
// warm-up, and keeps it).
static void prepare_size(const bench_context *context, pt2pt_buffers *buffers, size_t size, int per_size) {
    if (per_size) {
        buffers->send = bench_alloc(size);
        buffers->receive = bench_alloc(size);
    }
    memset(buffers->send, 'a', size);
    memset(buffers->receive, 'b', size);
    if (context->guarded) {
        if (buffers->swapped != MPI_DATATYPE_NULL) MPI_Type_free(&buffers->swapped);
        if (size >= 2) buffers->swapped = swapped_type((int)size);
        if (buffers->swapped_scratch == MPI_DATATYPE_NULL) buffers->swapped_scratch = swapped_type(2);
    }
}

static void finish_size(pt2pt_buffers *buffers, int per_size) {
    if (!per_size) return;
    free(buffers->send);
    free(buffers->receive);
    buffers->send = buffers->receive = NULL;
}

// The byte count MPI recorded in a status, as the binding reads it
// (cmpi_status_recorded_bytes in Sources/CMPI/shim.h), else MPI_Get_count.
long long bench_recorded_bytes(MPI_Status *status) {
#if defined(OPEN_MPI)
    return (long long)status->_ucount;
#else
    int count = 0;
    MPI_Get_count(status, MPI_BYTE, &count);
    return count;
#endif
}

static void truncated(long long bytes, int capacity) {
    fprintf(stderr, "mpi-bench-c: message of %lld bytes does not fit the buffer of %d\n", bytes, capacity);
    MPI_Abort(MPI_COMM_WORLD, 1);
}

// A blocking receive of up to `count` bytes: OSU's MPI_Recv, or with the
// guard the binding's matched receive (receiveSafely: MPI_Mprobe, the
// status's byte count, MPI_Mrecv of the buffer's count).
static inline void receive_blocking(const bench_context *context, void *buffer, int count, int source, int tag) {
    MPI_Status status;
    if (context->guarded) {
        MPI_Message message;
        MPI_Mprobe(source, tag, context->comm, &message, &status);
        long long bytes = bench_recorded_bytes(&status);
        if (bytes > count) truncated(bytes, count);
        MPI_Mrecv(buffer, count, MPI_BYTE, &message, MPI_STATUS_IGNORE);
    } else {
        MPI_Recv(buffer, count, MPI_CHAR, source, tag, context->comm, &status);
    }
}

// Posts window receive `j` of `count` bytes: OSU's MPI_Irecv, or with the
// guard the binding's SwappedReceive.post (the last byte saved, MPI_Irecv of
// one swapped type; under 2 bytes into 2 bytes of scratch memory, allocated
// per receive as the binding allocates it).
static inline void receive_post(const bench_context *context, pt2pt_buffers *buffers, int j, char *buffer,
                                int count, int source, int tag, MPI_Request *request) {
    if (!context->guarded) {
        MPI_Irecv(buffer, count, MPI_CHAR, source, tag, context->comm, request);
        return;
    }
    if (count >= 2) {
        buffers->scratch[j] = NULL;
        buffers->saved[j] = (unsigned char)buffer[count - 1];
        MPI_Irecv(buffer, 1, buffers->swapped, source, tag, context->comm, request);
    } else {
        char *scratch = malloc(2);
        if (scratch == NULL) MPI_Abort(MPI_COMM_WORLD, 1);
        scratch[0] = scratch[1] = 0;
        buffers->scratch[j] = scratch;
        buffers->saved[j] = (unsigned char)scratch[1];
        MPI_Irecv(scratch, 1, buffers->swapped_scratch, source, tag, context->comm, request);
    }
}

// The binding's SwappedReceive.finish for a completed window receive: the
// status's byte count, the two bytes put back (restoreOrder); from scratch
// memory, what fits copied to the buffer.
static inline void receive_finish(pt2pt_buffers *buffers, int j, char *buffer, int count, MPI_Status *status) {
    char *scratch = buffers->scratch[j];
    unsigned char *target = (unsigned char *)(scratch ? scratch : buffer);
    long long target_bytes = scratch ? 2 : count;
    long long received = bench_recorded_bytes(status);
    if (received > 0) {
        unsigned char first = target[target_bytes - 1];
        unsigned char last = received >= target_bytes ? target[0] : buffers->saved[j];
        target[0] = first;
        target[target_bytes - 1] = last;
    }
    if (scratch) {
        if (count > 0) memcpy(buffer, scratch, (size_t)(received < count ? received : count));
        free(scratch);
        if (received > count) truncated(received, count);
    } else if (received > count) {
        truncated(received, count);
    }
}

// Waits for a window of receives (with their statuses) and finishes them.
static inline void receive_wait_window(const bench_context *context, pt2pt_buffers *buffers, int window,
                                       char *buffer, int count) {
    MPI_Waitall(window, buffers->receive_requests, buffers->statuses);
    if (context->guarded) {
        for (int j = 0; j < window; j++) receive_finish(buffers, j, buffer, count, &buffers->statuses[j]);
    }
}

// One ping-pong series between this rank and `peer` (the lower rank pings
// and times, as osu_latency's rank 0). Ranks that are not `active` only take
// part in the barrier. `barrier_each`: a barrier of all ranks before every
// iteration (osu_multi_lat). Returns 1 and fills `row` on the pinging rank,
// with the sum of the timed round trips in `row->value` (seconds).
static int ping_pong(bench_context *context, pt2pt_buffers *buffers, size_t size, int peer, int active,
                     int barrier_each, int iterations, int warmup, bench_row *row) {
    MPI_Comm comm = context->comm;
    int count = (int)size;
    int pinging = context->rank < peer;
    double *times = context->times;
    double total = 0;
    MPI_Barrier(comm);
    if (active) {
        for (int i = 0; i < warmup + iterations; i++) {
            if (barrier_each) MPI_Barrier(comm);
            if (pinging) {
                double start = 0;
                if (i >= warmup) start = MPI_Wtime();
                MPI_Send(buffers->send, count, MPI_CHAR, peer, 1, comm);
                receive_blocking(context, buffers->receive, count, peer, 1);
                if (i >= warmup) {
                    double took = MPI_Wtime() - start;
                    total += took;
                    times[i - warmup] = took;
                }
            } else {
                receive_blocking(context, buffers->receive, count, peer, 1);
                MPI_Send(buffers->send, count, MPI_CHAR, peer, 1, comm);
            }
        }
    }
    if (!(active && pinging)) return 0;
    *row = (bench_row){0};
    row->size = size;
    row->iterations = iterations;
    row->value = total;
    double minimum, maximum;
    bench_percentiles(context, iterations, 0.5e6, &row->median, &row->p99, &minimum, &maximum);
    return 1;
}

// OSU's bandwidth loop. osu_bw: the sender starts a window of sends, waits
// for all, and receives a 1-byte acknowledgement (into its receive buffer);
// the receiver starts a window of receives (all into one buffer, as OSU does),
// waits for all, and sends the acknowledgement (from its send buffer).
// osu_bibw: both ranks start a window of receives, then of sends; the lower
// rank waits for its sends, then its receives, the upper rank the other way
// round. `barriers`: barriers of all ranks before every iteration
// (osu_mbw_mr has two). Returns 1 and fills `row` on the lower rank of the
// pair, with the sum of its timed windows in `row->value` (seconds).
static int windows(bench_context *context, pt2pt_buffers *buffers, size_t size, int peer, int active,
                   int bidirectional, int barriers, int iterations, int warmup, bench_row *row) {
    MPI_Comm comm = context->comm;
    int count = (int)size;
    int window = context->options.window;
    int sending = context->rank < peer;
    double *times = context->times;
    double total = 0;
    MPI_Barrier(comm);
    if (active) {
        for (int i = 0; i < warmup + iterations; i++) {
            for (int b = 0; b < barriers; b++) MPI_Barrier(comm);
            double start = 0;
            if (sending && i >= warmup) start = MPI_Wtime();
            if (bidirectional) {
                int receive_tag = sending ? 10 : 100, send_tag = sending ? 100 : 10;
                for (int j = 0; j < window; j++) {
                    receive_post(context, buffers, j, buffers->receive, count, peer, receive_tag,
                                 &buffers->receive_requests[j]);
                }
                for (int j = 0; j < window; j++) {
                    MPI_Isend(buffers->send, count, MPI_CHAR, peer, send_tag, comm, &buffers->send_requests[j]);
                }
                if (sending) {
                    MPI_Waitall(window, buffers->send_requests, buffers->statuses);
                    receive_wait_window(context, buffers, window, buffers->receive, count);
                } else {
                    receive_wait_window(context, buffers, window, buffers->receive, count);
                    MPI_Waitall(window, buffers->send_requests, buffers->statuses);
                }
            } else if (sending) {
                for (int j = 0; j < window; j++) {
                    MPI_Isend(buffers->send, count, MPI_CHAR, peer, 100, comm, &buffers->send_requests[j]);
                }
                MPI_Waitall(window, buffers->send_requests, buffers->statuses);
                receive_blocking(context, buffers->receive, 1, peer, 101);
            } else {
                for (int j = 0; j < window; j++) {
                    receive_post(context, buffers, j, buffers->receive, count, peer, 100,
                                 &buffers->receive_requests[j]);
                }
                receive_wait_window(context, buffers, window, buffers->receive, count);
                MPI_Send(buffers->send, 1, MPI_CHAR, peer, 101, comm);
            }
            if (sending && i >= warmup) {
                double took = MPI_Wtime() - start;
                total += took;
                times[i - warmup] = took;
            }
        }
    }
    if (!(active && sending)) return 0;
    *row = (bench_row){0};
    row->size = size;
    row->iterations = iterations;
    row->value = total;
    double minimum, maximum;
    bench_percentiles(context, iterations, 1e6, &row->median, &row->p99, &minimum, &maximum);  // each window, us
    return 1;
}

int bench_latency(bench_context *context) {
    if (context->ranks < 2) {
        bench_error(context, "this test needs at least 2 ranks (ranks 0 and 1 run it)");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context, 0);
    int peer = context->rank == 0 ? 1 : 0;
    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        prepare_size(context, &buffers, size, 0);
        bench_row row;
        if (ping_pong(context, &buffers, size, peer, context->rank < 2, 0, iterations, warmup, &row)) {
            row.value = row.value * 1e6 / (2.0 * iterations);  // OSU's one-way latency, us
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
    pt2pt_buffers buffers = pt2pt_allocate(context, 0);
    int peer = context->rank == 0 ? 1 : 0;
    int window = context->options.window;
    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        if (size == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        prepare_size(context, &buffers, size, 0);
        bench_row row;
        if (windows(context, &buffers, size, peer, context->rank < 2, bidirectional, 0, iterations, warmup, &row)) {
            // OSU: size / 1e6 * iterations * window (* 2) / total seconds.
            row.value = (double)size / 1e6 * iterations * window * (bidirectional ? 2 : 1) / row.value;
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}

int bench_bw(bench_context *context) { return bandwidth(context, 0); }
int bench_bibw(bench_context *context) { return bandwidth(context, 1); }

// osu_mbw_mr: pairs (rank i with i + n/2) run the bandwidth loop at once,
// two barriers of all ranks before every iteration; the senders' summed
// times are averaged over the pairs, and the figure is the pairs' bytes over
// that average; the message rate is that over the size.
int bench_mbw_mr(bench_context *context) {
    if (context->ranks < 2 || context->ranks % 2 != 0) {
        bench_error(context, "this test needs an even number of ranks");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context, 0);
    int pairs = context->ranks / 2;
    int peer = context->rank < pairs ? context->rank + pairs : context->rank - pairs;
    int window = context->options.window;
    char pairs_line[96];
    snprintf(pairs_line, sizeof pairs_line, "# [ pairs: %d ] [ window size: %d ]", pairs, window);
    const char *header[] = {pairs_line, NULL};
    bench_begin(context, header);
    BENCH_SIZES(context, size) {
        if (size == 0) continue;
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        prepare_size(context, &buffers, size, 0);
        bench_row row = {0};
        windows(context, &buffers, size, peer, 1, 0, 2, iterations, warmup, &row);
        double total = 0;
        MPI_Reduce(&row.value, &total, 1, MPI_DOUBLE, MPI_SUM, 0, context->comm);
        if (context->rank == 0) {
            double seconds = total / pairs;
            row.value = (double)size / 1e6 * pairs * iterations * window / seconds;
            row.messages_per_second = row.value * 1e6 / (double)size;
            bench_row_out(context, &row);
        }
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}

// osu_multi_lat: pairs (rank i with i + n/2) ping-pong at once, a barrier of
// all ranks before every iteration, buffers allocated per size; the figure
// is the pinging ranks' summed times averaged over the pairs, over 2 n.
int bench_multi_lat(bench_context *context) {
    if (context->ranks < 2 || context->ranks % 2 != 0) {
        bench_error(context, "this test needs an even number of ranks");
        return 1;
    }
    pt2pt_buffers buffers = pt2pt_allocate(context, 1);
    int pairs = context->ranks / 2;
    int peer = context->rank < pairs ? context->rank + pairs : context->rank - pairs;
    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);
        prepare_size(context, &buffers, size, 1);
        bench_row row = {0};
        ping_pong(context, &buffers, size, peer, 1, 1, iterations, warmup, &row);
        double total = 0;
        MPI_Reduce(&row.value, &total, 1, MPI_DOUBLE, MPI_SUM, 0, context->comm);
        if (context->rank == 0) {
            row.value = total / pairs * 1e6 / (2.0 * iterations);
            bench_row_out(context, &row);
        }
        finish_size(&buffers, 1);
    }
    bench_end(context);
    pt2pt_free(&buffers);
    return 0;
}
