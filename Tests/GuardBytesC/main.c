/* mpi-guard-bytes-c: does MPI itself write past a receive buffer that is
 * shorter than the message? The C twin of the guard-bytes suite
 * (Tests/MPITestSuites/GuardBytes.swift), with no binding in between.
 *
 *   mpirun -np 2 mpi-guard-bytes-c [SIZE...]
 *
 * Rank 0 sends messages of each SIZE bytes (default: both sides of 4 KiB,
 * 32 KiB and 64 KiB, the eager limits of Open MPI's shared memory and TCP
 * and of MPICH, up to 4 MiB); rank 1 receives each into half as many bytes,
 * followed by as many guard bytes as the message could spill, in four ways:
 *   recv     MPI_Recv
 *   irecv    MPI_Irecv + MPI_Wait
 *   mrecv    MPI_Mprobe + MPI_Mrecv (into the short buffer, unchecked)
 *   waitall  MPI_Irecv of it and of a small message, one MPI_Waitall
 * then the same four with rank 1 sending to itself (MPI_Isend first; the
 * modes prefixed "self-": Open MPI's self transport), and prints one line
 * per receive: mode, size, capacity, the error class MPI
 * returned, and how many guard bytes changed. The receive buffer is
 * contiguous bytes, the plain receive a binding without a guard would post.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUARD 0xAB
#define SENT 0x11

static const long default_sizes[] = {
    1000, 4095, 4096, 4097, 8192, 32767, 32768, 32769, 65535, 65536, 65537, 131072, 1 << 20, 4 << 20,
};
static const char *modes[] = {"recv", "irecv", "mrecv", "waitall"};

/* Receives a message from `source` into `capacity` bytes the way `mode`
 * says; returns MPI's error class. */
static int receive(const char *mode, int source, unsigned char *buffer, int capacity) {
    MPI_Status status;
    int code;
    if (!strcmp(mode, "recv")) {
        code = MPI_Recv(buffer, capacity, MPI_BYTE, source, 1, MPI_COMM_WORLD, &status);
    } else if (!strcmp(mode, "irecv")) {
        MPI_Request request;
        code = MPI_Irecv(buffer, capacity, MPI_BYTE, source, 1, MPI_COMM_WORLD, &request);
        if (code == MPI_SUCCESS) code = MPI_Wait(&request, &status);
    } else if (!strcmp(mode, "mrecv")) {
        MPI_Message message;
        code = MPI_Mprobe(source, 1, MPI_COMM_WORLD, &message, &status);
        if (code == MPI_SUCCESS) code = MPI_Mrecv(buffer, capacity, MPI_BYTE, &message, &status);
    } else {
        unsigned char small[10];
        MPI_Request requests[2];
        MPI_Status statuses[2];
        code = MPI_Irecv(small, sizeof small, MPI_BYTE, source, 2, MPI_COMM_WORLD, &requests[0]);
        if (code == MPI_SUCCESS) code = MPI_Irecv(buffer, capacity, MPI_BYTE, source, 1, MPI_COMM_WORLD, &requests[1]);
        if (code == MPI_SUCCESS) code = MPI_Waitall(2, requests, statuses);
        if (code == MPI_ERR_IN_STATUS) code = statuses[1].MPI_ERROR;
    }
    int class = MPI_SUCCESS;
    if (code != MPI_SUCCESS) MPI_Error_class(code, &class);
    return class;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (size != 2) {
        if (rank == 0) fprintf(stderr, "mpi-guard-bytes-c runs on 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    int count = argc > 1 ? argc - 1 : (int)(sizeof default_sizes / sizeof default_sizes[0]);
    if (rank == 1) printf("mode\tsize\tcapacity\terror_class\tbytes_past_buffer\n");
    for (int source = 0; source < 2; source++) {
        for (int m = 0; m < 4; m++) {
            for (int s = 0; s < count; s++) {
                long bytes = argc > 1 ? atol(argv[s + 1]) : default_sizes[s];
                int capacity = (int)(bytes / 2);
                unsigned char *message = NULL, small[10] = {0};
                MPI_Request sends[2];
                MPI_Status statuses[2];
                int sent = 0;
                if (rank == source) {
                    message = malloc(bytes);
                    memset(message, SENT, bytes);
                    if (MPI_Isend(message, (int)bytes, MPI_BYTE, 1, 1, MPI_COMM_WORLD, &sends[sent++]) != MPI_SUCCESS)
                        MPI_Abort(MPI_COMM_WORLD, 3);
                    if (!strcmp(modes[m], "waitall") &&
                        MPI_Isend(small, sizeof small, MPI_BYTE, 1, 2, MPI_COMM_WORLD, &sends[sent++]) != MPI_SUCCESS)
                        MPI_Abort(MPI_COMM_WORLD, 3);
                }
                if (rank == 1) {
                    /* The buffer, then guard bytes for all the message could spill. */
                    unsigned char *memory = malloc(bytes + 64);
                    memset(memory, GUARD, bytes + 64);
                    int class = receive(modes[m], source, memory, capacity);
                    long past = 0;
                    for (long i = capacity; i < bytes + 64; i++) past += memory[i] != GUARD;
                    printf("%s%s\t%ld\t%d\t%d\t%ld\n", source == 1 ? "self-" : "", modes[m], bytes, capacity, class, past);
                    fflush(stdout);
                    free(memory);
                }
                if (sent > 0 && MPI_Waitall(sent, sends, statuses) != MPI_SUCCESS) MPI_Abort(MPI_COMM_WORLD, 3);
                free(message);
                MPI_Barrier(MPI_COMM_WORLD);
            }
        }
    }
    MPI_Finalize();
    return 0;
}
