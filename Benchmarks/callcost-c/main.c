/* mpi-callcost-c: the loops of mpi-callcost (Benchmarks/callcost/main.swift)
 * in C, making the MPI calls swift-mpi makes. One rank, sending to and
 * receiving from itself, with every matching receive posted and every
 * matching message queued before the counted loop (as mpi-callcost does):
 *
 *
 *   receive-mprobe   a blocking receive as swift-mpi makes it (MPI_Mprobe,
 *                    MPI_Get_count, MPI_Mrecv), to separate the cost of
 *                    truncation safety from that of the Swift layer; mode
 *                    receive is C's plain MPI_Recv.
 *   ireceive-plain   MPI_Irecv of one double + MPI_Wait with a status (what
 *                    swift-mpi's unsafeIreceive is held against).
 *   ireceive-wait    a nonblocking receive posted truncation-safe as
 *                    swift-mpi posts it (Sources/MPI/Internals/SwappedReceive.swift):
 *                    MPI_Irecv of one element of a byte type that covers the
 *                    buffer with its first and last byte swapped (made once,
 *                    before the loop, as swift-mpi caches it), MPI_Wait,
 *                    MPI_Get_count in bytes, and the two bytes put back.
 *   request-set      64 such receives (each into its own 8 bytes) and 64
 *                    MPI_Isend, completed by one MPI_Waitall over the 128,
 *                    then the receives' bytes put back (MPI_Get_count each).
 *   persistent-set   a halo step: 4 persistent receives of 8 bytes made as
 *                    swift-mpi makes them (Sources/MPI/Machinery/PersistentCore.swift:
 *                    the swapped bytes, then a sentinel byte of the request's
 *                    own) and 4 persistent sends, made before the loop; each
 *                    iteration saves the last bytes, MPI_Startall, MPI_Waitall
 *                    with statuses, MPI_Get_count and the bytes put back.
 *   neighbor-alltoall  MPI_Neighbor_alltoall of one double per neighbour on a
 *                    1-rank periodic 2-D grid.
 *   put-flush, get-flush, put-window, get-window  MPI_Put (MPI_Get) of 8
 *                    MPI_UINT8_T to (from) this rank's own window (MPI_Win_allocate,
 *                    a shared lock taken before the loop), then MPI_Win_flush; or
 *                    64 of them at displacements j * 8, then one flush.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HALF 64 /* a request set's receives, and its sends */
#define OUTGOING 1 /* the tag of the loops' sends */
#define INCOMING 2 /* the tag of the loops' receives */
#define HALO 3 /* the tag of the persistent halo step's messages */

static double value, result;
static double slots[HALF];
static const char *mode;
static MPI_Datatype swapped8; /* the byte-swapping receive type for 8 bytes */

/* swift-mpi's byte-swapping type covering `bytes` bytes: blocks of 1 byte at
 * bytes-1, bytes-2 at 1, 1 at 0. */
static MPI_Datatype swapped_type(int bytes) {
    int lengths[3] = {1, bytes - 2, 1};
    MPI_Aint displacements[3] = {bytes - 1, 1, 0};
    MPI_Datatype type;
    if (MPI_Type_create_hindexed(3, lengths, displacements, MPI_BYTE, &type) != MPI_SUCCESS) abort();
    if (MPI_Type_commit(&type) != MPI_SUCCESS) abort();
    return type;
}

/* Posts the truncation-safe receive of 8 bytes into `target`; returns the
 * last byte, which finish_swapped needs after a short message. */
static unsigned char post_swapped(double *target, MPI_Request *request) {
    unsigned char saved = ((unsigned char *)target)[7];
    if (MPI_Irecv(target, 1, swapped8, 0, INCOMING, MPI_COMM_WORLD, request) != MPI_SUCCESS) abort();
    return saved;
}

/* Puts the bytes of a completed swapped receive in order, as SwappedReceive.finish does. */
static void finish_swapped(double *target, MPI_Status *status, unsigned char saved) {
    unsigned char *bytes = (unsigned char *)target;
    int n;
    if (MPI_Get_count(status, MPI_BYTE, &n) != MPI_SUCCESS || n == MPI_UNDEFINED) abort();
    if (n > 0) {
        unsigned char first = bytes[7];
        if (n >= 8) {
            unsigned char last = bytes[0];
            bytes[0] = first;
            bytes[7] = last;
        } else {
            bytes[0] = first;
            bytes[7] = saved;
        }
    }
}

/* The measured operations, one call each, as a C program would write them. */
static void send_once(void) {
    if (MPI_Send(&value, 1, MPI_DOUBLE, 0, OUTGOING, MPI_COMM_WORLD) != MPI_SUCCESS) abort();
}
static void isend_wait_once(void) {
    MPI_Request request;
    if (MPI_Isend(&value, 1, MPI_DOUBLE, 0, OUTGOING, MPI_COMM_WORLD, &request) != MPI_SUCCESS) abort();
    if (MPI_Wait(&request, MPI_STATUS_IGNORE) != MPI_SUCCESS) abort();
}
static void receive_once(void) {
    MPI_Status status;
    if (MPI_Recv(&value, 1, MPI_DOUBLE, 0, INCOMING, MPI_COMM_WORLD, &status) != MPI_SUCCESS) abort();
}
static void receive_mprobe_once(void) {
    MPI_Status status;
    MPI_Message message;
    int bytes;
    if (MPI_Mprobe(0, INCOMING, MPI_COMM_WORLD, &message, &status) != MPI_SUCCESS) abort();
    if (MPI_Get_count(&status, MPI_BYTE, &bytes) != MPI_SUCCESS || bytes > 8) abort();
    if (MPI_Mrecv(&value, 1, MPI_DOUBLE, &message, MPI_STATUS_IGNORE) != MPI_SUCCESS) abort();
}
static void ireceive_plain_once(void) {
    MPI_Request request;
    MPI_Status status;
    if (MPI_Irecv(&value, 1, MPI_DOUBLE, 0, INCOMING, MPI_COMM_WORLD, &request) != MPI_SUCCESS) abort();
    if (MPI_Wait(&request, &status) != MPI_SUCCESS) abort();
}
static void ireceive_wait_once(void) {
    MPI_Request request;
    MPI_Status status;
    unsigned char saved = post_swapped(&value, &request);
    if (MPI_Wait(&request, &status) != MPI_SUCCESS) abort();
    finish_swapped(&value, &status, saved);
}
static void request_set_once(void) {
    MPI_Request requests[2 * HALF];
    MPI_Status statuses[2 * HALF];
    unsigned char saved[HALF];
    for (int i = 0; i < HALF; i++) saved[i] = post_swapped(slots + i, requests + i);
    for (int i = 0; i < HALF; i++)
        if (MPI_Isend(&value, 1, MPI_DOUBLE, 0, OUTGOING, MPI_COMM_WORLD, requests + HALF + i) != MPI_SUCCESS) abort();
    if (MPI_Waitall(2 * HALF, requests, statuses) != MPI_SUCCESS) abort();
    for (int i = 0; i < HALF; i++) finish_swapped(slots + i, statuses + i, saved[i]);
}
static MPI_Request halo_requests[8];
static double halo_slots[4];
static unsigned char halo_sentinels[4];
static MPI_Comm grid;
static double neighbor_send[4] = {1, 2, 3, 4}, neighbor_receive[4];

static void make_halo_requests(void) {
    for (int i = 0; i < 4; i++) {
        int lengths[4] = {1, 6, 1, 1};
        MPI_Aint displacements[4] = {7, 1, 0, (MPI_Aint)((char *)&halo_sentinels[i] - (char *)&halo_slots[i])};
        MPI_Datatype type;
        if (MPI_Type_create_hindexed(4, lengths, displacements, MPI_BYTE, &type) != MPI_SUCCESS) abort();
        if (MPI_Type_commit(&type) != MPI_SUCCESS) abort();
        if (MPI_Recv_init(&halo_slots[i], 1, type, 0, HALO, MPI_COMM_WORLD, &halo_requests[i]) != MPI_SUCCESS) abort();
        if (MPI_Send_init(&value, 1, MPI_DOUBLE, 0, HALO, MPI_COMM_WORLD, &halo_requests[4 + i]) != MPI_SUCCESS) abort();
    }
}
static void persistent_set_once(void) {
    MPI_Status statuses[8];
    unsigned char saved[4];
    for (int i = 0; i < 4; i++) saved[i] = ((unsigned char *)&halo_slots[i])[7];
    if (MPI_Startall(8, halo_requests) != MPI_SUCCESS) abort();
    if (MPI_Waitall(8, halo_requests, statuses) != MPI_SUCCESS) abort();
    for (int i = 0; i < 4; i++) finish_swapped(&halo_slots[i], statuses + i, saved[i]);
}
static void neighbor_alltoall_once(void) {
    if (MPI_Neighbor_alltoall(neighbor_send, 1, MPI_DOUBLE, neighbor_receive, 1, MPI_DOUBLE, grid) != MPI_SUCCESS)
        abort();
}
static MPI_Win rma_window;
static unsigned char rma_origin[8 * HALF];
static void one_sided(int put, int operations) {
    for (int j = 0; j < operations; j++) {
        if (put) {
            if (MPI_Put(rma_origin + 8 * j, 8, MPI_UINT8_T, 0, 8 * j, 8, MPI_UINT8_T, rma_window) != MPI_SUCCESS) abort();
        } else {
            if (MPI_Get(rma_origin + 8 * j, 8, MPI_UINT8_T, 0, 8 * j, 8, MPI_UINT8_T, rma_window) != MPI_SUCCESS) abort();
        }
    }
    if (MPI_Win_flush(0, rma_window) != MPI_SUCCESS) abort();
}
static void put_flush_once(void) { one_sided(1, 1); }
static void get_flush_once(void) { one_sided(0, 1); }
static void put_window_once(void) { one_sided(1, HALF); }
static void get_window_once(void) { one_sided(0, HALF); }
static int is_one_sided(void (*operation)(void)) {
    return operation == put_flush_once || operation == get_flush_once || operation == put_window_once
           || operation == get_window_once;
}
static void allreduce_once(void) {
    if (MPI_Allreduce(&value, &result, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS) abort();
}

/* The modes, and how many messages each iteration sends and receives. */
static const struct { const char *name; void (*operation)(void); int sends, receives; } modes[] = {
    {"send", send_once, 1, 0},
    {"isend-wait", isend_wait_once, 1, 0},
    {"receive", receive_once, 0, 1},
    {"receive-mprobe", receive_mprobe_once, 0, 1},
    {"ireceive-plain", ireceive_plain_once, 0, 1},
    {"ireceive-wait", ireceive_wait_once, 0, 1},
    {"request-set", request_set_once, HALF, HALF},
    {"persistent-set", persistent_set_once, 0, 0},
    {"neighbor-alltoall", neighbor_alltoall_once, 0, 0},
    {"put-flush", put_flush_once, 0, 0},
    {"get-flush", get_flush_once, 0, 0},
    {"put-window", put_window_once, 0, 0},
    {"get-window", get_window_once, 0, 0},
};
#define MODES (sizeof modes / sizeof modes[0])

/* The loop callgrind counts (--toggle-collect=measured_loop). The operation is
 * chosen once, before the loop, as the Swift program's function is. */
__attribute__((noinline)) void measured_loop(void (*operation)(void), int iterations) {
    for (int i = 0; i < iterations; i++) operation();
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mpi-callcost-c send|isend-wait|receive|receive-mprobe|ireceive-plain"
                        "|ireceive-wait|request-set|persistent-set|neighbor-alltoall"
                        "|put-flush|get-flush|put-window|get-window"
                        "|allreduce ITERATIONS (1 rank)\n");
        return 2;
    }
    mode = argv[1];
    int iterations = atoi(argv[2]);
#ifdef OPEN_MPI
    /* As the Swift package's MPI.initialize: Open MPI 4.1.4's osc/rdma excluded (it fails
     * MPI_Win_create at 1 rank), so both programs use the same one-sided component. */
    if (getenv("OMPI_MCA_osc") == NULL) setenv("OMPI_MCA_osc", "^rdma", 0);
#endif
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    swapped8 = swapped_type(8);
    value = rank;
    int chosen = -1;
    for (unsigned i = 0; i < MODES; i++)
        if (!strcmp(mode, modes[i].name)) chosen = (int)i;
    if (size != 1 || (chosen < 0 && strcmp(mode, "allreduce"))) {
        fprintf(stderr, "unknown mode, or not 1 rank\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (chosen >= 0 && modes[chosen].operation == persistent_set_once) make_halo_requests();
    int one_sided_mode = chosen >= 0 && is_one_sided(modes[chosen].operation);
    if (one_sided_mode) {
        void *base;
        /* Zeroed, as the Swift binding's allocateWindow zeroes it; the origin all ones. */
        if (MPI_Win_allocate(8 * HALF, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &base, &rma_window) != MPI_SUCCESS) abort();
        memset(base, 0, 8 * HALF);
        memset(rma_origin, 1, sizeof rma_origin);
        if (MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, rma_window) != MPI_SUCCESS) abort();
    }
    if (chosen >= 0 && modes[chosen].operation == neighbor_alltoall_once) {
        int dims[2] = {1, 1}, periods[2] = {1, 1};
        if (MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &grid) != MPI_SUCCESS) abort();
    }
    if (chosen < 0) {
        measured_loop(allreduce_once, iterations);
    } else {
        /* Every receive the loop's sends match posted, and every message its
         * receives match queued, before the loop. */
        int sends = modes[chosen].sends * iterations, receives = modes[chosen].receives * iterations;
        double *landing = calloc(sends + 1, sizeof(double));
        double one = 1;
        MPI_Request *requests = malloc(sizeof(MPI_Request) * (sends + receives + 1));
        for (int i = 0; i < sends; i++) MPI_Irecv(landing + i, 1, MPI_DOUBLE, 0, OUTGOING, MPI_COMM_WORLD, requests + i);
        for (int i = 0; i < receives; i++)
            MPI_Isend(&one, 1, MPI_DOUBLE, 0, INCOMING, MPI_COMM_WORLD, requests + sends + i);
        measured_loop(modes[chosen].operation, iterations);
        if (one_sided_mode) {
            MPI_Win_unlock(0, rma_window);
            MPI_Win_free(&rma_window);
        }
        MPI_Waitall(sends + receives, requests, MPI_STATUSES_IGNORE);
        free(landing);
        free(requests);
    }
    MPI_Type_free(&swapped8);
    MPI_Finalize();
    return 0;
}
