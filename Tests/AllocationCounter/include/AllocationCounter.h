// Counts heap allocations made by this process, so tests can show that a hot
// path allocates nothing per message. Linked only into the test programs.
#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H
#include <stdint.h>

/// The number of malloc, calloc, realloc, posix_memalign, aligned_alloc and
/// memalign calls so far (all threads).
uint64_t allocation_count(void);

/// The number of those made by the Swift runtime (swift_slowAlloc: objects,
/// array storage, closure contexts, boxes), as opposed to C code such as the
/// MPI library's own temporary buffers.
uint64_t swift_allocation_count(void);

/// 1 when allocations are counted; 0 in sanitizer builds, where the
/// sanitizer's malloc stays in place and both counts stay 0.
int allocation_counter_is_active(void);

#endif
