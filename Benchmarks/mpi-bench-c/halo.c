// Halo exchange on a periodic 2-D grid of ranks: halo_persistent and
// halo_neighbor, the loops of mpi-bench's Halo.swift.
//
// The ranks form a grid of MPI_Dims_create's shape, periodic in both
// dimensions, each with four neighbours in MPI's order (dimension 0's -1 and
// +1, then dimension 1's). Every exchange sends a block of `size` bytes to
// each neighbour and receives one from each. halo_persistent makes four
// MPI_Send_init and four MPI_Recv_init per size (block j to neighbour j with
// tag j, received from neighbour j with tag j ^ 1: the block a neighbour
// sends its way) and starts them together (MPI_Startall, MPI_Waitall);
// halo_neighbor calls MPI_Neighbor_alltoall. Timed as the collectives are
// (collectives.c): each call alone, a barrier between calls outside the
// timing, the ranks' averages reduced to rank 0.
//
// --guard (Open MPI): the persistent receives as the Swift binding makes
// them under this MPI (Sources/MPI/Machinery/PersistentCore.swift): one type
// per block covering it with its first and last byte swapped and then one
// sentinel byte of the request's own (so a longer message shows as one byte
// more), the block's last byte saved before every start, the two swapped
// bytes put back and the count checked after the wait.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct {
    MPI_Comm grid;
    int peers[4];
} halo_grid;

static halo_grid halo_make_grid(const bench_context *context) {
    halo_grid grid;
    int dims[2] = {0, 0}, periods[2] = {1, 1};
    MPI_Dims_create(context->ranks, 2, dims);
    MPI_Cart_create(context->comm, 2, dims, periods, 0, &grid.grid);
    MPI_Cart_shift(grid.grid, 0, 1, &grid.peers[0], &grid.peers[1]);
    MPI_Cart_shift(grid.grid, 1, 1, &grid.peers[2], &grid.peers[3]);
    return grid;
}

// Puts back the bytes a swapped receive of `count` (>= 2) bytes swapped.
static inline void halo_restore(unsigned char *block, int count, unsigned char saved, MPI_Status *status) {
    long long received = bench_recorded_bytes(status);
    if (received <= 0) return;
    unsigned char first = block[count - 1];
    unsigned char last = received >= count ? block[0] : saved;
    block[0] = first;
    block[count - 1] = last;
    if (received > count) {
        fprintf(stderr, "mpi-bench-c: message of %lld bytes does not fit the buffer of %d\n", received, count);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
}

// The guarded receive type of a `count`-byte (>= 2) block followed by `sentinel`.
static MPI_Datatype halo_guarded_type(char *block, int count, char *sentinel) {
    int lengths[4] = {1, count - 2, 1, 1};
    MPI_Aint displacements[4] = {count - 1, 1, 0, (MPI_Aint)(sentinel - block)};
    MPI_Datatype type;
    if (MPI_Type_create_hindexed(4, lengths, displacements, MPI_BYTE, &type) != MPI_SUCCESS ||
        MPI_Type_commit(&type) != MPI_SUCCESS) {
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return type;
}

static int run_halo(bench_context *context, int persistent) {
    halo_grid grid = halo_make_grid(context);
    size_t maximum = context->options.maximum_size;
    char *send = bench_alloc(4 * maximum);
    char *receive = bench_alloc(4 * maximum);
    memset(send, 1, 4 * maximum);
    memset(receive, 0, 4 * maximum);
    MPI_Request requests[8];
    MPI_Status statuses[8];
    unsigned char saved[4];
    char *sentinels = bench_alloc(4);
    memset(sentinels, 0, 4);
    int guarded = context->guarded;

    bench_begin(context, NULL);
    BENCH_SIZES(context, size) {
        int count = (int)size;
        MPI_Datatype types[4] = {MPI_DATATYPE_NULL, MPI_DATATYPE_NULL, MPI_DATATYPE_NULL, MPI_DATATYPE_NULL};
        if (persistent) {
            for (int j = 0; j < 4; j++) {
                MPI_Send_init(send + j * size, count, MPI_BYTE, grid.peers[j], j, grid.grid, &requests[j]);
                if (guarded) {
                    types[j] = halo_guarded_type(receive + j * size, count, sentinels + j);
                    MPI_Recv_init(receive + j * size, 1, types[j], grid.peers[j], j ^ 1, grid.grid, &requests[4 + j]);
                } else {
                    MPI_Recv_init(receive + j * size, count, MPI_BYTE, grid.peers[j], j ^ 1, grid.grid, &requests[4 + j]);
                }
            }
        }
        int iterations, warmup;
        bench_counts(context, size, &iterations, &warmup);

        MPI_Barrier(grid.grid);
        double timer = 0;
        for (int i = 0; i < warmup + iterations; i++) {
            double start = MPI_Wtime();
            if (persistent) {
                if (guarded) {
                    for (int j = 0; j < 4; j++) saved[j] = (unsigned char)receive[j * size + size - 1];
                }
                MPI_Startall(8, requests);
                MPI_Waitall(8, requests, guarded ? statuses : MPI_STATUSES_IGNORE);
                if (guarded) {
                    for (int j = 0; j < 4; j++) {
                        halo_restore((unsigned char *)receive + j * size, count, saved[j], &statuses[4 + j]);
                    }
                }
            } else {
                MPI_Neighbor_alltoall(send, count, MPI_BYTE, receive, count, MPI_BYTE, grid.grid);
            }
            double stop = MPI_Wtime();
            if (i >= warmup) {
                context->times[i - warmup] = stop - start;
                timer += stop - start;
            }
            MPI_Barrier(grid.grid);
        }
        bench_collective_row(context, size, iterations, timer);
        if (persistent) {
            for (int j = 0; j < 8; j++) MPI_Request_free(&requests[j]);
            for (int j = 0; j < 4; j++) {
                if (types[j] != MPI_DATATYPE_NULL) MPI_Type_free(&types[j]);
            }
        }
    }
    bench_end(context);
    free(send);
    free(receive);
    free(sentinels);
    MPI_Comm_free(&grid.grid);
    return 0;
}

int bench_halo_persistent(bench_context *context) { return run_halo(context, 1); }
int bench_halo_neighbor(bench_context *context) { return run_halo(context, 0); }
