// Replaces the allocation functions of glibc for the whole process (the
// executable's definitions take precedence) and forwards to glibc's own.
//
// Not in sanitizer builds: AddressSanitizer and ThreadSanitizer bring their
// own malloc, and these definitions would take its place (the program would
// run without the sanitizer's heap checks, and crash freeing the sanitizer's
// memory with glibc's free). There nothing is counted and
// allocation_counter_is_active() returns 0.
#define _GNU_SOURCE
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define ALLOCATION_COUNTER_OFF 1
#endif
#endif
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>
#include <link.h>
#include <string.h>

#ifdef ALLOCATION_COUNTER_OFF
uint64_t allocation_count(void) { return 0; }
uint64_t swift_allocation_count(void) { return 0; }
int allocation_counter_is_active(void) { return 0; }
#else
int allocation_counter_is_active(void) { return 1; }

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
// The address ranges of those objects are read once, at start-up, so that the
// check on every allocation is a few comparisons.
#define MAX_RANGES 64
static uintptr_t range_start[MAX_RANGES], range_end[MAX_RANGES];
static int range_count;

static int record_swift_object(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size; (void)context;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    int swift = name[0] == '\0' || strncmp(base, "libswift", 8) == 0;
    if (!swift) return 0;
    for (int i = 0; i < info->dlpi_phnum && range_count < MAX_RANGES; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_X)) continue;
        range_start[range_count] = info->dlpi_addr + segment->p_vaddr;
        range_end[range_count] = range_start[range_count] + segment->p_memsz;
        range_count++;
    }
    return 0;
}

__attribute__((constructor)) static void find_swift_code(void) {
    dl_iterate_phdr(record_swift_object, NULL);
}

static inline int from_swift(void *caller) {
    uintptr_t address = (uintptr_t)caller;
    for (int i = 0; i < range_count; i++) {
        if (address >= range_start[i] && address < range_end[i]) return 1;
    }
    return 0;
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
#endif
