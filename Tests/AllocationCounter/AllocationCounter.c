// Replaces the allocation functions of glibc for the whole process (the
// executable's definitions take precedence) and forwards to glibc's own.
#define _GNU_SOURCE
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>
#include <dlfcn.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t counter;
static uint64_t swift_counter;

// An allocation is Swift's when the function that called malloc lies in the
// Swift runtime (libswiftCore and friends: objects, arrays, boxes, coroutine
// frames of unoptimized code) or in this executable (Swift code compiled into
// it); MPI's own allocations come from libmpi, libopen-pal and its plugins.
static __thread int classifying;
static int from_swift(void *caller) {
    if (classifying) return 0;     // dladdr itself may allocate
    classifying = 1;
    Dl_info info;
    int swift = 0;
    if (dladdr(caller, &info) && info.dli_fname) {
        const char *name = info.dli_fname;
        const char *slash = strrchr(name, '/');
        const char *base = slash ? slash + 1 : name;
        static const char *self_name;
        if (!self_name) {
            Dl_info self;
            self_name = dladdr((void *)&allocation_count, &self) ? self.dli_fname : "";
        }
        swift = strncmp(base, "libswift", 8) == 0 || strcmp(name, self_name) == 0;
    }
    classifying = 0;
    return swift;
}

#define count_one() count_call(__builtin_return_address(0))
static inline void count_call(void *caller) {
    __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
    if (from_swift(caller)) __atomic_fetch_add(&swift_counter, 1, __ATOMIC_RELAXED);
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
