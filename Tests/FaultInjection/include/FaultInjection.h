// Faults raised inside glibc's allocator, for the tests that show a rank's
// crash ends the job even when the crash leaves the heap lock held (so that
// anything the fault handler does that allocates would wait forever).
#ifndef FAULT_INJECTION_H
#define FAULT_INJECTION_H

/// Frees a block twice; glibc aborts (SIGABRT) while holding the arena lock.
void fault_double_free(void);

/// Frees a pointer malloc never returned; glibc aborts (SIGABRT).
void fault_invalid_free(void);

/// Crashes (SIGSEGV) inside malloc_stats(), which holds the main arena's lock
/// while it prints.
void fault_crash_inside_malloc(void);

/// Writes far past the end of a heap block and keeps allocating, as a buffer
/// overrun does; glibc's heap checks abort (or the allocator crashes).
void fault_heap_overrun(void);

#endif
