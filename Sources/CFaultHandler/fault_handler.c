// Ending the whole job when one rank fails in a way the library can see.
//
// Open MPI 4.1.4's mpirun sometimes hangs after a rank dies abnormally, so a
// rank that traps (precondition failure, index out of range, force-unwrapped
// nil: SIGILL or SIGTRAP on Linux), crashes, or exits while MPI is still
// initialized ends the job itself, through MPI_Abort, after saying which rank
// failed and why.
//
// MPI_Abort is not async-signal-safe: it allocates, and a crash inside the
// allocator (heap corruption, a double free) leaves glibc's arena lock held,
// so MPI_Abort may wait for that lock forever. Every abort therefore first
// arms a deadline with alarm(): if the process still runs when it expires,
// the SIGALRM handler _exit()s, and the launcher, seeing a rank exit non-zero
// without finalizing, ends the job. Before MPI_Abort the handlers call only
// async-signal-safe functions (write, alarm, sigaction, pthread_sigmask,
// usleep, _exit). They are C, not Swift, because Swift code may allocate
// where nothing shows it (type metadata made on first use, a short String
// passed as a C string), and an allocation here can wait on that same lock.
#include "CFaultHandler.h"
#include <mpi.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// A healthy MPI_Abort ends the process within milliseconds here (MPICH's
// includes the pause below). Cutting a slow one short is harmless: a rank
// that exits non-zero without finalizing ends the job as well.
const unsigned swiftmpi_abort_deadline_seconds = 1;

static volatile sig_atomic_t world_rank = -1;
static volatile sig_atomic_t world_size = 0;
static volatile sig_atomic_t mpi_active = 0;
// The fatal signal being handled (0: none): a second fault while aborting,
// MPI_Abort itself crashing on a broken heap, exits at once.
static volatile sig_atomic_t handled_signal = 0;
static volatile sig_atomic_t deadline_exit_code = 1;

// A message is built on the stack and written with one write(2), so that
// mpirun, which forwards each write as it comes, never prints its own
// MPI_Abort notice into the middle of the line.
struct message {
    char text[320];
    size_t length;
};

static void append_text(struct message *message, const char *text) {
    while (*text != '\0' && message->length < sizeof message->text) {
        message->text[message->length++] = *text++;
    }
}

static void append_number(struct message *message, int value) {
    char digits[12];
    int start = sizeof digits;
    unsigned number = value < 0 ? 0 : (unsigned)value;
    do {
        digits[--start] = (char)('0' + number % 10);
        number /= 10;
    } while (number > 0 && start > 0);
    while (start < (int)sizeof digits && message->length < sizeof message->text) {
        message->text[message->length++] = digits[start++];
    }
}

/// A message that begins "swift-mpi: rank R of N".
static struct message rank_message(void) {
    struct message message = {.length = 0};
    append_text(&message, "swift-mpi: rank ");
    append_number(&message, world_rank);
    append_text(&message, " of ");
    append_number(&message, world_size);
    return message;
}

static void write_message(const struct message *message) {
    ssize_t written = write(2, message->text, message->length);
    (void)written;
}

static void deadline_handler(int signal) {
    (void)signal;
    struct message message = rank_message();
    append_text(&message, ": MPI_Abort did not end this process within ");
    append_number(&message, (int)swiftmpi_abort_deadline_seconds);
    append_text(&message, " s (the fault may have left a lock held); exiting, which ends the job\n");
    write_message(&message);
    _exit(deadline_exit_code);
}

static void arm_abort_deadline(int exit_code) {
    deadline_exit_code = exit_code;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = deadline_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
    // This thread may have SIGALRM blocked; whichever thread takes it ends the process.
    sigset_t alarm_only;
    sigemptyset(&alarm_only);
    sigaddset(&alarm_only, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &alarm_only, NULL);
    alarm(swiftmpi_abort_deadline_seconds);
}

void swiftmpi_abort_job(int exit_code) {
    arm_abort_deadline(exit_code);
    if (!mpi_active) return;
#ifdef MPICH_VERSION
    // MPICH's Hydra kills the job on MPI_Abort before forwarding what the
    // ranks last wrote (seen here in about 1 of 10 aborts): give it time.
    // Open MPI's mpirun forwards it first.
    usleep(200000);
#endif
    MPI_Abort(MPI_COMM_WORLD, exit_code);
}

static void fatal_signal_handler(int signal) {
    if (handled_signal != 0) {
        struct message message = rank_message();
        append_text(&message, " stopped by signal ");
        append_number(&message, signal);
        append_text(&message, " while aborting; exiting\n");
        write_message(&message);
        _exit(128 + handled_signal);
    }
    handled_signal = signal;
    // First, before anything that could block (even a write, to a full pipe).
    arm_abort_deadline(128 + signal);
    struct message message = rank_message();
    append_text(&message, " stopped by signal ");
    append_number(&message, signal);
    append_text(&message, signal == SIGILL || signal == SIGTRAP
                ? " (a Swift runtime trap: see the fatal error above); aborting the job\n"
                : "; aborting the job\n");
    write_message(&message);
    swiftmpi_abort_job(128 + signal);
    // SA_RESETHAND restored the default action: die of the same signal.
    raise(signal);
}

static void exit_handler(void) {
    if (!mpi_active) return;
    struct message message = rank_message();
    append_text(&message, " exited while MPI was initialized (exit before MPI.finalize); aborting the job\n");
    write_message(&message);
    swiftmpi_abort_job(1);
}

void swiftmpi_set_mpi_active(int active) { mpi_active = active; }

void swiftmpi_install_fault_handlers(int rank, int size) {
    world_rank = rank;
    world_size = size;
    mpi_active = 1;
    static const int fatal_signals[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = fatal_signal_handler;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        sigaction(fatal_signals[i], &action, NULL);
    }
    static int exit_handler_installed = 0;
    if (!exit_handler_installed) {
        atexit(exit_handler);
        exit_handler_installed = 1;
    }
}
