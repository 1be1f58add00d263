// Ending the whole job when one rank fails: the signal handlers, in C so that
// they do only what is async-signal-safe (see fault_handler.c).
#ifndef CFAULTHANDLER_H
#define CFAULTHANDLER_H

/// Installs handlers for SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE and SIGABRT,
/// and an atexit handler; each says which rank failed and why and ends the job.
/// Called once MPI is initialized.
void swiftmpi_install_fault_handlers(int rank, int size);

/// Tells the handlers whether MPI is initialized (1) or not (0): outside that
/// window a fault or an exit is the process's alone.
void swiftmpi_set_mpi_active(int active);

/// Ends the job through MPI_Abort with `exit_code`; if that has not ended this
/// process `swiftmpi_abort_deadline_seconds` later, exits with `exit_code`,
/// which makes the launcher end the job. Returns only if MPI is not active.
void swiftmpi_abort_job(int exit_code);

/// How long MPI_Abort may take before the rank ends itself.
extern const unsigned swiftmpi_abort_deadline_seconds;

#endif
