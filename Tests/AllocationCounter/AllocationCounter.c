// Replaces the allocation functions of glibc for the whole process (the
// executable's definitions take precedence) and forwards to glibc's own.
#define _GNU_SOURCE
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>
#include <dlfcn.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t counter;
static uint64_t swift_counter;

// Where the Swift runtime's allocator starts: an allocation whose caller is
// within its first bytes was made by Swift code.
static char *swift_slow_alloc;
__attribute__((constructor)) static void find_swift_allocator(void) {
    swift_slow_alloc = dlsym(RTLD_DEFAULT, "swift_slowAlloc");
}

#define count_one() count_call(__builtin_return_address(0))
static inline void count_call(void *caller) {
    __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
    char *from = caller;
    if (swift_slow_alloc && from >= swift_slow_alloc && from < swift_slow_alloc + 512) {
        __atomic_fetch_add(&swift_counter, 1, __ATOMIC_RELAXED);
    }
}

uint64_t allocation_count(void) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }
uint64_t swift_allocation_count(void) { return __atomic_load_n(&swift_counter, __ATOMIC_RELAXED); }

void *malloc(size_t size) { count_one(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { count_one(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { count_one(); return __libc_realloc(p, size); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    count_one();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}
