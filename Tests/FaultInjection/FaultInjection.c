// Faults inside glibc's allocator (see FaultInjection.h). Each runs in a
// process with more than one thread (MPI's progress threads), where glibc
// takes an arena's lock for every operation below.
#define _GNU_SOURCE
#include "FaultInjection.h"
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Optimizers may drop a write whose result is never read; these are read.
static void *volatile sink;

void fault_double_free(void) {
    // Larger than the thread cache and the fast bins hold (1032 and 160
    // bytes), so free() takes the arena lock; the block after it keeps it
    // from merging with the top of the heap.
    void *block = malloc(4000);
    sink = malloc(64);
    free(block);
    sink = block;
    free(sink);   // "double free or corruption (!prev)": abort() under the lock
}

void fault_invalid_free(void) {
    char *block = malloc(4000);
    memset(block, 0, 4000);
    sink = block + 48;
    free(sink);   // "free(): invalid pointer" (or "invalid size"): abort()
}

static ssize_t crash_on_write(void *cookie, const char *data, size_t size) {
    (void)cookie; (void)data; (void)size;
    volatile int *invalid = (volatile int *)(uintptr_t)16;
    *invalid = 1;   // SIGSEGV
    return (ssize_t)size;
}

void fault_crash_inside_malloc(void) {
    // malloc_stats() locks the main arena, then fprintf()s to stderr: make
    // that stream one whose writes crash, unbuffered so the first one does.
    cookie_io_functions_t io = {.write = crash_on_write};
    FILE *crashing = fopencookie(NULL, "w", io);
    if (crashing == NULL) abort();
    setvbuf(crashing, NULL, _IONBF, 0);
    stderr = crashing;
    malloc_stats();
}

void fault_heap_overrun(void) {
    char *block = malloc(5000);
    memset(block, 0x41, 64 * 1024);   // 59 KiB past the end
    for (size_t size = 16; size < 100 * 1000; size = size * 3 / 2 + 16) {
        sink = malloc(size);
        memset(sink, 0, size);
    }
}
