/* mpi-callcost-c: the loops of mpi-callcost (Benchmarks/callcost/main.swift)
 * with rank 0 in C. Mode receive-mprobe receives as swift-mpi does
 * (MPI_Mprobe, MPI_Get_count, MPI_Mrecv), to separate the cost of truncation
 * safety from the cost of the Swift layer. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double value, result;
static const char *mode;

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
        : allreduce_once;
    for (int i = 0; i < iterations; i++) operation();
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mpi-callcost-c send|receive|receive-mprobe|isend-wait|allreduce ITERATIONS\n");
        return 2;
    }
    mode = argv[1];
    int iterations = atoi(argv[2]);
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    value = rank;
    double *peer = calloc(iterations, sizeof(double));
    MPI_Request *requests = malloc(sizeof(MPI_Request) * iterations);
    int receives = !strcmp(mode, "receive") || !strcmp(mode, "receive-mprobe");
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
    } else if (!strcmp(mode, "allreduce") && rank == 0) {
        measured_loop(iterations);
    } else {
        fprintf(stderr, "unknown mode or rank count\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    free(peer);
    free(requests);
    MPI_Finalize();
    return 0;
}
