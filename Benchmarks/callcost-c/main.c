/* mpi-callcost-c: the loops of mpi-callcost (Benchmarks/callcost/main.swift)
 * with rank 0 in C. Mode receive-mprobe receives as swift-mpi does
 * (MPI_Mprobe, MPI_Get_count, MPI_Mrecv), to separate the cost of truncation
 * safety from the cost of the Swift layer. Modes ireceive-wait and request-set
 * post their receives as swift-mpi does, through the byte-swapping datatype
 * that keeps a truncated receive inside its buffer (swapped_type below), and
 * put the two bytes back after completion. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double value, result;
static const char *mode;
static MPI_Datatype swapped_type;
enum { set_size = 64 };
static double incoming[set_size];

/* swift-mpi's truncation-safe receive type for 8 bytes: blocks {1 byte at 7,
 * 6 bytes at 1, 1 byte at 0} (Sources/MPI/Internals/SwappedReceive.swift). */
static void make_swapped_type(void) {
    int lengths[3] = {1, 6, 1};
    MPI_Aint displacements[3] = {7, 1, 0};
    MPI_Type_create_hindexed(3, lengths, displacements, MPI_BYTE, &swapped_type);
    MPI_Type_commit(&swapped_type);
}
/* After a swapped receive of 8 bytes: its size, and the two bytes put back. */
static void unswap(void *buffer, MPI_Status *status) {
    int bytes;
    if (MPI_Get_count(status, MPI_BYTE, &bytes) != MPI_SUCCESS || bytes > 8) abort();
    unsigned char *b = buffer, first = b[7];
    b[7] = b[0];
    b[0] = first;
}

/* The measured operations, one call each, as a C program would write them. */
static void send_once(void) {
    if (MPI_Send(&value, 1, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD) != MPI_SUCCESS) abort();
}
static void isend_wait_once(void) {
    MPI_Request request;
    if (MPI_Isend(&value, 1, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD, &request) != MPI_SUCCESS) abort();
    if (MPI_Wait(&request, MPI_STATUS_IGNORE) != MPI_SUCCESS) abort();
}
static void receive_once(void) {
    MPI_Status status;
    if (MPI_Recv(&value, 1, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD, &status) != MPI_SUCCESS) abort();
}
static void receive_mprobe_once(void) {
    MPI_Status status;
    MPI_Message message;
    int bytes;
    if (MPI_Mprobe(1, 0, MPI_COMM_WORLD, &message, &status) != MPI_SUCCESS) abort();
    if (MPI_Get_count(&status, MPI_BYTE, &bytes) != MPI_SUCCESS || bytes > 8) abort();
    if (MPI_Mrecv(&value, 1, MPI_DOUBLE, &message, MPI_STATUS_IGNORE) != MPI_SUCCESS) abort();
}
static void ireceive_wait_once(void) {
    MPI_Request request;
    MPI_Status status;
    if (MPI_Irecv(&value, 1, swapped_type, 1, 0, MPI_COMM_WORLD, &request) != MPI_SUCCESS) abort();
    if (MPI_Wait(&request, &status) != MPI_SUCCESS) abort();
    unswap(&value, &status);
}
static void request_set_once(void) {
    MPI_Request requests[2 * set_size];
    MPI_Status statuses[2 * set_size];
    for (int i = 0; i < set_size; i++)
        if (MPI_Isend(&value, 1, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD, requests + i) != MPI_SUCCESS) abort();
    for (int i = 0; i < set_size; i++)
        if (MPI_Irecv(incoming + i, 1, swapped_type, 1, 0, MPI_COMM_WORLD, requests + set_size + i) != MPI_SUCCESS) abort();
    if (MPI_Waitall(2 * set_size, requests, statuses) != MPI_SUCCESS) abort();
    for (int i = 0; i < set_size; i++) unswap(incoming + i, statuses + set_size + i);
}
static void allreduce_once(void) {
    if (MPI_Allreduce(&value, &result, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS) abort();
}

/* The loop callgrind counts (--toggle-collect=measured_loop). The operation is
 * chosen once, before the loop, as the Swift program's closure is. */
__attribute__((noinline)) void measured_loop(int iterations) {
    void (*operation)(void) = !strcmp(mode, "send") ? send_once
        : !strcmp(mode, "isend-wait") ? isend_wait_once
        : !strcmp(mode, "receive") ? receive_once
        : !strcmp(mode, "receive-mprobe") ? receive_mprobe_once
        : !strcmp(mode, "ireceive-wait") ? ireceive_wait_once
        : !strcmp(mode, "request-set") ? request_set_once
        : allreduce_once;
    for (int i = 0; i < iterations; i++) operation();
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mpi-callcost-c send|receive|receive-mprobe|isend-wait|ireceive-wait|request-set|allreduce ITERATIONS\n");
        return 2;
    }
    mode = argv[1];
    int iterations = atoi(argv[2]);
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    value = rank;
    make_swapped_type();
    int set = !strcmp(mode, "request-set");
    int messages = set ? iterations * set_size : iterations;
    double *peer = calloc(messages, sizeof(double));
    MPI_Request *requests = malloc(sizeof(MPI_Request) * messages);
    int receives = !strcmp(mode, "receive") || !strcmp(mode, "receive-mprobe") || !strcmp(mode, "ireceive-wait");
    if ((!strcmp(mode, "send") || !strcmp(mode, "isend-wait")) && rank == 0) {
        MPI_Barrier(MPI_COMM_WORLD);
        measured_loop(iterations);
    } else if ((!strcmp(mode, "send") || !strcmp(mode, "isend-wait")) && rank == 1) {
        for (int i = 0; i < iterations; i++) MPI_Irecv(peer + i, 1, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD, requests + i);
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_Waitall(iterations, requests, MPI_STATUSES_IGNORE);
    } else if (receives && rank == 0) {
        MPI_Barrier(MPI_COMM_WORLD);
        measured_loop(iterations);
    } else if (receives && rank == 1) {
        for (int i = 0; i < iterations; i++) MPI_Send(&value, 1, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
    } else if (set && rank == 0) {
        MPI_Barrier(MPI_COMM_WORLD);
        measured_loop(iterations);
    } else if (set && rank == 1) {
        for (int i = 0; i < messages; i++) MPI_Irecv(peer + i, 1, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD, requests + i);
        for (int i = 0; i < messages; i++) MPI_Send(&value, 1, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_Waitall(messages, requests, MPI_STATUSES_IGNORE);
    } else if (!strcmp(mode, "allreduce") && rank == 0) {
        measured_loop(iterations);
    } else {
        fprintf(stderr, "unknown mode or rank count\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    free(peer);
    free(requests);
    MPI_Type_free(&swapped_type);
    MPI_Finalize();
    return 0;
}
